package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.vault.VaultCredentialSource;
import com.bigledger.auth.testing.Canary;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret pasted where its reference belongs (an option or a {@code _REF} variable) is refused as an invalid
 * reference, and no command prints any part of it.
 */
class SecretPastedAsReferenceTest {

    @TempDir
    Path folder;

    @Test
    void secretsGetWithAKeyInPlaceOfItsReferenceDoesNotPrintIt() {
        String key = FakeKeys.live();

        CliRun run = CliRun.of(Map.of(FileCredentialSource.FILE_VARIABLE, folder.resolve("v.blgv").toString()),
                "secrets", "get", "--ref", key);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("position");
        assertThat(Canary.leaksIn(run.all())).as("the output quotes the key").isFalse();
    }

    @Test
    void passphraseInPlaceOfItsReferenceIsNotPrintedByAnyCommand() {
        Map<String, String> environment = new HashMap<>();
        environment.put(FileCredentialSource.FILE_VARIABLE, folder.resolve("v.blgv").toString());
        environment.put(FileCredentialSource.PASSPHRASE_REF_VARIABLE, Canary.value("hunter") + " correct horse");
        environment.put("BIGLEDGER_TOKEN_ENDPOINT", "https://127.0.0.1:9/oauth/token");
        environment.put("BIGLEDGER_CLIENT_ID", "client");
        environment.put("BIGLEDGER_CLIENT_SECRET_REF", "file:bigledger/client_secret");

        for (String[] args : new String[][] {{"secrets", "list"}, {"secrets", "get", "x"},
                {"resolve", "file:x"}, {"token"}, {"doctor"}}) {
            CliRun run = CliRun.of(environment, args);

            assertThat(run.exitCode()).as(String.join(" ", args)).isNotZero();
            assertThat(Canary.leaksIn(run.all())).as("%s quotes the passphrase", String.join(" ", args)).isFalse();
        }
    }

    @Test
    void appRoleSecretIdInPlaceOfItsReferenceIsNotPrinted() {
        Map<String, String> environment = new HashMap<>();
        environment.put(VaultCredentialSource.ADDRESS_VARIABLE, "https://127.0.0.1:9");
        environment.put(VaultCredentialSource.ROLE_ID_VARIABLE, "role");
        environment.put(VaultCredentialSource.SECRET_ID_REF_VARIABLE, Canary.value("5f2b8c1e-3d4a-"));

        CliRun run = CliRun.of(environment, "resolve", "vault:secret/bigledger#api_key");

        assertThat(run.exitCode()).isNotZero();
        assertThat(Canary.leaksIn(run.all())).as("the output quotes the secret id").isFalse();
    }

    @Test
    void keyInARefVariableIsNotPrintedByDoctor() {
        CliRun run = CliRun.of(Map.of("BIGLEDGER_API_KEY_REF", FakeKeys.live() + "\n"), "doctor");

        assertThat(run.exitCode()).isNotZero();
        assertThat(Canary.leaksIn(run.all())).as("doctor quotes the key").isFalse();
    }
}
