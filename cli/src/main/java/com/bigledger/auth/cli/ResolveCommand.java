package com.bigledger.auth.cli;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.spi.EnvironmentSettings;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code bigledger-auth resolve REF}: resolves a credential reference through a
 * {@link com.bigledger.auth.CredentialVault} and prints the reference, the store's version and the redacted value;
 * with {@code --reveal}, the value alone.
 *
 * <p>Failures are one line on stderr that names the reference, with a distinct exit code for a missing
 * credential. Its model is built by {@link #spec}, without annotations (see {@link CommandSpecs}). Not thread-safe:
 * picocli sets the model's values before each run.
 */
final class ResolveCommand implements Callable<Integer> {

    private static final String[] DESCRIPTION = {
            "Resolves a credential reference and prints the reference, the store's version (if it keeps one) and "
                    + "the value, redacted: a known prefix such as blg_live_sk_ at most.",
            "With --reveal, prints the value alone on stdout, followed by a newline, for scripts.",
            "",
            "References are scheme:path[?options][#field], for example:",
            "  env:BIGLEDGER_API_KEY",
            "  aws-sm:prod/bigledger#api_key",
            "  vault:secret/bigledger#api_key",
            "Each scheme is served by a store on the class path, configured as a service would configure it."
    };

    private final Map<String, String> environment;

    private CommandSpec spec;

    private ResolveCommand(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /**
     * Builds the command's model over an environment.
     *
     * @param environment the variables {@code env:} references read
     * @return the model, which runs the command
     */
    static CommandSpec spec(Map<String, String> environment) {
        ResolveCommand command = new ResolveCommand(environment);
        CommandSpec spec = CommandSpecs.command(command, "resolve", DESCRIPTION, "0:success", ExitCodes.PROBLEMS_HELP,
                ExitCodes.USAGE_HELP, ExitCodes.NOT_FOUND_HELP, ExitCodes.ERROR_HELP);
        spec.addPositional(PositionalParamSpec.builder().paramLabel("REF").type(String.class).arity("1").required(true)
                .description("the credential reference to resolve").build());
        spec.addOption(CommandSpecs.flag("Print the value itself, alone on one line (for scripts).", "--reveal"));
        spec.addOption(TimeoutOption.option());
        command.spec = spec;
        return spec;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String reference = spec.positionalParameters().get(0).getValue();
        boolean reveal = CommandSpecs.isSet(spec, "--reveal");
        CredentialRef ref;
        try {
            ref = CredentialRef.parse(reference);
        } catch (IllegalArgumentException e) {
            err.println("bigledger-auth resolve: " + Messages.without(e.getMessage(), reference));
            return ExitCodes.USAGE;
        }
        // Printed before the stores are closed: a value is not assumed to outlive the store that loaded it.
        try (Stores stores = new Stores(environment, TimeoutOption.of(spec), Stores.warnings(err))) {
            VersionedSecret resolved = stores.vault().handle(ref).versioned();
            return reveal ? printValue(ref, resolved, out, err) : printRedacted(ref, resolved, out);
        } catch (RuntimeException e) {
            // IllegalStateException: the stores on the class path conflict (two for one scheme);
            // IllegalArgumentException: the store does not support an option of the reference.
            if (!CommandRun.isCredentialFailure(e)) {
                throw e;
            }
            err.println(failure(ref, e.getMessage()));
            return CommandRun.credentialExitCode(e);
        }
    }

    private static int printValue(CredentialRef ref, VersionedSecret resolved, PrintWriter out, PrintWriter err) {
        String value;
        try {
            value = resolved.secret().reveal();
        } catch (IllegalStateException e) {
            err.println("bigledger-auth resolve: cannot reveal " + ref + ": " + Messages.oneLine(e.getMessage()));
            return ExitCodes.ERROR;
        }
        out.print(value);
        out.print('\n');
        out.flush();
        return ExitCodes.OK;
    }

    private static int printRedacted(CredentialRef ref, VersionedSecret resolved, PrintWriter out) {
        out.println("reference  " + ref);
        resolved.version().ifPresent(version -> out.println("version    " + version));
        out.println("value      " + resolved.secret());
        out.flush();
        return ExitCodes.OK;
    }

    private static String failure(CredentialRef ref, String exceptionMessage) {
        String detail = CommandRun.credentialDetail(ref, exceptionMessage);
        return "bigledger-auth resolve: cannot resolve " + ref + ": " + detail;
    }
}
