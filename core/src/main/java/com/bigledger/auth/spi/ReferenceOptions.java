package com.bigledger.auth.spi;

import com.bigledger.auth.CredentialRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The options that the references of one store may carry ({@code aws-sm:prod/app?stage=AWSPREVIOUS}), the values
 * each one allows, and the combinations that are refused: what a {@link CredentialSourceProvider} declares so that
 * {@link com.bigledger.auth.CredentialVault} refuses a malformed reference when a handle is made, before the store
 * is created or asked. {@link CredentialRef} itself checks only the generic syntax.
 *
 * <pre>{@code
 * static final ReferenceOptions OPTIONS = ReferenceOptions.builder("acme")
 *         .option("api", Set.of("1", "2"))
 *         .option("revision", v -> v.matches("[1-9][0-9]{0,9}"), "a positive whole number")
 *         .refuse(o -> "1".equals(o.get("api")) && o.containsKey("revision"),
 *                 "option 'revision' needs API version 2, not api=1")
 *         .build();
 * }</pre>
 *
 * <p>Every refusal is an {@link IllegalArgumentException} that names the reference and gives the position of the
 * problem in its canonical text. Option values, and the names of options not declared, are not shown: a secret
 * pasted where an option belongs is never repeated. Immutable and thread-safe.
 */
public final class ReferenceOptions {

    private static final ReferenceOptions NONE = new ReferenceOptions(null, Map.of(), List.of());
    /** What a refusal shows in place of an option value, or of the name of an option not declared. */
    private static final String HIDDEN = "***";

    private final String scheme;
    private final Map<String, Allowed> options;
    private final List<Refusal> refusals;

    private ReferenceOptions(String scheme, Map<String, Allowed> options, List<Refusal> refusals) {
        this.scheme = scheme;
        this.options = options;
        this.refusals = refusals;
    }

    /**
     * Returns the declaration of a store whose references take no option.
     *
     * @return the declaration
     */
    public static ReferenceOptions none() {
        return NONE;
    }

    /**
     * Returns a declaration of options that each take any value, such as a source's
     * {@link CredentialSource#supportedOptions()}.
     *
     * @param names the option names
     * @return the declaration
     */
    public static ReferenceOptions named(Set<String> names) {
        Objects.requireNonNull(names, "names");
        if (names.isEmpty()) {
            return NONE;
        }
        Builder builder = new Builder(null);
        names.forEach(builder::option);
        return builder.build();
    }

    /**
     * Starts a declaration.
     *
     * @param scheme the store's scheme, which refusals name
     * @return a new builder
     */
    public static Builder builder(String scheme) {
        return new Builder(Objects.requireNonNull(scheme, "scheme"));
    }

    /**
     * Returns the declared option names.
     *
     * @return the names, unmodifiable
     */
    public Set<String> names() {
        return options.keySet();
    }

    /**
     * Checks a reference's options: each is declared, has a value the option allows, and no refused combination is
     * present.
     *
     * @param ref the reference
     * @throws IllegalArgumentException if an option is unknown, has a value it does not allow, or is combined with
     *     one it cannot be; the message names the reference (without option values) and gives the position of the
     *     problem
     */
    public void check(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        String store = scheme == null ? ref.scheme() : scheme;
        for (Map.Entry<String, String> option : ref.options().entrySet()) {
            String name = option.getKey();
            Allowed allowed = options.get(name);
            if (allowed == null) {
                throw invalid(ref, position(ref, name, false), "the '" + store + "' store does not support the "
                        + "option there" + (options.isEmpty() ? " (it takes none)"
                        : " (supported: " + String.join(", ", new TreeSet<>(options.keySet())) + ")"));
            }
            if (!allowed.values.test(option.getValue())) {
                throw invalid(ref, position(ref, name, true), "option '" + name + "' must be " + allowed.mustBe);
            }
        }
        for (Refusal refusal : refusals) {
            if (refusal.when.test(ref.options())) {
                throw invalid(ref, ref.toString().indexOf('?') + 1, refusal.problem);
            }
        }
    }

    /**
     * The error for a reference whose options are refused. It names the reference by its scheme, path and field,
     * with each option's value, and the name of an option not declared, shown as {@code ***}: a secret pasted in
     * place of an option is never repeated.
     */
    private IllegalArgumentException invalid(CredentialRef ref, int position, String problem) {
        String whole = CredentialRef.of(ref.scheme(), ref.path()).toString();
        String field = ref.field().map(f -> CredentialRef.of(ref.scheme(), ref.path()).withField(f).toString()
                .substring(whole.length())).orElse("");
        StringBuilder shown = new StringBuilder(whole);
        String separator = "?";
        for (String name : ref.options().keySet()) {
            shown.append(separator).append(options.containsKey(name) ? name : HIDDEN).append('=').append(HIDDEN);
            separator = "&";
        }
        return new IllegalArgumentException("Invalid credential reference '" + shown + field + "' at position "
                + position + ": " + problem);
    }

    @Override
    public String toString() {
        return "ReferenceOptions" + new TreeSet<>(options.keySet());
    }

    /** Where option {@code name}, or its value, starts in the reference's canonical text. */
    private static int position(CredentialRef ref, String name, boolean value) {
        String text = ref.toString();
        int at = Math.max(text.indexOf("?" + name + "="), text.indexOf("&" + name + "=")) + 1;
        return value ? at + name.length() + 1 : at;
    }

    private static final class Allowed {
        final Predicate<String> values;
        final String mustBe;

        Allowed(Predicate<String> values, String mustBe) {
            this.values = values;
            this.mustBe = mustBe;
        }
    }

    private static final class Refusal {
        final Predicate<Map<String, String>> when;
        final String problem;

        Refusal(Predicate<Map<String, String>> when, String problem) {
            this.when = when;
            this.problem = problem;
        }
    }

    /** Declares options one by one. Not thread-safe. */
    public static final class Builder {
        private final String scheme;
        private final Map<String, Allowed> options = new LinkedHashMap<>();
        private final List<Refusal> refusals = new ArrayList<>();

        private Builder(String scheme) {
            this.scheme = scheme;
        }

        /**
         * Declares an option that takes any (non-empty) value.
         *
         * @param name the option name
         * @return this builder
         * @throws IllegalStateException if the option is already declared
         */
        public Builder option(String name) {
            return option(name, value -> true, "not empty");
        }

        /**
         * Declares an option that takes one of a few values.
         *
         * @param name the option name
         * @param values the values it takes, such as {@code 1} and {@code 2}
         * @return this builder
         * @throws IllegalArgumentException if {@code values} is empty
         * @throws IllegalStateException if the option is already declared
         */
        public Builder option(String name, Set<String> values) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(values, "values");
            if (values.isEmpty()) {
                throw new IllegalArgumentException("Option '" + name + "' needs at least one value");
            }
            List<String> sorted = new ArrayList<>(new TreeSet<>(values));
            String last = sorted.remove(sorted.size() - 1);
            String mustBe = sorted.isEmpty() ? last : String.join(", ", sorted) + " or " + last;
            return option(name, Set.copyOf(values)::contains, mustBe);
        }

        /**
         * Declares an option whose values are checked by a predicate.
         *
         * @param name the option name
         * @param allowed tells whether a value is allowed
         * @param mustBe what an allowed value is, completing "option 'name' must be …", such as
         *     {@code "a positive whole number"}
         * @return this builder
         * @throws IllegalStateException if the option is already declared
         */
        public Builder option(String name, Predicate<String> allowed, String mustBe) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(allowed, "allowed");
            Objects.requireNonNull(mustBe, "mustBe");
            if (options.putIfAbsent(name, new Allowed(allowed, mustBe)) != null) {
                throw new IllegalStateException("Option '" + name + "' is already declared");
            }
            return this;
        }

        /**
         * Refuses a combination of options, such as two that each pin a version.
         *
         * @param when tells, from a reference's options, whether it has the combination
         * @param problem what is wrong, such as {@code "options 'stage' and 'version' cannot be combined"}
         * @return this builder
         */
        public Builder refuse(Predicate<Map<String, String>> when, String problem) {
            refusals.add(new Refusal(Objects.requireNonNull(when, "when"), Objects.requireNonNull(problem,
                    "problem")));
            return this;
        }

        /**
         * Builds the declaration.
         *
         * @return the declaration
         */
        public ReferenceOptions build() {
            return new ReferenceOptions(scheme, Collections.unmodifiableMap(new LinkedHashMap<>(options)),
                    List.copyOf(refusals));
        }
    }
}
