package com.bigledger.auth.spi;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings a store, a client or a command reads from environment variables, read one way everywhere: a value
 * from its variable, a {@linkplain CredentialRef reference} from a variable that names one (by convention the
 * variable of the same name with {@value #REF_SUFFIX}, such as {@code BIGLEDGER_API_KEY_REF}), and a variable that
 * was renamed still read under its old name for one release.
 *
 * <p>A renamed variable ({@link #renamed(String, String)}) is read under its current name; when only its old name
 * is set, that value is used and one deprecation warning names both variables (never the value): a logged
 * {@code WARN}, once per process, or a line given to the warning consumer of {@link #of(Map, Consumer)}, once per
 * settings object and its copies. When both names are set to different values, the setting is refused with an
 * {@link InvalidSettingException} naming both.
 *
 * <p>Reads the variables it is given, never the process environment unless asked to ({@link #system()}), so that
 * tests pass maps. Errors name the variable, never its value. Immutable and thread-safe when its lookup is.
 */
public final class EnvironmentSettings {

    /** The suffix of a variable that holds a reference instead of the value, such as {@code BIGLEDGER_API_KEY_REF}. */
    public static final String REF_SUFFIX = "_REF";

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentSettings.class);

    /** Values shorter than this cannot be a usable secret, and are too short to search for in a message. */
    private static final int SHORTEST_SECRET = 8;

    /** The old names warned about in this process by logged settings: one warning each. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private final Function<String, Optional<String>> lookup;
    private final Consumer<String> warnings;
    private final Set<String> warned;
    private final Map<String, String> renamed;

    private EnvironmentSettings(Function<String, Optional<String>> lookup, Consumer<String> warnings,
            Set<String> warned, Map<String, String> renamed) {
        this.lookup = lookup;
        this.warnings = warnings;
        this.warned = warned;
        this.renamed = renamed;
    }

    /**
     * Reads the process environment; deprecation warnings are logged.
     *
     * @return the settings
     */
    public static EnvironmentSettings system() {
        return of(System.getenv());
    }

    /**
     * Reads the given variables; deprecation warnings are logged, once per old name and process.
     *
     * @param variables the variables, such as {@code System.getenv()}; copied
     * @return the settings
     * @throws NullPointerException if {@code variables} is {@code null} or holds a {@code null}
     */
    public static EnvironmentSettings of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        return new EnvironmentSettings(name -> Optional.ofNullable(copy.get(name)), null, LOGGED, Map.of());
    }

    /**
     * Reads the given variables; each deprecation warning is given to a consumer, once per old name for this
     * object and the copies made from it, such as a command line's standard error.
     *
     * @param variables the variables; copied
     * @param warnings receives each warning, one line naming the old and the new variable
     * @return the settings
     * @throws NullPointerException if an argument is {@code null} or {@code variables} holds a {@code null}
     */
    public static EnvironmentSettings of(Map<String, String> variables, Consumer<String> warnings) {
        Map<String, String> copy = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        return of(name -> Optional.ofNullable(copy.get(name)), warnings);
    }

    /**
     * Reads variables through a lookup, such as an environment store that also reads a {@code .env} file; each
     * deprecation warning is given to a consumer, once per old name for this object and its copies.
     *
     * @param lookup gives a variable's value, or empty when it is not set
     * @param warnings receives each warning, one line naming the old and the new variable
     * @return the settings
     * @throws NullPointerException if an argument is {@code null}
     */
    public static EnvironmentSettings of(Function<String, Optional<String>> lookup, Consumer<String> warnings) {
        Objects.requireNonNull(lookup, "lookup");
        Objects.requireNonNull(warnings, "warnings");
        return new EnvironmentSettings(lookup, warnings, ConcurrentHashMap.newKeySet(), Map.of());
    }

    /**
     * Returns a copy that reads a renamed variable under its old name too, for one release: when only
     * {@code deprecated} is set, its value is used and one warning names both; when both are set to different
     * values, reading {@code current} fails.
     *
     * @param current the variable's name
     * @param deprecated its old name
     * @return the copy; this object is unchanged
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if the names are the same
     */
    public EnvironmentSettings renamed(String current, String deprecated) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(deprecated, "deprecated");
        if (current.equals(deprecated)) {
            throw new IllegalArgumentException("A variable cannot be renamed to itself: " + current);
        }
        Map<String, String> names = new LinkedHashMap<>(renamed);
        names.put(current, deprecated);
        return new EnvironmentSettings(lookup, warnings, warned, Map.copyOf(names));
    }

    /**
     * Reads a variable as it is set, empty string included.
     *
     * @param name the variable's current name
     * @return its value, or empty when neither it nor (for a renamed variable) its old name is set
     * @throws InvalidSettingException if the variable and its old name are set to different values
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Optional<String> raw(String name) {
        Objects.requireNonNull(name, "name");
        Optional<String> value = lookup.apply(name);
        String deprecated = renamed.get(name);
        if (deprecated == null) {
            return value;
        }
        Optional<String> old = lookup.apply(deprecated);
        if (old.isEmpty()) {
            return value;
        }
        if (value.isPresent() && !same(value.get(), old.get())) {
            throw new InvalidSettingException(List.of(name, deprecated), deprecated + " and " + name + " are both "
                    + "set, to different values: " + deprecated + " is the old name of " + name + "; unset it");
        }
        warn(deprecated, name);
        return value.isPresent() ? value : old;
    }

    /**
     * Reads a variable that is set and not empty.
     *
     * @param name the variable's current name
     * @return its value, or empty when it is not set or empty
     * @throws InvalidSettingException if the variable and its old name are set to different values
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Optional<String> value(String name) {
        return raw(name).filter(v -> !v.isEmpty());
    }

    /**
     * Reads a variable that names a file.
     *
     * @param name the variable's current name
     * @return the path, or empty when the variable is not set or empty
     * @throws InvalidSettingException if it is not a path, or it and its old name are set to different values
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Optional<Path> path(String name) {
        Optional<String> text = value(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text.get()));
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(List.of(name), name + " is not a path: " + e.getReason());
        }
    }

    /**
     * Reads a switch: on when the variable is {@code true}, in any case, without surrounding whitespace.
     *
     * @param name the variable's current name
     * @return whether it is on; {@code false} when it is not set
     * @throws InvalidSettingException if it and its old name are set to different values
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public boolean isTrue(String name) {
        return raw(name).map(v -> v.strip().equalsIgnoreCase("true")).orElse(false);
    }

    /**
     * Reads a variable that holds a reference, such as {@code BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key};
     * surrounding whitespace is ignored.
     *
     * @param name the variable's current name
     * @return the reference, or empty when the variable is not set or empty
     * @throws InvalidSettingException if it is not a valid reference (the message does not quote it), or it and its
     *     old name are set to different values
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Optional<CredentialRef> reference(String name) {
        Optional<String> text = value(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CredentialRef.parse(text.get().strip()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(List.of(name), name + " is not a valid reference "
                    + "(scheme:path[?options][#field], such as aws-sm:prod/bigledger#api_key): "
                    + withoutValue(e.getMessage(), text.get().strip()));
        }
    }

    /**
     * Reads a setting given either as a value in its variable or as a reference in the variable of the same name
     * with {@value #REF_SUFFIX}.
     *
     * @param name the variable that holds the value, such as {@code BIGLEDGER_CLIENT_SECRET}
     * @return the setting, or empty when neither variable is set (or both are empty)
     * @throws InvalidSettingException if both are set, or the reference is not valid
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public Optional<Setting> valueOrReference(String name) {
        String refName = name + REF_SUFFIX;
        Optional<String> value = value(name);
        Optional<String> refText = value(refName);
        if (value.isPresent() && refText.isPresent()) {
            throw new InvalidSettingException(List.of(name, refName), name + " and " + refName + " are both set; "
                    + "set only one");
        }
        if (value.isPresent()) {
            return Optional.of(new Setting(name, value.get(), null));
        }
        return reference(refName).map(ref -> new Setting(refName, null, ref));
    }

    /**
     * Removes the text a parser quoted from its message, such as the message of {@link CredentialRef#parse}: a value
     * pasted into a reference variable must not show in an error.
     *
     * @param message the parser's message, or {@code null}
     * @param text the text that was parsed
     * @return the message without the text, or a message without detail when the text cannot be taken out
     * @throws NullPointerException if {@code text} is {@code null}
     */
    public static String withoutValue(String message, String text) {
        Objects.requireNonNull(text, "text");
        String cleaned = String.valueOf(message);
        if (text.isEmpty()) {
            return cleaned;
        }
        cleaned = cleaned.replace("'" + text + "'", "(value not shown)");
        String stripped = text.strip();
        if (!stripped.isEmpty()) {
            cleaned = cleaned.replace("'" + stripped + "'", "(value not shown)");
        }
        // Line by line: a value holding a line break (a Kubernetes secret made from a file) may be quoted in pieces.
        for (String part : stripped.split("\\R")) {
            String piece = part.strip();
            if (piece.length() >= SHORTEST_SECRET && cleaned.contains(piece)) {
                return "(detail not shown: it quotes the value)";
            }
        }
        return cleaned;
    }

    private void warn(String deprecated, String current) {
        if (!warned.add(deprecated)) {
            return;
        }
        String message = deprecated + " is deprecated and will stop working in the next release; set " + current
                + " instead";
        if (warnings == null) {
            LOG.warn(message);
        } else {
            warnings.accept(message);
        }
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A setting as given: a value in its variable, or a reference in its {@value #REF_SUFFIX} variable. Immutable;
     * {@link #toString()} never shows the value.
     */
    public static final class Setting {

        private final String variable;
        private final String value;
        private final CredentialRef reference;

        private Setting(String variable, String value, CredentialRef reference) {
            this.variable = variable;
            this.value = value;
            this.reference = reference;
        }

        /**
         * Returns the variable the setting was read from.
         *
         * @return such as {@code BIGLEDGER_CLIENT_SECRET} or {@code BIGLEDGER_CLIENT_SECRET_REF}
         */
        public String variable() {
            return variable;
        }

        /**
         * Returns the value given in the variable itself.
         *
         * @return the value, or empty when a reference was given
         */
        public Optional<String> value() {
            return Optional.ofNullable(value);
        }

        /**
         * Returns the reference given in the {@value #REF_SUFFIX} variable.
         *
         * @return the reference, or empty when the value was given
         */
        public Optional<CredentialRef> reference() {
            return Optional.ofNullable(reference);
        }

        /** Names the variable and the reference, never a value. */
        @Override
        public String toString() {
            return "Setting[" + variable + (reference == null ? "" : "=" + reference) + "]";
        }
    }

    /**
     * An environment variable cannot be used: it is not a valid reference or path, or it is given twice (a value
     * and a reference, or a renamed variable under both its names with different values). Not retryable: the
     * environment has to change. The message names the variables, never a value. Immutable and thread-safe.
     */
    public static final class InvalidSettingException extends BigLedgerAuthException {

        private static final long serialVersionUID = 1L;

        private final List<String> variables;

        /**
         * Creates an exception.
         *
         * @param variables the variables involved, at least one
         * @param message what is wrong, naming the variables and no value
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalArgumentException if {@code variables} is empty
         */
        public InvalidSettingException(List<String> variables, String message) {
            super(message, null, false);
            this.variables = List.copyOf(variables);
            if (this.variables.isEmpty()) {
                throw new IllegalArgumentException("variables is empty");
            }
        }

        /**
         * Returns the variables involved.
         *
         * @return their names, at least one
         */
        public List<String> variables() {
            return variables;
        }
    }
}
