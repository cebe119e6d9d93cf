package com.bigledger.auth.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The entry point of the {@code bigledger-auth} command.
 *
 * <p>Output is UTF-8 whatever the locale, so that redacted values print alike everywhere. Exit codes are those
 * of {@link ExitCodes}, listed in {@code --help}. Not thread-safe; each run builds its own command line.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command line, such as {@code resolve env:BIGLEDGER_API_KEY}
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int exitCode = commandLine(System.getenv()).setOut(out).setErr(err).execute(args);
        out.flush();
        err.flush();
        System.exit(exitCode);
    }

    /**
     * Builds the command line over an environment; callers set its output and error writers, then execute it.
     *
     * @param environment the environment variables the commands read
     * @return the command line
     */
    static CommandLine commandLine(Map<String, String> environment) {
        return commandLine(environment, System.in);
    }

    /**
     * Builds the command line over an environment and a standard input.
     *
     * @param environment the environment variables the commands read
     * @param stdin where {@code secrets put} reads values
     * @return the command line
     */
    static CommandLine commandLine(Map<String, String> environment, InputStream stdin) {
        return commandLine(environment, stdin, LoginCommand.systemBrowser());
    }

    /**
     * Builds the command line over an environment, a standard input and a way to open a browser.
     *
     * @param environment the environment variables the commands read
     * @param stdin where {@code secrets put} reads values
     * @param browser opens the authorize URL of {@code login}
     * @return the command line
     */
    static CommandLine commandLine(Map<String, String> environment, InputStream stdin,
            java.util.function.Consumer<java.net.URI> browser) {
        Objects.requireNonNull(environment, "environment");
        CommandLine commandLine = new CommandLine(new BigLedgerAuthCommand())
                .addSubcommand(new ResolveCommand(environment))
                .addSubcommand(new DoctorCommand(environment))
                .addSubcommand(new VerifyCommand(environment))
                .addSubcommand(new TokenCommand(environment))
                .addSubcommand(new LoginCommand(environment, browser))
                .addSubcommand(SecretsCommand.commandLine(environment, stdin))
                .addSubcommand(new CommandLine.HelpCommand());
        commandLine.setParameterExceptionHandler(new UsageErrors());
        HelpLayout.apply(commandLine);
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            // Anything the commands did not expect: one line, no stack trace; library messages hold no secret.
            failed.getErr().println("bigledger-auth: unexpected error: " + exception.getClass().getName() + ": "
                    + Messages.oneLine(exception.getMessage()));
            return ExitCodes.ERROR;
        });
        return commandLine;
    }
}
