package com.bigledger.auth.store.file;

import static com.bigledger.auth.store.file.TestSecretsFiles.ref;
import static com.bigledger.auth.store.file.TestSecretsFiles.resign;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a file's header may ask of the key derivation is capped, and weaker than RFC 9106 is refused. */
class KdfLimitsTest {

    /** Offset of the Argon2id memory in a file's header: frame (18), KDF type (1), salt (16). */
    private static final int MEMORY_OFFSET = 18 + 1 + 16;

    @TempDir
    Path folder;

    private Path vault() {
        return folder.resolve("vault.blgv");
    }

    @Test
    void headerAskingForThousandsOfPassesIsRefusedAsOutOfRangeNotAsAWrongPassphrase() throws IOException {
        TestSecretsFiles.source(vault()).write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        editHeader(64, 1000, 1);

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.UNSAFE_KDF_PARAMETERS)
                .hasMessageContaining("1000 passes").hasMessageContaining("1 to 10");
    }

    @Test
    void headerAskingForManyLanesIsRefusedAsOutOfRange() throws IOException {
        TestSecretsFiles.source(vault()).write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        editHeader(8 * 200, 1, 200);

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.UNSAFE_KDF_PARAMETERS).hasMessageContaining("200 lanes");
    }

    @Test
    void fileWeakerThanRfc9106IsRefusedByADefaultSource() throws IOException {
        TestSecretsFiles.source(vault()).write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());

        FileCredentialSource strict = FileCredentialSource.builder().file(vault())
                .passphrase(Secret.of(TestSecretsFiles.PASSPHRASE)).build();

        assertThatThrownBy(() -> strict.load(ref("api_key"))).isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.UNSAFE_KDF_PARAMETERS)
                .hasMessageContaining("RFC 9106");
    }

    @Test
    void weakParametersForNewFilesNeedTheTestOnlyOption() {
        assertThatThrownBy(() -> FileCredentialSource.builder().file(vault())
                .passphrase(Secret.of(TestSecretsFiles.PASSPHRASE)).kdfParameters(TestSecretsFiles.SMALL).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowWeakKdf");
    }

    /** Rewrites the Argon2id parameters of the header and recomputes the file's unkeyed checksum. */
    private void editHeader(int memoryKiB, int iterations, int parallelism) throws IOException {
        byte[] bytes = Files.readAllBytes(vault());
        ByteBuffer.wrap(bytes).putInt(MEMORY_OFFSET, memoryKiB).putInt(MEMORY_OFFSET + 4, iterations)
                .putInt(MEMORY_OFFSET + 8, parallelism);
        resign(bytes);
        Files.write(vault(), bytes);
    }
}
