package com.bigledger.auth.cli;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.bigledger.ApiKeys;
import com.bigledger.auth.bigledger.BigLedgerEnvironment;
import com.bigledger.auth.bigledger.CompanyIds;
import com.bigledger.auth.bigledger.ConfigProblem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bigledger-auth doctor}: checks, offline, the configuration a BigLedger client would read, and reports
 * what it found, redacted, with one line per problem.
 *
 * <p>Each setting is a variable ({@code BIGLEDGER_API_KEY}) or a reference in the variable of the same name with
 * {@code _REF} ({@code BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key}), resolved through a
 * {@link com.bigledger.auth.CredentialVault}; setting both is a problem. Variables are read through the
 * environment store, so a {@code .env} file named by {@code BIGLEDGER_DOTENV} counts. The BigLedger API is never
 * called: a key that passes may still be revoked. Not thread-safe: picocli sets its fields before each run.
 */
@Command(
        name = "doctor",
        description = {
            "Checks the BigLedger configuration a service would read from its environment, without calling the "
                    + "BigLedger API, and reports what it found (secrets redacted) and one line per problem on "
                    + "stderr.",
            "",
            "  BIGLEDGER_API_KEY      the API key, blg_live_sk_... or blg_test_sk_...",
            "  BIGLEDGER_COMPANY_ID   the company id, such as company_abc123",
            "  BIGLEDGER_ENVIRONMENT  production (the default) or sandbox",
            "",
            "Each may instead be given as a reference in the variable of the same name with _REF, such as "
                    + "BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key; references are resolved through the "
                    + "stores on the class path (which may call those stores, never the BigLedger API)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no problem found", ExitCodes.PROBLEMS_HELP, ExitCodes.USAGE_HELP})
final class DoctorCommand implements Callable<Integer> {

    static final String API_KEY = "BIGLEDGER_API_KEY";
    static final String COMPANY_ID = "BIGLEDGER_COMPANY_ID";
    static final String ENVIRONMENT = "BIGLEDGER_ENVIRONMENT";
    static final String REF_SUFFIX = "_REF";

    private final Map<String, String> environment;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean helpRequested;

    @Mixin
    private TimeoutOption timeoutOption;

    @Spec
    private CommandSpec spec;

    /** Creates the command over the process environment. */
    DoctorCommand() {
        this(System.getenv());
    }

    /**
     * Creates the command over an environment.
     *
     * @param environment the variables to check, also read by {@code env:} references
     */
    DoctorCommand(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Checkup checkup = new Checkup();
        try (Stores stores = new Stores(environment, timeoutOption.timeout())) {
            checkup.run(stores);
        } catch (BigLedgerAuthException e) {
            // The environment store could not start (a malformed .env file): nothing else can be read.
            checkup.problem("the environment cannot be read: " + Messages.oneLine(e.getMessage()));
        }
        checkup.report.forEach(out::println);
        checkup.problems.forEach(problem -> err.println("problem: " + problem));
        int count = checkup.problems.size();
        if (count == 0) {
            out.println("ok: no problem found (offline checks; the key was not sent to the BigLedger API)");
        } else {
            out.println(count == 1 ? "1 problem found" : count + " problems found");
        }
        out.flush();
        err.flush();
        return count == 0 ? ExitCodes.OK : ExitCodes.PROBLEMS;
    }

    /** One run of the checks: what was found, for stdout, and the problems, for stderr. */
    private static final class Checkup {

        private final List<String> report = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();

        void run(Stores stores) {
            Setting environmentSetting = lookup(stores, ENVIRONMENT);
            Optional<BigLedgerEnvironment> target = checkEnvironment(environmentSetting);
            checkApiKey(lookup(stores, API_KEY), target, environmentSetting.status == Status.ABSENT);
            checkCompanyId(lookup(stores, COMPANY_ID));
        }

        private Optional<BigLedgerEnvironment> checkEnvironment(Setting setting) {
            if (setting.status == Status.ABSENT) {
                line("environment", "production (the default: " + ENVIRONMENT + " is not set)");
                line("base url", BigLedgerEnvironment.PRODUCTION.baseUrl());
                return Optional.of(BigLedgerEnvironment.PRODUCTION);
            }
            if (setting.status == Status.FAILED) {
                line("environment", "unknown");
                return Optional.empty();
            }
            if (setting.status == Status.EMPTY) {
                line("environment", "empty");
                problem(ENVIRONMENT + " is set but empty (set it to production or sandbox, or unset it for "
                        + "production)");
                return Optional.empty();
            }
            try {
                BigLedgerEnvironment parsed = BigLedgerEnvironment.parse(setting.value.reveal());
                line("environment", parsed.id() + " " + setting.origin);
                line("base url", parsed.baseUrl());
                return Optional.of(parsed);
            } catch (IllegalArgumentException | IllegalStateException e) {
                line("environment", "unknown " + setting.origin);
                problem(setting.name + ": " + Messages.oneLine(e.getMessage()));
                return Optional.empty();
            }
        }

        private void checkApiKey(Setting setting, Optional<BigLedgerEnvironment> target, boolean defaulted) {
            if (setting.status == Status.ABSENT) {
                line("api key", "missing");
                problem(API_KEY + " is not set (set it, or " + API_KEY + REF_SUFFIX + " to a reference such as "
                        + "aws-sm:prod/bigledger#api_key)");
                return;
            }
            if (setting.status == Status.FAILED) {
                line("api key", "unknown");
                return;
            }
            if (setting.status == Status.EMPTY) {
                line("api key", "empty");
                problem(API_KEY + " is set but empty (set it to the key, blg_live_sk_... or blg_test_sk_..., or set "
                        + API_KEY + REF_SUFFIX + " instead)");
                return;
            }
            line("api key", setting.value + " " + setting.origin);
            // With no known environment, the key is still checked against the environment its prefix names.
            BigLedgerEnvironment against = target.orElseGet(() -> BigLedgerEnvironment.ofApiKey(setting.value)
                    .orElse(BigLedgerEnvironment.PRODUCTION));
            ApiKeys.check(setting.value, against).ifPresent(found -> {
                String hint = found.kind() == ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT && defaulted
                        ? " (" + ENVIRONMENT + " is not set: production is the default)" : "";
                problem(setting.name + ": " + found.message() + hint);
            });
        }

        private void checkCompanyId(Setting setting) {
            if (setting.status == Status.ABSENT) {
                line("company id", "missing");
                problem(COMPANY_ID + " is not set (set it, or " + COMPANY_ID + REF_SUFFIX + "; the id is in the "
                        + "BigLedger dashboard under Settings > Company Profile)");
                return;
            }
            if (setting.status == Status.FAILED) {
                line("company id", "unknown");
                return;
            }
            if (setting.status == Status.EMPTY) {
                line("company id", "empty");
                problem(COMPANY_ID + " is set but empty (the id is in the BigLedger dashboard under Settings > "
                        + "Company Profile)");
                return;
            }
            String companyId;
            try {
                companyId = setting.value.reveal();
            } catch (IllegalStateException e) {
                line("company id", "unreadable " + setting.origin);
                problem(setting.name + ": " + Messages.oneLine(e.getMessage()));
                return;
            }
            Optional<ConfigProblem> problem = CompanyIds.check(companyId);
            if (problem.isPresent()) {
                // Not shown: a malformed id may be a key put in the wrong variable.
                line("company id", "malformed, not shown " + setting.origin);
                problem(setting.name + ": " + problem.get().message());
            } else {
                line("company id", companyId + " " + setting.origin);
            }
        }

        /** Reads a setting from its variable or from the reference in its {@code _REF} variable. */
        private Setting lookup(Stores stores, String name) {
            String refName = name + REF_SUFFIX;
            Optional<Secret> direct;
            Optional<Secret> refValue;
            try {
                direct = stores.variable(name);
                refValue = stores.variable(refName);
            } catch (BigLedgerAuthException e) {
                problem(name + ": " + Messages.oneLine(e.getMessage()));
                return Setting.failed(name);
            }
            if (direct.isPresent() && refValue.isPresent()) {
                problem(name + " and " + refName + " are both set; set only one");
                return Setting.failed(name);
            }
            if (direct.isPresent()) {
                return Setting.found(name, direct.get(), "(from " + name + ")");
            }
            if (refValue.isEmpty()) {
                return stores.isEmpty(name) ? Setting.empty(name) : Setting.absent(name);
            }
            return resolve(stores, refName, refValue.get().reveal());
        }

        private Setting resolve(Stores stores, String refName, String refText) {
            CredentialRef ref;
            try {
                ref = CredentialRef.parse(refText);
            } catch (IllegalArgumentException e) {
                problem(refName + ": " + Messages.without(e.getMessage(), refText));
                return Setting.failed(refName);
            }
            try {
                VersionedSecret resolved = stores.vault().handle(ref).versioned();
                String version = resolved.version().map(v -> ", version " + v).orElse("");
                return Setting.found(refName, resolved.secret(), "(from " + refName + "=" + ref + version + ")");
            } catch (BigLedgerAuthException | IllegalArgumentException | IllegalStateException e) {
                // IllegalArgument: the store refuses an option of the reference; IllegalState: stores conflict.
                String message = Messages.oneLine(e.getMessage());
                problem(refName + ": " + (message.startsWith(ref + ": ") ? "" : ref + ": ") + message);
                return Setting.failed(refName);
            }
        }

        private void line(String label, String text) {
            report.add(String.format("%-12s %s", label, text));
        }

        void problem(String text) {
            problems.add(text);
        }
    }

    private enum Status { ABSENT, EMPTY, FOUND, FAILED }

    /** A setting as read: {@code name} is the variable it came from, or would have. */
    private record Setting(String name, Status status, Secret value, String origin) {

        static Setting absent(String name) {
            return new Setting(name, Status.ABSENT, null, "");
        }

        static Setting empty(String name) {
            return new Setting(name, Status.EMPTY, null, "");
        }

        static Setting failed(String name) {
            return new Setting(name, Status.FAILED, null, "");
        }

        static Setting found(String name, Secret value, String origin) {
            return new Setting(name, Status.FOUND, value, origin);
        }
    }
}
