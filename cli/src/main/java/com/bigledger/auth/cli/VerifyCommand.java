package com.bigledger.auth.cli;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerConfigurationException;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.bigledger.ConfigProblem;
import com.bigledger.auth.bigledger.ForbiddenException;
import com.bigledger.auth.bigledger.InvalidCompanyException;
import com.bigledger.auth.bigledger.UnauthorizedException;
import com.bigledger.auth.bigledger.VerifyResult;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.util.HashMap;
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
 * {@code bigledger-auth verify}: calls {@code GET /v1/auth/verify} with the credentials a service would read from
 * its environment, and prints the company, its plan and the permissions, or the API's typed error.
 *
 * <p>The settings are those of {@code doctor} ({@code BIGLEDGER_API_KEY}, {@code BIGLEDGER_COMPANY_ID},
 * {@code BIGLEDGER_ENVIRONMENT} or their {@code _REF} forms), read through the environment store so that a
 * {@code .env} file named by {@code BIGLEDGER_DOTENV} counts. Unlike {@code doctor}, this sends the key to the API.
 * Not thread-safe: picocli sets its fields before each run.
 */
@Command(
        name = "verify",
        description = {
            "Calls GET /v1/auth/verify with the BigLedger credentials a service would read from its environment and "
                    + "prints the company, its plan and the permissions, or the API's error. Unlike doctor, this "
                    + "sends the key to the BigLedger API.",
            "",
            "  BIGLEDGER_API_KEY      the API key, blg_live_sk_... or blg_test_sk_...",
            "  BIGLEDGER_COMPANY_ID   the company id, such as company_abc123",
            "  BIGLEDGER_ENVIRONMENT  production (the default) or sandbox",
            "",
            "Each may instead be given as a reference in the variable of the same name with _REF. --timeout bounds "
                    + "both a store that fails and the request to the API."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the API accepted the credentials",
            "1:the configuration is unusable (one line per problem on stderr)",
            ExitCodes.USAGE_HELP, ExitCodes.NOT_FOUND_HELP,
            "4:other error: a store or the API unreachable, another API error",
            ExitCodes.UNAUTHORIZED_HELP, ExitCodes.FORBIDDEN_HELP, ExitCodes.INVALID_COMPANY_HELP
        })
final class VerifyCommand implements Callable<Integer> {

    private static final List<String> SETTINGS = List.of(BigLedgerAuth.API_KEY_VARIABLE,
            BigLedgerAuth.COMPANY_ID_VARIABLE, BigLedgerAuth.ENVIRONMENT_VARIABLE);

    private final Map<String, String> environment;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "The API's base URL, for a private deployment or a test server; https only. By default, "
                    + "the environment's, such as https://api.bigledger.com/v1.")
    private URI baseUrl;

    @Option(names = "--allow-insecure-loopback",
            description = "Accept an http --base-url on a loopback host (127.0.0.1, localhost), for tests.")
    private boolean allowInsecureLoopback;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean helpRequested;

    @Mixin
    private TimeoutOption timeoutOption;

    @Spec
    private CommandSpec spec;

    /** Creates the command over the process environment. */
    VerifyCommand() {
        this(System.getenv());
    }

    /**
     * Creates the command over an environment.
     *
     * @param environment the variables to read, also read by {@code env:} references
     */
    VerifyCommand(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int run(PrintWriter out, PrintWriter err) {
        try (Stores stores = new Stores(environment, timeoutOption.timeout(), Stores.warnings(err));
             BigLedgerAuth auth = auth(stores)) {
            out.println(line("environment", auth.environment().id()));
            out.println(line("base url", auth.baseUrl().toString()));
            out.flush();
            VerifyResult result = BigLedgerHttpClient.builder(auth).requestTimeout(timeoutOption.timeout()).build()
                    .verify();
            print(result, out);
            if (!result.authenticated()) {
                err.println("bigledger-auth verify: the API answered that the credentials do not authenticate");
                return ExitCodes.UNAUTHORIZED;
            }
            out.println("ok: the BigLedger API accepted the credentials");
            return ExitCodes.OK;
        } catch (BigLedgerConfigurationException e) {
            e.problems().stream().map(ConfigProblem::message).forEach(p -> err.println("problem: " + p));
            return ExitCodes.PROBLEMS;
        } catch (UnauthorizedException e) {
            return failed(err, e, ExitCodes.UNAUTHORIZED);
        } catch (ForbiddenException e) {
            return failed(err, e, ExitCodes.FORBIDDEN);
        } catch (InvalidCompanyException e) {
            return failed(err, e, ExitCodes.INVALID_COMPANY);
        } catch (CredentialException | EnvironmentSettings.InvalidSettingException e) {
            // Not found, a store or setting to fix, or another store failure: as every command maps them.
            return failed(err, e, CommandRun.credentialExitCode(e));
        } catch (BigLedgerAuthException e) {
            // Another API error (BigLedgerApiException), an unreachable API or store.
            return failed(err, e, ExitCodes.ERROR);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The base URL is not allowed (http without --allow-insecure-loopback), or a store refuses an option.
            boolean http = baseUrl != null && "http".equalsIgnoreCase(baseUrl.getScheme()) && !allowInsecureLoopback;
            err.println("bigledger-auth verify: " + Messages.oneLine(e.getMessage())
                    + (http ? " (on the command line: --allow-insecure-loopback)" : ""));
            return ExitCodes.USAGE;
        }
    }

    private BigLedgerAuth auth(Stores stores) {
        BigLedgerAuth.Builder builder = BigLedgerAuth.builder().fromEnvironment(variables(stores))
                .vault(stores.vault()).userAgent(TokenCommand.userAgent());
        if (baseUrl != null) {
            builder.baseUrl(baseUrl);
        }
        if (allowInsecureLoopback) {
            builder.allowInsecureLoopback(true);
        }
        return builder.build();
    }

    /** The settings as the environment store reads them, a {@code .env} file included. */
    private static Map<String, String> variables(Stores stores) {
        Map<String, String> variables = new HashMap<>();
        for (String name : SETTINGS) {
            for (String variable : List.of(name, name + BigLedgerAuth.REF_SUFFIX)) {
                Optional<Secret> value = stores.variable(variable);
                value.ifPresent(secret -> variables.put(variable, secret.reveal()));
            }
        }
        return variables;
    }

    private static void print(VerifyResult result, PrintWriter out) {
        result.company().ifPresentOrElse(company -> {
            out.println(line("company", company.id() + company.name().map(name -> " (" + name + ")").orElse("")));
            out.println(line("plan", company.plan().orElse("(not given)")));
        }, () -> out.println(line("company", "(not given)")));
        out.println(line("permissions", result.permissions().isEmpty() ? "(none)"
                : String.join(", ", result.permissions())));
    }

    private static int failed(PrintWriter err, BigLedgerAuthException e, int exitCode) {
        err.println("bigledger-auth verify: " + Messages.oneLine(e.getMessage()));
        return exitCode;
    }

    private static String line(String label, String text) {
        return String.format("%-12s %s", label, text);
    }
}
