package com.bigledger.auth.store.file;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.EnvironmentSettings;
import com.bigledger.auth.spi.EnvironmentSettings.InvalidSettingException;
import com.bigledger.auth.testing.Canary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's variables: the BIGLEDGER_SECRETS_* names, and the BIGLEDGER_VAULT_* names they replace. */
class SecretsFileVariablesTest {

    private static final CredentialRef ENTRY = CredentialRef.of(FileCredentialSource.SCHEME, "bigledger/api_key");

    @TempDir
    Path folder;

    private final List<String> warnings = new ArrayList<>();

    private FileCredentialSource source(Map<String, String> variables) {
        return FileCredentialSource.builder().environment(EnvironmentSettings.of(variables, warnings::add))
                .kdfParameters(TestSecretsFiles.SMALL).build();
    }

    /** The store's three variables named with {@code prefix}: the file, the test passphrase and the weak-KDF opt-in. */
    private static Map<String, String> variables(String prefix, Path file) {
        return Map.of(prefix + "_FILE", file.toString(), prefix + "_PASSPHRASE", TestSecretsFiles.PASSPHRASE,
                prefix + "_ALLOW_WEAK_KDF", "true");
    }

    @Test
    void theNewVariablesConfigureTheStoreWithoutAWarning() {
        Path file = folder.resolve("secrets.blgv");
        Secret value = Canary.secret("blg_test_sk_");

        try (FileCredentialSource source = source(variables("BIGLEDGER_SECRETS", file))) {
            source.write(ENTRY, value, Optional.empty());

            assertThat(source.file()).isEqualTo(file.toAbsolutePath());
            assertThat(source.load(ENTRY).secret()).isEqualTo(value);
        }
        assertThat(warnings).isEmpty();
        assertThat(TestSecretsFiles.source(file).load(ENTRY).secret()).isEqualTo(value);
    }

    @Test
    void theOldVariablesStillWorkWithOneWarningEachNamingTheOldAndTheNewVariable() {
        Path file = folder.resolve("vault.blgv");
        Secret value = Canary.secret("blg_test_sk_");

        try (FileCredentialSource source = source(variables("BIGLEDGER_VAULT", file))) {
            source.write(ENTRY, value, Optional.empty());
            source.load(ENTRY);

            assertThat(source.file()).isEqualTo(file.toAbsolutePath());
            assertThat(source.load(ENTRY).secret()).isEqualTo(value);
        }

        assertThat(warnings).hasSize(3).allSatisfy(w -> assertThat(w).doesNotContain(TestSecretsFiles.PASSPHRASE));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("BIGLEDGER_VAULT_FILE", "BIGLEDGER_SECRETS_FILE"))
                .anySatisfy(w -> assertThat(w).contains("BIGLEDGER_VAULT_PASSPHRASE",
                        "BIGLEDGER_SECRETS_PASSPHRASE"))
                .anySatisfy(w -> assertThat(w).contains("BIGLEDGER_VAULT_ALLOW_WEAK_KDF",
                        "BIGLEDGER_SECRETS_ALLOW_WEAK_KDF"));
    }

    @Test
    void aFileWrittenUnderTheOldVariablesOpensUnderTheNewOnes() {
        Path file = folder.resolve("vault.blgv");
        Secret value = Canary.secret("blg_test_sk_");
        try (FileCredentialSource old = source(variables("BIGLEDGER_VAULT", file))) {
            old.write(ENTRY, value, Optional.empty());
        }

        try (FileCredentialSource renamed = source(Map.of(FileCredentialSource.FILE_VARIABLE, file.toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, TestSecretsFiles.PASSPHRASE,
                FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true"))) {
            assertThat(renamed.load(ENTRY).secret()).isEqualTo(value);
        }
    }

    @Test
    void anOldPassphraseReferenceVariableIsStillRead() {
        Path file = folder.resolve("vault.blgv");
        Secret value = Canary.secret("blg_test_sk_");

        try (FileCredentialSource source = source(Map.of(FileCredentialSource.FILE_VARIABLE, file.toString(),
                "BIGLEDGER_VAULT_PASSPHRASE_REF", "env:OTHER_PASSPHRASE",
                "OTHER_PASSPHRASE", TestSecretsFiles.PASSPHRASE,
                FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true"))) {
            source.write(ENTRY, value, Optional.empty());
        }

        assertThat(warnings).singleElement().asString()
                .contains("BIGLEDGER_VAULT_PASSPHRASE_REF", FileCredentialSource.PASSPHRASE_REF_VARIABLE);
        assertThat(TestSecretsFiles.source(file).load(ENTRY).secret()).isEqualTo(value);
    }

    @Test
    void theOldAndTheNewFileVariableSetToDifferentFilesIsATypedErrorNamingBoth() {
        InvalidSettingException thrown = catchThrowableOfType(InvalidSettingException.class,
                () -> source(Map.of(FileCredentialSource.FILE_VARIABLE, folder.resolve("a.blgv").toString(),
                        "BIGLEDGER_VAULT_FILE", folder.resolve("b.blgv").toString())));

        assertThat(thrown.variables()).containsExactly(FileCredentialSource.FILE_VARIABLE, "BIGLEDGER_VAULT_FILE");
        assertThat(thrown.getMessage()).contains("BIGLEDGER_SECRETS_FILE", "BIGLEDGER_VAULT_FILE");
    }

    @Test
    void theOldAndTheNewPassphraseSetToDifferentValuesIsATypedErrorThatShowsNeither() {
        String current = Canary.value("passphrase_");
        String old = Canary.value("passphrase_");
        FileCredentialSource source = source(Map.of(FileCredentialSource.FILE_VARIABLE,
                folder.resolve("vault.blgv").toString(), FileCredentialSource.PASSPHRASE_VARIABLE, current,
                "BIGLEDGER_VAULT_PASSPHRASE", old, FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true"));

        try (source) {
            InvalidSettingException thrown = catchThrowableOfType(InvalidSettingException.class,
                    () -> source.write(ENTRY, Secret.of("x"), Optional.empty()));

            assertThat(thrown.variables()).containsExactly(FileCredentialSource.PASSPHRASE_VARIABLE,
                    "BIGLEDGER_VAULT_PASSPHRASE");
            assertThat(thrown.getMessage()).doesNotContain(current, old);
        }
    }
}
