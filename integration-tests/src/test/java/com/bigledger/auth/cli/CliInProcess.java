package com.bigledger.auth.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;

/**
 * Runs the {@code bigledger-auth} command line in the test JVM, over a given environment, as {@code Main} would
 * in its own process but without exiting. Lives in the command's package because {@code Main.commandLine} is
 * package-private; the integration tests run on the class path, where the package is shared.
 */
public final class CliInProcess {

    private CliInProcess() {
    }

    /**
     * Runs the command once with an empty standard input and no browser to open.
     *
     * @param environment the variables the command reads instead of the process environment
     * @param out where the command prints its results
     * @param err where the command prints messages
     * @param args the command line
     * @return the exit code
     */
    public static int run(Map<String, String> environment, Writer out, Writer err, String... args) {
        return Main.commandLine(environment, new ByteArrayInputStream(new byte[0]), uri -> { })
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
