package com.bigledger.auth.cli;

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
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** Everything the run printed, to check that a secret appears nowhere. */
    String all() {
        return out + err;
    }
}
