package com.bigledger.auth.store.file;

import static com.bigledger.auth.store.file.TestSecretsFiles.ref;
import static com.bigledger.auth.store.file.TestSecretsFiles.resign;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole file is authenticated: what an attacker without the key can do to the file (splice entries from an older
 * copy, delete one, reorder them, then recompute every unkeyed checksum) is refused as tampering.
 */
class FileMacTest {

    @TempDir
    Path folder;

    private Path vault() {
        return folder.resolve("vault.blgv");
    }

    @Test
    void olderCopyOfOneEntrySplicedIntoTheCurrentFileIsTampering() throws IOException {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        source.write(ref("refresh_token"), Canary.secret("blg_oauth_rt_"), Optional.empty());
        byte[] older = Files.readAllBytes(vault());
        source.write(ref("refresh_token"), Canary.secret("blg_oauth_rt_"), Optional.empty());
        byte[] current = Files.readAllBytes(vault());

        SecretsFileFormat.Contents now = decode(current);
        Map<String, SecretsFileFormat.Entry> entries = new TreeMap<>(now.entries);
        entries.put("refresh_token", decode(older).entries.get("refresh_token"));
        Files.write(vault(), forge(now, entries, current));

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("refresh_token")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("fails authentication");
        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("fails authentication");
    }

    @Test
    void deletedEntryIsTampering() throws IOException {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        source.write(ref("refresh_token"), Canary.secret("blg_oauth_rt_"), Optional.empty());
        byte[] current = Files.readAllBytes(vault());

        SecretsFileFormat.Contents now = decode(current);
        Map<String, SecretsFileFormat.Entry> entries = new TreeMap<>(now.entries);
        entries.remove("refresh_token");
        Files.write(vault(), forge(now, entries, current));

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("fails authentication");
        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).names())
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("fails authentication");
    }

    @Test
    void reorderedEntriesAreTampering() throws IOException {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        source.write(ref("refresh_token"), Canary.secret("blg_oauth_rt_"), Optional.empty());
        byte[] current = Files.readAllBytes(vault());
        SecretsFileFormat.Contents now = decode(current);
        int start = SecretsFileFormat.PREFIX_LENGTH + now.kdf.encoded().length + 8 + SecretsFileFormat.NONCE_LENGTH
                + SecretsFileFormat.TAG_LENGTH + 4;
        int end = current.length - 64;
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(current, start, end - start);
        int nameLength = Short.toUnsignedInt(in.getShort());
        in.position(in.position() + nameLength + 8 + SecretsFileFormat.NONCE_LENGTH);
        int first = in.getInt() + in.position() - start;

        byte[] reordered = current.clone();
        System.arraycopy(current, start + first, reordered, start, end - start - first);
        System.arraycopy(current, start, reordered, end - first, first);
        resign(reordered);
        Files.write(vault(), reordered);

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("fails authentication");
    }

    @Test
    void olderGenerationWithTheCurrentEntriesIsTampering() throws IOException {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        byte[] current = Files.readAllBytes(vault());

        SecretsFileFormat.Contents now = decode(current);
        SecretsFileFormat.Contents lowered = new SecretsFileFormat.Contents(now.kdf, now.generation - 1, now.checkNonce,
                now.checkTag, now.entries);
        Files.write(vault(), forge(lowered, now.entries, current));

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("fails authentication");
    }

    @Test
    void fileOfFormat1IsReadAndRewrittenInTheCurrentFormatOnTheNextWrite() throws IOException {
        copyFormat1Fixture();
        FileCredentialSource source = TestSecretsFiles.source(vault());

        assertThat(source.load(ref("api_key")).secret().reveal()).isEqualTo("format 1 value, not a secret");
        source.write(ref("other"), Canary.secret("blg_test_sk_"), Optional.empty());

        byte[] migrated = Files.readAllBytes(vault());
        assertThat(decode(migrated).formatVersion).isEqualTo(SecretsFileFormat.VERSION);
        FileCredentialSource reader = TestSecretsFiles.source(vault());
        assertThat(reader.load(ref("api_key")).secret().reveal()).isEqualTo("format 1 value, not a secret");
        assertThat(reader.load(ref("api_key")).version()).hasValue("1");
        assertThat(reader.load(ref("token")).secret().reveal()).isEqualTo("format 1 token, not a secret");
        assertThat(reader.load(ref("token")).version()).hasValue("2");
        assertThat(reader.names()).containsExactly("api_key", "other", "token");
    }

    @Test
    void format1CopyPutBackAfterTheSourceReadTheCurrentFormatIsTampering() throws IOException {
        copyFormat1Fixture();
        byte[] format1 = Files.readAllBytes(vault());
        FileCredentialSource source = TestSecretsFiles.source(vault());
        source.write(ref("token"), Canary.secret("blg_oauth_rt_"), Optional.empty());
        source.load(ref("token"));

        Files.write(vault(), format1);

        assertThatThrownBy(() -> source.load(ref("token"))).isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED)
                .hasMessageContaining("older copy");
    }

    private void copyFormat1Fixture() throws IOException {
        // Written by the previous release with TestSecretsFiles' passphrase and cost: two entries, versions 1 and 2.
        try (var in = FileMacTest.class.getResourceAsStream("format-1.blgv")) {
            Files.write(vault(), in.readAllBytes());
        }
        if (vault().getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(vault(),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(decode(Files.readAllBytes(vault())).formatVersion).isEqualTo(SecretsFileFormat.VERSION_1);
    }

    private SecretsFileFormat.Contents decode(byte[] bytes) {
        return SecretsFileFormat.decode(bytes, ref("*"), vault());
    }

    /**
     * What an attacker without the key writes: the changed contents with the current file's MAC (the one keyed value
     * they cannot recompute), every unkeyed checksum recomputed.
     */
    private static byte[] forge(SecretsFileFormat.Contents contents, Map<String, SecretsFileFormat.Entry> entries,
            byte[] current) {
        byte[] mac = Arrays.copyOfRange(current, current.length - 64, current.length - 32);
        return SecretsFileFormat.encode(new SecretsFileFormat.Contents(contents.kdf, contents.generation, contents.checkNonce,
                contents.checkTag, entries), (bytes, offset, length) -> mac.clone());
    }
}
