package com.bigledger.auth.cli;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Runs the commands' common paths once, quietly, while the build records the classes they load into the AppCDS
 * archive the launcher uses ({@code -XX:ArchiveClassesAtExit}). Nothing leaves the process: one token request goes
 * to a closed port on 127.0.0.1 and gives up at once; the others go to a token endpoint stand-in on 127.0.0.1, first
 * to fill a token record in a throw-away file store, then to print its still-valid token with no request (the
 * path a shell's repeated {@code token} takes). Not part of the command line.
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
            run(environment, run);
        }
        try {
            tokenRecord(environment);
        } catch (IOException | RuntimeException | LinkageError e) {
            // The archive then lacks these classes, and the command loads them from the jar: slower, not wrong.
            // (A LinkageError: a jar assembled without a class the training uses; the build goes on without it.)
            System.err.println("bigledger-auth: the class-data training of 'token' on a token record failed ("
                    + e.getClass().getSimpleName() + "); the archive leaves those classes out");
        }
    }

    /** Runs {@code token} on the token record in a throw-away file store, twice: a request, then the kept token. */
    private static void tokenRecord(Map<String, String> base) throws IOException {
        Path folder = Demo.privateFolder();
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.dispatcher(request -> FakeTokenEndpoint.Response.token("training-at-" + UUID.randomUUID(), 3600,
                    "training-rt-" + UUID.randomUUID()));
            Map<String, String> environment = new HashMap<>(base);
            environment.put(FileCredentialSource.FILE_VARIABLE, folder.resolve("training.blgv").toString());
            environment.put(FileCredentialSource.KEY_FILE_VARIABLE, Demo.keyFile(folder).toString());
            try (FileCredentialSource file = FileCredentialSource.builder().environment(environment).build();
                    CredentialVault vault = CredentialVault.builder().source(file).discoverSources(false).build()) {
                TokenManager.storeRefreshToken(vault, CredentialRef.parse(TokenCommand.DEFAULT_TOKEN_RECORD_REF),
                        Secret.of("training-rt-" + UUID.randomUUID()));
            }
            String[] token = {"token", "--refresh-token", "--token-endpoint", endpoint.uri().toString(),
                "--allow-insecure-loopback"};
            run(environment, token);
            run(environment, token);
        } finally {
            Demo.deleteTree(folder);
        }
    }

    private static void run(Map<String, String> environment, String... args) {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Main.commandLine(environment, new ByteArrayInputStream(new byte[0]), LoginCommand.systemBrowser())
                .setOut(nowhere).setErr(nowhere).execute(args);
    }
}
