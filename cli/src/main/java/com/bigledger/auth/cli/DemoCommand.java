package com.bigledger.auth.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bigledger-auth demo}: the library at work against the BigLedger API double on 127.0.0.1, with no
 * configuration and nothing outside the process. The work is in {@link Demo}, which this class names only where
 * it runs, so that the double's classes are loaded by this command alone. Not thread-safe: picocli sets its fields
 * before each run.
 */
@Command(
        name = "demo",
        description = {
            "Shows the library at work, with no configuration and nothing leaving this process: a BigLedger API "
                    + "double and its token endpoint on 127.0.0.1, issuing access tokens of 2 seconds and rotating "
                    + "refresh tokens, which are kept in a temporary encrypted file store (deleted at exit).",
            "",
            "It keeps a token fresh over several lifetimes, sends 50 requests at once from a cold start (one token "
                    + "request), recovers from a 401 with one refresh, then prints the request counts. Values are "
                    + "generated fakes, shown redacted. About 8 seconds; a live display on a terminal, plain lines "
                    + "otherwise.",
            "",
            "For a real configuration, run 'bigledger-auth doctor' next."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every step did what it shows",
            "4:a step did not (the line says which), or the demo could not start"
        })
final class DemoCommand implements Callable<Integer> {

    private final BooleanSupplier terminal;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean helpRequested;

    @Spec
    private CommandSpec spec;

    /** Creates the command, with a live display when standard output is a terminal. */
    DemoCommand() {
        this(DemoCommand::stdoutIsTerminal);
    }

    /**
     * Creates the command.
     *
     * @param terminal tells whether standard output is a terminal, for the live display
     */
    DemoCommand(BooleanSupplier terminal) {
        this.terminal = Objects.requireNonNull(terminal, "terminal");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return new Demo(out, err, terminal.getAsBoolean()).run();
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Tells whether standard output is a terminal: a console exists and, on JDK 22 and later (where a console
     * exists for redirected output too), {@code Console.isTerminal()} says so.
     */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            // JDK 17 to 21: a console exists only for a terminal.
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
