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

    /** Picocli's list of the built-in converters it leaves out (regular expressions over class names). */
    static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

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
        int exitCode = commandLine(System.getenv(), System.in, LoginCommand.systemBrowser(), args).setOut(out)
                .setErr(err).execute(args);
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
        return commandLine(environment, stdin, browser, new String[0]);
    }

    /**
     * Builds the command line for the arguments it will run: when the first names a command, that command alone
     * is added. Picocli reads an annotated command by reflection when it is added, which was most of the start-up
     * time of a run that uses one; help, the command list and a mistyped name still get them all. The top-level
     * command and those scripts run often ({@code resolve}, {@code doctor}, {@code token}) are built without
     * annotations (see {@link CommandSpecs}).
     *
     * @param environment the environment variables the commands read
     * @param stdin where {@code secrets put} reads values
     * @param browser opens the authorize URL of {@code login}
     * @param args the arguments the command line will be executed with
     * @return the command line
     */
    static CommandLine commandLine(Map<String, String> environment, InputStream stdin,
            java.util.function.Consumer<java.net.URI> browser, String[] args) {
        Objects.requireNonNull(environment, "environment");
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            // Picocli registers its converters for the java.time and java.sql types by reflection whenever a
            // command line is built, which initializes those classes (java.time's formatters among them). No
            // option here has such a type without a converter of its own (TimeoutOption reads the durations).
            System.setProperty(CONVERTER_EXCLUDES, "java\\.time\\..*,java\\.sql\\..*");
        }
        Map<String, java.util.function.Supplier<Object>> commands = new java.util.LinkedHashMap<>();
        commands.put("demo", DemoCommand::new);
        commands.put("resolve", () -> new CommandLine(ResolveCommand.spec(environment)));
        commands.put("doctor", () -> new CommandLine(DoctorCommand.spec(environment)));
        commands.put("verify", () -> new VerifyCommand(environment));
        commands.put("token", () -> new CommandLine(TokenCommand.spec(environment)));
        commands.put("login", () -> new LoginCommand(environment, browser));
        commands.put("secrets", () -> SecretsCommand.commandLine(environment, stdin));
        commands.put("help", CommandLine.HelpCommand::new);
        CommandLine commandLine = new CommandLine(BigLedgerAuthCommand.spec());
        String first = args.length > 0 ? args[0] : "";
        if (commands.containsKey(first) && !first.equals("help")) {
            commandLine.addSubcommand(first, commands.get(first).get());
        } else {
            commands.forEach((name, command) -> commandLine.addSubcommand(name, command.get()));
        }
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
