package com.bigledger.auth.cli;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerSettings;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bigledger-auth doctor}: checks, offline, the configuration a BigLedger client would read, and reports
 * what it found, redacted, with one line per problem.
 *
 * <p>Each setting is a variable ({@code BIGLEDGER_API_KEY}) or a reference in the variable of the same name with
 * {@code _REF} ({@code BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key}), resolved through a
 * {@link com.bigledger.auth.CredentialVault}; setting both is a problem. Variables are read through the
 * environment store, so a {@code .env} file named by {@code BIGLEDGER_DOTENV} counts. The BigLedger API is never
 * called: a key that passes may still be revoked. Its model is built by {@link #spec}, without annotations (see
 * {@link CommandSpecs}). Not thread-safe: picocli sets the model's values before each run.
 */
final class DoctorCommand implements Callable<Integer> {

    private static final String[] DESCRIPTION = {
            "Checks the BigLedger configuration a service would read from its environment, without calling the "
                    + "BigLedger API, and reports what it found (secrets redacted), one line per problem on "
                    + "stderr, and one per warning (such as a company id shaped unlike company_abc123), which does "
                    + "not fail the check.",
            "",
            "  BIGLEDGER_API_KEY      the API key, blg_live_sk_... or blg_test_sk_...",
            "  BIGLEDGER_COMPANY_ID   the company id, such as company_abc123",
            "  BIGLEDGER_ENVIRONMENT  production (the default) or sandbox",
            "",
            "Each may instead be given as a reference in the variable of the same name with _REF, such as "
                    + "BIGLEDGER_API_KEY_REF=aws-sm:prod/bigledger#api_key; references are resolved through the "
                    + "stores on the class path (which may call those stores, never the BigLedger API)."
    };

    static final String API_KEY = "BIGLEDGER_API_KEY";
    static final String COMPANY_ID = "BIGLEDGER_COMPANY_ID";
    static final String ENVIRONMENT = "BIGLEDGER_ENVIRONMENT";
    static final String REF_SUFFIX = EnvironmentSettings.REF_SUFFIX;

    private final Map<String, String> environment;

    private CommandSpec spec;

    private DoctorCommand(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * Builds the command's model over an environment.
     *
     * @param environment the variables to check, also read by {@code env:} references
     * @return the model, which runs the command
     */
    static CommandSpec spec(Map<String, String> environment) {
        DoctorCommand command = new DoctorCommand(environment);
        CommandSpec spec = CommandSpecs.command(command, "doctor", DESCRIPTION, "0:no problem found",
                ExitCodes.PROBLEMS_HELP, ExitCodes.USAGE_HELP);
        spec.addOption(TimeoutOption.option());
        command.spec = spec;
        return spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Checkup checkup = new Checkup();
        try (Stores stores = new Stores(environment, TimeoutOption.of(spec), Stores.warnings(err))) {
            checkup.run(stores);
        } catch (BigLedgerAuthException e) {
            // The environment store could not start (a malformed .env file): nothing else can be read.
            checkup.problem("the environment cannot be read: " + Messages.oneLine(e.getMessage()));
        }
        checkup.report.forEach(out::println);
        checkup.problems.forEach(problem -> err.println("problem: " + problem));
        checkup.warnings.forEach(warning -> err.println("warning: " + warning));
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

    /** One run of the checks: what was found, for stdout, and the problems and warnings, for stderr. */
    private static final class Checkup {

        private final List<String> report = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        private final Map<String, String> variables = new HashMap<>();

        void run(Stores stores) {
            try {
                for (String name : List.of(ENVIRONMENT, API_KEY, COMPANY_ID)) {
                    for (String variable : List.of(name, name + REF_SUFFIX)) {
                        stores.variable(variable).ifPresent(value -> variables.put(variable, value.reveal()));
                        if (stores.isEmpty(variable)) {
                            variables.put(variable, "");
                        }
                    }
                }
            } catch (BigLedgerAuthException e) {
                problem("the environment cannot be read: " + Messages.oneLine(e.getMessage()));
                return;
            }
            // The reader a service uses, so that what passes here passes there.
            BigLedgerSettings settings = BigLedgerSettings.read(variables, stores::vault);
            reportEnvironment(settings);
            reportApiKey(settings.apiKey());
            reportCompanyId(settings);
            // What an offline check cannot see, said once here rather than learnt from the API later.
            line("user agent", "set in code with userAgent(\"MyApp/1.0.0 (https://myapp.com)\"), as the BigLedger "
                    + "document asks; without one, requests send " + BigLedgerAuth.libraryProduct() + " alone and a "
                    + "warning is logged when the client is built");
            line("if 403", "FORBIDDEN from the API: check the key's permissions or the token's scopes, the company, "
                    + "and the key's IP allow-list (Settings > API Keys > the key: is this server's address on it?)");
            settings.problems().forEach(p -> problem(Messages.oneLine(p.message())));
            settings.warnings().forEach(w -> warnings.add(Messages.oneLine(w.message())));
        }

        private void reportEnvironment(BigLedgerSettings settings) {
            Optional<BigLedgerSettings.Setting> setting = settings.environmentSetting();
            if (setting.isEmpty()) {
                line("environment", "production (the default: " + ENVIRONMENT + " is not set)");
            } else if (setting.get().value().isEmpty()) {
                line("environment", unknownOrEmpty(setting.get()));
                return;
            } else if (!settings.environmentKnown()) {
                line("environment", "unknown (" + setting.get().origin() + ")");
                return;
            } else {
                line("environment", settings.environment().id() + " (" + setting.get().origin() + ")");
            }
            line("base url", settings.environment().baseUrl());
        }

        private void reportApiKey(Optional<BigLedgerSettings.Setting> setting) {
            if (setting.isEmpty()) {
                line("api key", "missing");
            } else if (setting.get().value().isEmpty()) {
                line("api key", unknownOrEmpty(setting.get()));
            } else {
                line("api key", setting.get().value().get() + " (" + setting.get().origin() + ")");
            }
        }

        private void reportCompanyId(BigLedgerSettings settings) {
            Optional<BigLedgerSettings.Setting> setting = settings.companyId();
            if (setting.isEmpty()) {
                line("company id", "missing");
            } else if (setting.get().value().isEmpty()) {
                line("company id", unknownOrEmpty(setting.get()));
            } else if (settings.companyIdValue().isEmpty()) {
                // Not shown: a value that cannot be sent may be a key put in the wrong variable.
                line("company id", "malformed, not shown (" + setting.get().origin() + ")");
            } else {
                line("company id", settings.companyIdValue().get() + " (" + setting.get().origin() + ")");
            }
        }

        private String unknownOrEmpty(BigLedgerSettings.Setting setting) {
            return "".equals(variables.get(setting.variable())) ? "empty" : "unknown";
        }

        private void line(String label, String text) {
            report.add(String.format("%-12s %s", label, text));
        }

        void problem(String text) {
            problems.add(text);
        }
    }
}
