package com.bigledger.auth.cli;

import com.bigledger.auth.testing.Canary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** One in-process run of the command line over a chosen environment, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(Map<String, String> environment, String... args) {
        return withInput(environment, new byte[0], args);
    }

    static CliRun withInput(Map<String, String> environment, byte[] stdin, String... args) {
        return run(environment, stdin, uri -> { }, args);
    }

    static CliRun withBrowser(Map<String, String> environment, java.util.function.Consumer<java.net.URI> browser,
            String... args) {
        return run(environment, new byte[0], browser, args);
    }

    private static CliRun run(Map<String, String> environment, byte[] stdin,
            java.util.function.Consumer<java.net.URI> browser, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(environment, new java.io.ByteArrayInputStream(stdin), browser, args)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        CliRun run = new CliRun(exitCode, out.toString(), err.toString());
        run.checkForLeaks(args);
        return run;
    }

    /**
     * The suite's leak check for what the user sees: the command's error stream never holds a fake secret, and its
     * output holds one only for the forms whose purpose is to print a secret ({@code --reveal}, {@code token}).
     * Streams a test hands to picocli are not the process's own, so {@code LeakCheckExtension} cannot see them.
     */
    private void checkForLeaks(String... args) {
        String command = args.length == 0 ? "" : args[0];
        if (Canary.leaksIn(err)) {
            throw new AssertionError("A fake secret value reached the standard error of: bigledger-auth "
                    + command + " (value withheld)");
        }
        boolean prints = java.util.Arrays.asList(args).contains("--reveal") || command.equals("token");
        if (!prints && Canary.leaksIn(out)) {
            throw new AssertionError("A fake secret value reached the standard output of: bigledger-auth "
                    + command + " (value withheld)");
        }
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** Everything the run printed, to check that a secret appears nowhere. */
    String all() {
        return out + err;
    }
}
