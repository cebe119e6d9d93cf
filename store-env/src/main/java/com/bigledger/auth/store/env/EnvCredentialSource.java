package com.bigledger.auth.store.env;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code env} credential source: {@code env:NAME} is the environment variable {@code NAME}, and
 * {@code env:NAME#field} a top-level field of its JSON value.
 *
 * <p>For local development, variables may also come from a {@code .env} file (see {@link Builder#dotenvFile}).
 * Real environment variables win over the file, so a value set by the deployment is never shadowed by a
 * developer's file. The file is read when the source is built, so that a missing or malformed file fails at
 * start-up, and read again on a later lookup only when its modification time, size or identity has changed, so
 * that an edit is picked up without a restart.
 *
 * <p>The environment keeps no versions: loaded values are {@linkplain VersionedSecret#unversioned unversioned}.
 * Neither {@link #toString()} nor any exception shows a value.
 *
 * <pre>{@code
 * CredentialSource env = EnvCredentialSource.builder()
 *         .dotenvFile(Path.of(".env"))
 *         .build();
 * Secret apiKey = env.load(CredentialRef.parse("env:BIGLEDGER_API_KEY")).secret();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class EnvCredentialSource implements CredentialSource {

    /** The scheme this source serves. */
    public static final String SCHEME = "env";

    /** The environment variable that names a {@code .env} file when none is set on the builder. */
    public static final String DOTENV_VARIABLE = "BIGLEDGER_DOTENV";

    private final Map<String, String> environment;
    private final boolean processEnvironment;
    private final DotenvFile dotenv;

    private EnvCredentialSource(Map<String, String> environment, boolean processEnvironment, DotenvFile dotenv) {
        this.environment = environment;
        this.processEnvironment = processEnvironment;
        this.dotenv = dotenv;
    }

    /**
     * Creates a source with the default options: the process environment, and the {@code .env} file named by
     * {@value #DOTENV_VARIABLE} when that variable is set.
     *
     * @return the source
     * @throws DotenvFileException if {@value #DOTENV_VARIABLE} names a file that cannot be read
     * @throws DotenvFormatException if that file is malformed
     */
    public static EnvCredentialSource create() {
        return builder().build();
    }

    /**
     * Starts a builder.
     *
     * @return a builder with no option set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns {@value #SCHEME}.
     *
     * @return the scheme
     */
    @Override
    public String scheme() {
        return SCHEME;
    }

    /**
     * Returns the {@code .env} file this source reads, if any.
     *
     * @return the absolute path, or empty when the source reads the environment alone
     */
    public Optional<Path> dotenvFile() {
        return dotenv == null ? Optional.empty() : Optional.of(dotenv.path());
    }

    /**
     * Checks that the reference names an environment variable, so that a bad name fails when a handle is made.
     *
     * @param ref a reference of scheme {@code env}
     * @throws IllegalArgumentException if the path is not a variable name; the message quotes the reference
     */
    @Override
    public void check(CredentialRef ref) {
        variableName(Objects.requireNonNull(ref, "ref"));
    }

    /**
     * Loads the variable named by the reference's path, or the field of its JSON value named by the reference's
     * field. Only a lookup that reaches the {@code .env} file touches the disk, and then only to check whether the
     * file changed.
     *
     * @param ref a reference such as {@code env:BIGLEDGER_API_KEY} or {@code env:BIGLEDGER_OAUTH#client_secret}
     * @return the value, unversioned
     * @throws IllegalArgumentException if the reference is not of scheme {@code env} or its path is not a variable
     *     name ({@code [A-Za-z_][A-Za-z0-9_]*}); the message quotes the reference
     * @throws CredentialNotFoundException if the variable is not set, is empty, or its JSON value has no such field
     * @throws SourceUnavailableException if the variable is not in the environment and the {@code .env} file can no
     *     longer be read (it was deleted or its permissions changed); the cause is a {@link DotenvFileException}
     * @throws CredentialException of kind {@link Kind#INVALID} if a field is asked of a value that is not a JSON
     *     object, or if the variable is not in the environment and an edit made the {@code .env} file malformed (the
     *     cause is then a {@link DotenvFormatException} that gives the line)
     */
    @Override
    public VersionedSecret load(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        String name = variableName(ref);
        String fromEnvironment = environment.get(name);
        Secret whole;
        if (fromEnvironment != null) {
            if (fromEnvironment.isEmpty()) {
                throw new CredentialNotFoundException(ref, "environment variable " + name + " is set but empty in "
                        + environmentName());
            }
            whole = Secret.of(fromEnvironment);
        } else {
            whole = fromDotenv(ref, name);
        }
        if (ref.field().isEmpty()) {
            return VersionedSecret.unversioned(whole);
        }
        try {
            return VersionedSecret.unversioned(SecretFields.extract(ref, whole));
        } finally {
            whole.destroy();
        }
    }

    /** Shows the scheme and where values come from, never a value. */
    @Override
    public String toString() {
        return "EnvCredentialSource[scheme=" + SCHEME + ", environment=" + (processEnvironment ? "process" : "given")
                + ", dotenv=" + (dotenv == null ? "none" : dotenv.path()) + "]";
    }

    private Secret fromDotenv(CredentialRef ref, String name) {
        if (dotenv == null) {
            throw new CredentialNotFoundException(ref, "environment variable " + name + " is not set (looked in "
                    + environmentName() + "; no .env file is configured)");
        }
        Optional<Secret> found;
        try {
            found = dotenv.lookup(name);
        } catch (DotenvFormatException e) {
            throw new CredentialException(Kind.INVALID, ref, "environment variable " + name + " is not set in "
                    + environmentName() + ", and the .env file " + e.file() + " " + e.detail(), e);
        } catch (DotenvFileException e) {
            throw new SourceUnavailableException(ref, "environment variable " + name + " is not set in "
                    + environmentName() + ", and the .env file " + e.file() + " " + e.detail(), e);
        }
        Secret value = found.orElseThrow(() -> new CredentialNotFoundException(ref, "environment variable " + name
                + " is not set (looked in " + environmentName() + " and in the .env file " + dotenv.path() + ")"));
        if (isEmpty(value)) {
            throw new CredentialNotFoundException(ref, "environment variable " + name + " is empty in the .env file "
                    + dotenv.path());
        }
        return value;
    }

    private static boolean isEmpty(Secret value) {
        byte[] bytes = value.revealBytes();
        Arrays.fill(bytes, (byte) 0);
        return bytes.length == 0;
    }

    private String environmentName() {
        return processEnvironment ? "the process environment" : "the given environment";
    }

    private String variableName(CredentialRef ref) {
        if (!SCHEME.equals(ref.scheme())) {
            throw new IllegalArgumentException("Credential reference '" + ref + "' is not of scheme '" + SCHEME
                    + "'");
        }
        String name = ref.path();
        if (!isValidName(name.toCharArray(), 0, name.length())) {
            // The reference is quoted in its escaped form: the decoded path may hold line breaks.
            throw new IllegalArgumentException("Credential reference '" + ref + "': the path is not an environment "
                    + "variable name (letters, digits and '_', not starting with a digit)");
        }
        return name;
    }

    static boolean isValidName(char[] text, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text[i];
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            if (!letter && (i == from || c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Configures an {@link EnvCredentialSource}. Each option may be set once; setting one twice fails at once,
     * because the second call is almost always a mistake that would otherwise silently win.
     *
     * <p>Not thread-safe: use a builder from one thread.
     */
    public static final class Builder {

        private Map<String, String> environment;
        private Path dotenvFile;

        private Builder() {
        }

        /**
         * Sets the variables to read in place of the process environment, as in tests or when a service keeps its
         * configuration in a map. The map is copied.
         *
         * <p>By default, {@link System#getenv()}.
         *
         * @param environment the variables; no {@code null} key or value
         * @return this builder
         * @throws IllegalStateException if the environment was already set
         * @throws NullPointerException if the map, or a key or value in it, is {@code null}
         */
        public Builder environment(Map<String, String> environment) {
            Objects.requireNonNull(environment, "environment");
            if (this.environment != null) {
                // The map is not shown: it may hold secrets.
                throw new IllegalStateException("environment is already set on this builder");
            }
            this.environment = Map.copyOf(environment);
            return this;
        }

        /**
         * Sets a {@code .env} file to read variables from when they are not in the environment. The file must
         * exist when the source is built.
         *
         * <p>By default, the file named by the {@value EnvCredentialSource#DOTENV_VARIABLE} variable of the
         * environment this source reads (the one given to {@link #environment(Map)}, else the process environment)
         * when that variable is set and not blank, else none.
         *
         * @param file the file; a relative path is resolved against the working directory
         * @return this builder
         * @throws IllegalStateException if the file was already set
         */
        public Builder dotenvFile(Path file) {
            Objects.requireNonNull(file, "file");
            if (dotenvFile != null) {
                throw new IllegalStateException("dotenvFile is already set to " + dotenvFile + "; cannot set it to "
                        + file);
            }
            this.dotenvFile = file;
            return this;
        }

        /**
         * Builds the source, reading the {@code .env} file if one is configured.
         *
         * @return the source
         * @throws DotenvFileException if the configured {@code .env} file does not exist or cannot be read
         * @throws DotenvFormatException if a line of the {@code .env} file is malformed
         */
        public EnvCredentialSource build() {
            boolean process = environment == null;
            Map<String, String> env = process ? System.getenv() : environment;
            Path file = dotenvFile;
            if (file == null) {
                file = EnvironmentSettings.of(env).value(DOTENV_VARIABLE).filter(named -> !named.isBlank())
                        .map(Path::of).orElse(null);
            }
            DotenvFile dotenv = file == null ? null : DotenvFile.open(file.toAbsolutePath().normalize());
            return new EnvCredentialSource(env, process, dotenv);
        }
    }
}
