package com.bigledger.auth.bigledger;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The BigLedger settings of a process, read from its environment variables and checked offline: the API key, the
 * company id and the environment, each from its variable ({@code BIGLEDGER_API_KEY}) or from a reference in the
 * variable of the same name with {@code _REF} ({@code BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key}).
 *
 * <p>This is the one reader behind {@link BigLedgerAuth.Builder#fromEnvironment(Map)} and the command line's
 * {@code doctor}, so that a configuration the diagnostic passes is one a service accepts, and the other way round.
 * Values are read as a service reads them: the company id and the environment without surrounding whitespace, the
 * API key exactly as given (a stray newline in a key is a {@linkplain ConfigProblem.Kind#API_KEY_BLANK problem}).
 * Every problem is collected rather than thrown, so that all of them can be reported together; a reference that
 * cannot be loaded is a problem too, and its exception is kept for callers that rethrow it.
 *
 * <p>Messages name the variable, the reference and the key prefix, never a secret; a company id that cannot be
 * sent is not quoted, since it may be a key in the wrong variable. Immutable once read and thread-safe.
 */
public final class BigLedgerSettings {

    private final BigLedgerEnvironment environment;
    private final boolean environmentKnown;
    private final Setting environmentSetting;
    private final Setting apiKey;
    private final Setting companyId;
    private final String companyIdValue;
    private final List<ConfigProblem> problems;
    private final List<ConfigProblem> warnings;
    private final List<RuntimeException> loadFailures;

    private BigLedgerSettings(Reader r) {
        this.environment = r.environment;
        this.environmentKnown = r.environmentKnown;
        this.environmentSetting = r.environmentSetting;
        this.apiKey = r.apiKey;
        this.companyId = r.companyId;
        this.companyIdValue = r.companyIdValue;
        this.problems = List.copyOf(r.problems);
        this.warnings = List.copyOf(r.warnings);
        this.loadFailures = List.copyOf(r.loadFailures);
    }

    /**
     * Reads and checks the settings. Blocks while a referenced value is loaded, up to the vault's load timeout.
     *
     * @param variables the environment variables, such as {@code System.getenv()}
     * @param vault gives the vault that resolves {@code _REF} settings; called only when one is set
     * @return the settings, with every problem found
     * @throws NullPointerException if an argument is {@code null}
     */
    public static BigLedgerSettings read(Map<String, String> variables, Supplier<CredentialVault> vault) {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(vault, "vault");
        Reader r = new Reader(EnvironmentSettings.of(variables), vault);
        r.read();
        return new BigLedgerSettings(r);
    }

    /**
     * Returns the environment: the one named, or {@link BigLedgerEnvironment#PRODUCTION} when none is set or the
     * name is unusable (see {@link #environmentKnown()}).
     *
     * @return the environment
     */
    public BigLedgerEnvironment environment() {
        return environment;
    }

    /**
     * Tells whether the environment is known: not set (production by default) or set to a known name.
     *
     * @return {@code false} when the setting is present but unusable
     */
    public boolean environmentKnown() {
        return environmentKnown;
    }

    /**
     * Returns where the environment came from.
     *
     * @return the setting, or empty when neither {@code BIGLEDGER_ENVIRONMENT} nor its {@code _REF} form is set
     */
    public Optional<Setting> environmentSetting() {
        return Optional.ofNullable(environmentSetting);
    }

    /**
     * Returns the API key's setting.
     *
     * @return the setting, or empty when neither {@code BIGLEDGER_API_KEY} nor its {@code _REF} form is set
     */
    public Optional<Setting> apiKey() {
        return Optional.ofNullable(apiKey);
    }

    /**
     * Returns the company id's setting; its value, as sent, is {@link #companyIdValue()}.
     *
     * @return the setting, or empty when neither {@code BIGLEDGER_COMPANY_ID} nor its {@code _REF} form is set
     */
    public Optional<Setting> companyId() {
        return Optional.ofNullable(companyId);
    }

    /**
     * Returns the company id as it is sent in {@code X-Company-Id}: without surrounding whitespace.
     *
     * @return the id, or empty when it is missing, unreadable or cannot be sent
     */
    public Optional<String> companyIdValue() {
        return Optional.ofNullable(companyIdValue);
    }

    /**
     * Returns every problem found, in the order of the settings: the environment, the API key, the company id.
     *
     * @return the problems; empty when a client can be built from these settings
     */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /**
     * Returns what looks odd but is no reason to refuse the settings, such as a company id shaped unlike the
     * document's example.
     *
     * @return the warnings
     */
    public List<ConfigProblem> warnings() {
        return warnings;
    }

    /**
     * Returns the exceptions of references that could not be loaded (each also reported as a problem), for callers
     * that rethrow them.
     *
     * @return the failures, in the order of the settings
     */
    public List<RuntimeException> loadFailures() {
        return loadFailures;
    }

    /**
     * One setting as read: from its variable, or from the reference in its {@code _REF} variable. Immutable and
     * thread-safe; {@link #toString()} never shows the value.
     */
    public static final class Setting {

        private final String variable;
        private final CredentialRef reference;
        private final VersionedSecret value;

        Setting(String variable, CredentialRef reference, VersionedSecret value) {
            this.variable = variable;
            this.reference = reference;
            this.value = value;
        }

        /**
         * Returns the variable the setting was read from.
         *
         * @return such as {@code BIGLEDGER_API_KEY} or {@code BIGLEDGER_API_KEY_REF}
         */
        public String variable() {
            return variable;
        }

        /**
         * Returns the reference the value was loaded from.
         *
         * @return the reference, or empty when the value was in the variable itself (or the reference is malformed)
         */
        public Optional<CredentialRef> reference() {
            return Optional.ofNullable(reference);
        }

        /**
         * Returns the value as read, before any trimming.
         *
         * @return the value, or empty when the setting is unusable: given twice, a malformed reference, or one
         *     that could not be loaded (each reported as a problem)
         */
        public Optional<Secret> value() {
            return value == null ? Optional.empty() : Optional.of(value.secret());
        }

        /**
         * Returns the store's version of a value loaded from a reference.
         *
         * @return the version, or empty for a value in a variable or a store without versions
         */
        public Optional<String> version() {
            return value == null ? Optional.empty() : value.version();
        }

        /**
         * Describes where the value came from, for a person: {@code from BIGLEDGER_API_KEY}, or
         * {@code from BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key, version 3}.
         *
         * @return the origin; never the value
         */
        public String origin() {
            return "from " + variable + (reference == null ? "" : "=" + reference)
                    + version().map(v -> ", version " + v).orElse("");
        }

        /** Shows the origin, never the value. */
        @Override
        public String toString() {
            return "Setting[" + origin() + "]";
        }
    }

    /** One reading of the variables. */
    private static final class Reader {

        private final EnvironmentSettings variables;
        private final Supplier<CredentialVault> vaultSupplier;
        private CredentialVault vault;

        BigLedgerEnvironment environment = BigLedgerEnvironment.PRODUCTION;
        boolean environmentKnown = true;
        Setting environmentSetting;
        Setting apiKey;
        Setting companyId;
        String companyIdValue;
        final List<ConfigProblem> problems = new ArrayList<>();
        final List<ConfigProblem> warnings = new ArrayList<>();
        final List<RuntimeException> loadFailures = new ArrayList<>();

        Reader(EnvironmentSettings variables, Supplier<CredentialVault> vault) {
            this.variables = variables;
            this.vaultSupplier = vault;
        }

        void read() {
            environmentSetting = setting(BigLedgerAuth.ENVIRONMENT_VARIABLE);
            if (environmentSetting != null) {
                Optional<Secret> name = environmentSetting.value();
                if (name.isEmpty()) {
                    environmentKnown = false;
                } else {
                    try {
                        environment = BigLedgerEnvironment.parse(name.get().reveal().strip());
                    } catch (IllegalArgumentException e) {
                        environmentKnown = false;
                        problem(ConfigProblem.Kind.SETTING_INVALID, environmentSetting.variable() + ": "
                                + e.getMessage());
                    }
                }
            }

            apiKey = setting(BigLedgerAuth.API_KEY_VARIABLE);
            if (apiKey == null) {
                problems.add(missing(BigLedgerAuth.API_KEY_VARIABLE, "the API key, blg_live_sk_... or "
                        + "blg_test_sk_..."));
            } else {
                apiKey.value().ifPresent(this::checkKey);
            }

            companyId = setting(BigLedgerAuth.COMPANY_ID_VARIABLE);
            if (companyId == null) {
                problems.add(missing(BigLedgerAuth.COMPANY_ID_VARIABLE, "the company id, such as company_abc123 "
                        + "(Settings > Company Profile in the dashboard)"));
            } else if (companyId.value().isPresent()) {
                String id = companyId.value().get().reveal().strip();
                Optional<ConfigProblem> refused = CompanyIds.check(id);
                if (refused.isPresent()) {
                    problems.add(labelled(companyId.variable(), refused.get()));
                } else {
                    companyIdValue = id;
                    CompanyIds.unusual(id).ifPresent(w -> warnings.add(labelled(companyId.variable(), w)));
                }
            }
        }

        /** Checks the key against the environment, or when that is unknown, the one its prefix names. */
        private void checkKey(Secret key) {
            BigLedgerEnvironment against = environmentKnown ? environment
                    : BigLedgerEnvironment.ofApiKey(key).orElse(BigLedgerEnvironment.PRODUCTION);
            ApiKeys.check(key, against).ifPresent(found -> {
                String hint = found.kind() == ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT
                        && environmentSetting == null ? " (" + BigLedgerAuth.ENVIRONMENT_VARIABLE + " is not set: "
                        + "production is the default)" : "";
                problems.add(new ConfigProblem(found.kind(), apiKey.variable() + ": " + found.message() + hint));
            });
        }

        /** Reads a variable or its {@code _REF} form; {@code null} when neither is set. */
        private Setting setting(String name) {
            String refName = name + EnvironmentSettings.REF_SUFFIX;
            String direct = variables.raw(name).orElse(null);
            String refText = variables.raw(refName).orElse(null);
            if (direct != null && refText != null) {
                problem(ConfigProblem.Kind.SETTING_CONFLICT, name + " and " + refName + " are both set; set only one");
                return new Setting(name, null, null);
            }
            if (direct != null && direct.isEmpty() && refText == null) {
                // Said as such: "not set" would send the reader looking for a variable that is there.
                problem(ConfigProblem.Kind.SETTING_MISSING, name + " is set but empty (set it, or unset it and set "
                        + refName + " to a reference)");
                return new Setting(name, null, null);
            }
            if (direct != null) {
                return new Setting(name, null, VersionedSecret.unversioned(Secret.of(direct)));
            }
            if (refText == null) {
                return null;
            }
            CredentialRef ref;
            try {
                ref = CredentialRef.parse(refText.strip());
            } catch (IllegalArgumentException e) {
                problem(ConfigProblem.Kind.SETTING_INVALID, refName + " is not a valid reference "
                        + "(scheme:path[?options][#field], such as aws-sm:prod/bigledger#api_key): "
                        + EnvironmentSettings.withoutValue(e.getMessage(), refText.strip()));
                return new Setting(refName, null, null);
            }
            try {
                return new Setting(refName, ref, vault().handle(ref).versioned());
            } catch (BigLedgerAuthException | IllegalArgumentException | IllegalStateException e) {
                // IllegalArgument: the store refuses an option of the reference; IllegalState: stores conflict.
                loadFailures.add(e);
                String message = String.valueOf(e.getMessage());
                problem(ConfigProblem.Kind.SETTING_UNAVAILABLE, refName + ": "
                        + (message.startsWith(ref + ": ") ? "" : ref + ": ") + message);
                return new Setting(refName, ref, null);
            }
        }

        private CredentialVault vault() {
            if (vault == null) {
                vault = Objects.requireNonNull(vaultSupplier.get(), "the vault supplier gave null");
            }
            return vault;
        }

        private void problem(ConfigProblem.Kind kind, String message) {
            problems.add(new ConfigProblem(kind, message));
        }

        private static ConfigProblem missing(String variable, String what) {
            return new ConfigProblem(ConfigProblem.Kind.SETTING_MISSING, variable + " is not set (" + what + "; or "
                    + variable + EnvironmentSettings.REF_SUFFIX
                    + " with a reference such as aws-sm:prod/bigledger#api_key)");
        }

        private static ConfigProblem labelled(String label, ConfigProblem problem) {
            return new ConfigProblem(problem.kind(), label + ": " + problem.message());
        }
    }
}
