package com.bigledger.auth.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;

/**
 * Runs the commands' common paths once, quietly, while the build records the classes they load into the AppCDS
 * archive the launcher uses ({@code -XX:ArchiveClassesAtExit}). Nothing leaves the process: the token request
 * goes to a closed port on 127.0.0.1 and gives up at once. Not part of the command line.
 */
final class ArchiveTraining {

    private ArchiveTraining() {
    }

    /**
     * Runs the training.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // A throw-away sandbox-shaped key made at run time, so that doctor's key checks run their usual path.
        String key = "blg_test_sk_" + java.util.UUID.randomUUID().toString().replace("-", "");
        Map<String, String> environment = Map.of(
                "BIGLEDGER_API_KEY", key,
                "BIGLEDGER_COMPANY_ID", "company_training",
                "BIGLEDGER_ENVIRONMENT", "sandbox",
                "BIGLEDGER_CLIENT_ID", "training",
                "BIGLEDGER_CLIENT_SECRET", "training-not-a-secret");
        String[][] runs = {
            {"resolve", "env:BIGLEDGER_API_KEY"},
            {"doctor"},
            {"--help"},
            {"token", "--help"},
            {"token", "--token-endpoint", "http://127.0.0.1:9/oauth/token", "--allow-insecure-loopback",
                "--timeout", "1ms"},
        };
        for (String[] run : runs) {
            PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
            Main.commandLine(environment, new ByteArrayInputStream(new byte[0]), uri -> { })
                    .setOut(nowhere).setErr(nowhere).execute(run);
        }
    }
}
