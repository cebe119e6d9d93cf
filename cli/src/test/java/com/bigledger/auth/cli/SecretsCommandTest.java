package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.file.KdfParameters;
import com.bigledger.auth.testing.Canary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsCommandTest {

    private static final String PASSPHRASE = "cli test passphrase, not a secret";

    @TempDir
    Path folder;

    private Map<String, String> environment;
    private Path vault;

    @BeforeEach
    void createVaultWithCheapKeyDerivation() {
        vault = folder.resolve("vault.blgv");
        environment = Map.of(FileCredentialSource.FILE_VARIABLE, vault.toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, PASSPHRASE, FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE,
                "true");
        // The file's header carries its Argon2id cost, so the commands use these small parameters too (below
        // RFC 9106's floor, which the test-only variable allows).
        FileCredentialSource.builder().environment(environment).kdfParameters(KdfParameters.argon2id(64, 1, 1))
                .build().write(CredentialRef.of("file", "seed"), Secret.of("seed"), Optional.empty());
    }

    @Test
    void putReadsStdinAndGetPrintsItRedactedOrRevealed() {
        String value = Canary.value("blg_test_sk_");

        CliRun put = CliRun.withInput(environment, (value + "\n").getBytes(StandardCharsets.UTF_8),
                "secrets", "put", "bigledger/api_key");
        CliRun redacted = CliRun.of(environment, "secrets", "get", "bigledger/api_key");
        CliRun revealed = CliRun.of(environment, "secrets", "get", "bigledger/api_key", "--reveal");

        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCodes.OK);
        assertThat(put.err()).contains("stored file:bigledger/api_key").doesNotContain(value);
        assertThat(redacted.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(redacted.out()).contains("reference  file:bigledger/api_key").contains("blg_test_sk_")
                .doesNotContain(value);
        assertThat(revealed.out()).isEqualTo(value + "\n");
    }

    @Test
    void listPrintsNamesAndRmRemoves() {
        CliRun.withInput(environment, "x".getBytes(StandardCharsets.UTF_8), "secrets", "put", "other");

        CliRun list = CliRun.of(environment, "secrets", "list");
        CliRun rm = CliRun.of(environment, "secrets", "rm", "other");
        CliRun again = CliRun.of(environment, "secrets", "rm", "other");

        assertThat(list.out().lines()).containsExactly("other", "seed");
        assertThat(rm.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(CliRun.of(environment, "secrets", "list").out().lines()).containsExactly("seed");
        assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void emptyStdinIsAUsageErrorAndAValueArgumentIsRefused() {
        CliRun empty = CliRun.of(environment, "secrets", "put", "x");
        CliRun extra = CliRun.of(environment, "secrets", "put", "x", "value-on-the-command-line");

        assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.err()).contains("stdin is empty");
        assertThat(extra.exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void missingEntryIsNotFoundAndAWrongPassphraseIsAnError() {
        CliRun missing = CliRun.of(environment, "secrets", "get", "nothing");
        CliRun wrong = CliRun.of(Map.of(FileCredentialSource.FILE_VARIABLE, vault.toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, "another", FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE,
                "true"), "secrets", "list");

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(wrong.err()).contains("the passphrase does not open it");
    }

    @Test
    void listOfAMissingFileFailsLikeGet() {
        Path missing = folder.resolve("missing.blgv");

        CliRun list = CliRun.of(environment, "secrets", "list", "--file", missing.toString());
        CliRun get = CliRun.of(environment, "secrets", "get", "x", "--file", missing.toString());

        assertThat(list.exitCode()).isEqualTo(get.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(list.errLines()).singleElement().asString()
                .isEqualTo("bigledger-auth secrets list: there is no secrets file at " + missing);
    }

    @Test
    void missingPassphraseIsAConfigurationProblem() {
        Map<String, String> noPassphrase = Map.of(FileCredentialSource.FILE_VARIABLE, vault.toString(),
                FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true");

        for (String[] command : new String[][] {{"secrets", "get", "seed"}, {"secrets", "list"},
                {"resolve", "file:seed"}}) {
            CliRun run = CliRun.of(noPassphrase, command);
            assertThat(run.exitCode()).as(String.join(" ", command)).isEqualTo(ExitCodes.CONFIGURATION);
            assertThat(run.err()).contains("no passphrase for the secrets file",
                    "BIGLEDGER_SECRETS_PASSPHRASE is not set");
        }
    }

    @Test
    void theOldVariableNamesStillWorkWithOneWarningEachOnStderr() {
        Map<String, String> old = Map.of("BIGLEDGER_VAULT_FILE", vault.toString(),
                "BIGLEDGER_VAULT_PASSPHRASE", PASSPHRASE, "BIGLEDGER_VAULT_ALLOW_WEAK_KDF", "true");

        CliRun list = CliRun.of(old, "secrets", "list");
        CliRun resolve = CliRun.of(old, "resolve", "file:seed");

        assertThat(list.exitCode()).as(list.err()).isEqualTo(ExitCodes.OK);
        assertThat(list.out().lines()).containsExactly("seed");
        assertThat(resolve.exitCode()).as(resolve.err()).isEqualTo(ExitCodes.OK);
        for (CliRun run : List.of(list, resolve)) {
            assertThat(run.errLines()).containsExactlyInAnyOrder(
                    warning("BIGLEDGER_VAULT_FILE", "BIGLEDGER_SECRETS_FILE"),
                    warning("BIGLEDGER_VAULT_PASSPHRASE", "BIGLEDGER_SECRETS_PASSPHRASE"),
                    warning("BIGLEDGER_VAULT_ALLOW_WEAK_KDF", "BIGLEDGER_SECRETS_ALLOW_WEAK_KDF"));
            assertThat(run.err()).doesNotContain(PASSPHRASE);
        }
    }

    @Test
    void anOldAndANewVariableSetToDifferentValuesIsAConfigurationProblemNamingBoth() {
        Map<String, String> both = Map.of(FileCredentialSource.FILE_VARIABLE, vault.toString(),
                "BIGLEDGER_VAULT_FILE", folder.resolve("other.blgv").toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, PASSPHRASE, FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE,
                "true");

        CliRun list = CliRun.of(both, "secrets", "list");

        assertThat(list.exitCode()).isEqualTo(ExitCodes.CONFIGURATION);
        assertThat(list.errLines()).singleElement().asString()
                .contains("BIGLEDGER_VAULT_FILE and BIGLEDGER_SECRETS_FILE are both set");
    }

    private static String warning(String old, String current) {
        return "bigledger-auth: warning: " + old + " is deprecated and will stop working in the next release; set "
                + current + " instead";
    }

    @Test
    void putHelpPrintsItsExampleWithoutAFormattingWarning() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        CliRun run;
        try {
            run = CliRun.of(environment, "secrets", "put", "--help");
        } finally {
            System.setErr(original);
        }

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("printf %s \"$TOKEN\" | bigledger-auth secrets put bigledger/refresh_token");
        assertThat(captured.toString(StandardCharsets.UTF_8) + run.err()).doesNotContain("WARN");
    }

    @Test
    void putToAnotherReferenceGoesThroughItsStore() {
        String value = Canary.value("blg_test_sk_");

        CliRun put = CliRun.withInput(environment, value.getBytes(StandardCharsets.UTF_8),
                "secrets", "put", "--ref", "file:by_ref#api_key");
        CliRun get = CliRun.of(environment, "secrets", "get", "--ref", "file:by_ref#api_key", "--reveal");

        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCodes.OK);
        assertThat(get.out()).isEqualTo(value + "\n");
    }
}
