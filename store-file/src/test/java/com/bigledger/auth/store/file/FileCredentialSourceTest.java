package com.bigledger.auth.store.file;

import static com.bigledger.auth.store.file.TestSecretsFiles.ref;
import static com.bigledger.auth.store.file.TestSecretsFiles.resign;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.spi.EnvironmentSettings;
import com.bigledger.auth.testing.Canary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCredentialSourceTest {

    @TempDir
    Path folder;

    private Path vault() {
        return folder.resolve("config").resolve("vault.blgv");
    }

    private byte[] seedOne(Secret value) throws IOException {
        WriteResult written = TestSecretsFiles.source(vault()).write(ref("api_key"), value, Optional.empty());
        assertThat(written.isWritten()).isTrue();
        return Files.readAllBytes(vault());
    }

    @Test
    void valueWrittenByOneSourceIsReadByAnother() {
        Secret value = Canary.secret("blg_test_sk_");
        WriteResult written = TestSecretsFiles.source(vault()).write(ref("api_key"), value, Optional.empty());

        VersionedSecret loaded = TestSecretsFiles.source(vault()).load(ref("api_key"));

        assertThat(loaded.secret()).isEqualTo(value);
        assertThat(loaded.version()).isEqualTo(written.version());
    }

    @Test
    void fileHoldsNoPlaintext() throws IOException {
        String value = Canary.value("blg_test_sk_");
        byte[] bytes = seedOne(Secret.of(value));

        String asText = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(asText.contains(value.substring("blg_test_sk_".length()))).isFalse();
        assertThat(asText).contains("api_key");
    }

    @Test
    void fileIsCreatedReadableByItsOwnerOnly() throws IOException {
        assumeTrue(isPosix(), "POSIX permissions");
        seedOne(Canary.secret("blg_test_sk_"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vault()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vault().getParent())))
                .isEqualTo("rwx------");
        try (var listing = Files.list(vault().getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("vault.blgv", "vault.blgv.lock");
        }
    }

    @Test
    void groupReadableFileIsRefusedWithTheCommandThatFixesIt() throws IOException {
        assumeTrue(isPosix(), "POSIX permissions");
        seedOne(Canary.secret("blg_test_sk_"));
        Files.setPosixFilePermissions(vault(), PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.UNSAFE_PERMISSIONS)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION))
                .hasMessageContaining("chmod 600 '" + vault().toAbsolutePath() + "'");
        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).write(ref("x"), Secret.of("x"), Optional.empty()))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.UNSAFE_PERMISSIONS);
    }

    @Test
    void wrongPassphraseIsItsOwnErrorWithoutTheValue() throws IOException {
        seedOne(Canary.secret("blg_test_sk_"));
        FileCredentialSource other = FileCredentialSource.builder().file(vault())
                .passphrase(Secret.of("another passphrase")).allowWeakKdf(true).build();

        Throwable thrown = catchThrowable(() -> other.load(ref("api_key")));

        assertThat(thrown).isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.WRONG_KEY)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("file:api_key").hasMessageContaining("passphrase does not open it");
        assertThatThrownBy(() -> other.write(ref("api_key"), Secret.of("x"), Optional.empty()))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.WRONG_KEY);
        assertThat(TestSecretsFiles.source(vault()).load(ref("api_key")).version()).hasValue("1");
    }

    @Test
    void everyTamperedByteIsDetected() throws IOException {
        byte[] original = seedOne(Canary.secret("blg_test_sk_"));
        FileCredentialSource source = TestSecretsFiles.source(vault());
        List<Integer> undetected = new ArrayList<>();

        for (int i = 0; i < original.length; i++) {
            byte[] tampered = original.clone();
            tampered[i] ^= 0x01;
            Files.write(vault(), tampered);
            Throwable thrown = catchThrowable(() -> source.load(ref("api_key")));
            if (!(thrown instanceof SecretsFileException && ((SecretsFileException) thrown).reason() == SecretsFileException.Reason.TAMPERED)) {
                undetected.add(i);
            }
        }

        assertThat(undetected).as("offsets of flipped bytes not reported as tampering").isEmpty();
    }

    @Test
    void editedCiphertextWithARecomputedChecksumFailsAuthentication() throws IOException {
        byte[] original = seedOne(Canary.secret("blg_test_sk_"));
        SecretsFileFormat.Contents contents = SecretsFileFormat.decode(original, ref("api_key"), vault());
        SecretsFileFormat.Entry entry = contents.entries.get("api_key");
        byte[] ciphertext = entry.ciphertext.clone();
        ciphertext[0] ^= 0x01;
        rewrite(contents, Map.of("api_key", new SecretsFileFormat.Entry(entry.version, entry.nonce, ciphertext)));

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("fails authentication");
    }

    @Test
    void entriesSwappedBetweenNamesOrGivenAnotherVersionFailAuthentication() throws IOException {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        source.write(ref("live"), Canary.secret("blg_live_sk_"), Optional.empty());
        source.write(ref("test"), Canary.secret("blg_test_sk_"), Optional.empty());
        SecretsFileFormat.Contents contents = SecretsFileFormat.decode(Files.readAllBytes(vault()), ref("live"), vault());
        SecretsFileFormat.Entry live = contents.entries.get("live");
        SecretsFileFormat.Entry test = contents.entries.get("test");

        rewrite(contents, Map.of("live", test, "test", live));
        assertThatThrownBy(() -> source.load(ref("live"))).isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED);

        rewrite(contents, Map.of("live", new SecretsFileFormat.Entry(live.version + 5, live.nonce, live.ciphertext)));
        assertThatThrownBy(() -> source.load(ref("live"))).isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED);
    }

    @Test
    void everyTruncationIsDetected() throws IOException {
        byte[] original = seedOne(Canary.secret("blg_test_sk_"));
        FileCredentialSource source = TestSecretsFiles.source(vault());
        List<Integer> undetected = new ArrayList<>();

        for (int length = 0; length < original.length; length++) {
            Files.write(vault(), java.util.Arrays.copyOf(original, length));
            Throwable thrown = catchThrowable(() -> source.load(ref("api_key")));
            if (!(thrown instanceof SecretsFileException && ((SecretsFileException) thrown).reason() == SecretsFileException.Reason.TRUNCATED)) {
                undetected.add(length);
            }
        }

        assertThat(undetected).as("lengths not reported as truncation").isEmpty();
    }

    @Test
    void unknownFormatVersionIsRefusedByName() throws IOException {
        byte[] bytes = seedOne(Canary.secret("blg_test_sk_"));
        ByteBuffer.wrap(bytes).putShort(4, (short) 3);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, 14);
        ByteBuffer.wrap(bytes).putInt(14, (int) crc.getValue());
        resign(bytes);
        Files.write(vault(), bytes);

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.UNSUPPORTED_FORMAT)
                .hasMessageContaining("format version 3 is not supported");
    }

    @Test
    void nonVaultFileIsRefused() throws IOException {
        Files.createDirectories(vault().getParent());
        Files.writeString(vault(), "API_KEY=plain text\n");
        if (isPosix()) {
            Files.setPosixFilePermissions(vault(), PosixFilePermissions.fromString("rw-------"));
        }

        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.TAMPERED).hasMessageContaining("signature");
    }

    @Test
    void staleVersionIsAConflictAndAMissingEntryWithAnExpectedVersionToo() {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        String first = source.write(ref("token"), Canary.secret("blg_oauth_rt_"), Optional.empty()).version()
                .orElseThrow();
        WriteResult second = source.write(ref("token"), Canary.secret("blg_oauth_rt_"), Optional.of(first));

        WriteResult stale = source.write(ref("token"), Canary.secret("blg_oauth_rt_"), Optional.of(first));
        WriteResult absent = source.write(ref("nothing"), Canary.secret("blg_oauth_rt_"), Optional.of(first));

        assertThat(stale.isConflict()).isTrue();
        assertThat(stale.version()).isEqualTo(second.version());
        assertThat(absent.isConflict()).isTrue();
        assertThat(absent.version()).isEmpty();
        assertThat(source.names()).containsExactly("token");
    }

    @Test
    void removedEntryIsGoneAndARecreatedOneNeverReusesAVersion() {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        String first = source.write(ref("token"), Canary.secret("blg_oauth_rt_"), Optional.empty()).version()
                .orElseThrow();
        source.write(ref("other"), Canary.secret("blg_oauth_rt_"), Optional.empty());

        assertThat(source.remove("token")).isTrue();
        assertThat(source.remove("token")).isFalse();
        assertThatThrownBy(() -> source.load(ref("token"))).isInstanceOf(CredentialNotFoundException.class);
        String recreated = source.write(ref("token"), Canary.secret("blg_oauth_rt_"), Optional.empty()).version()
                .orElseThrow();

        assertThat(Long.parseLong(recreated)).isGreaterThan(Long.parseLong(first));
        assertThat(source.write(ref("token"), Secret.of("x"), Optional.of(first)).isConflict()).isTrue();
        assertThat(source.names()).containsExactly("other", "token");
    }

    @Test
    void missingVaultFileIsNotFoundAndListsNothing() {
        FileCredentialSource source = TestSecretsFiles.source(vault());

        assertThatThrownBy(() -> source.load(ref("api_key"))).isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("there is no secrets file at " + vault().toAbsolutePath());
        assertThat(source.names()).isEmpty();
        assertThat(source.remove("api_key")).isFalse();
    }

    @Test
    void rawKeyFileOpensTheVaultAndAPassphraseDoesNot() throws IOException {
        Path keyFile = folder.resolve("vault.key");
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        Files.writeString(keyFile, HexFormat.of().formatHex(key) + "\n");
        if (isPosix()) {
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
        Secret value = Canary.secret("blg_test_sk_");
        FileCredentialSource.builder().file(vault()).keyFile(keyFile).build()
                .write(ref("api_key"), value, Optional.empty());

        assertThat(FileCredentialSource.builder().file(vault()).keyFile(keyFile).build().load(ref("api_key"))
                .secret()).isEqualTo(value);
        assertThatThrownBy(() -> TestSecretsFiles.source(vault()).load(ref("api_key")))
                .isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.WRONG_KEY).hasMessageContaining("key file");
        Files.write(keyFile, new byte[7]);
        assertThatThrownBy(() -> FileCredentialSource.builder().file(vault()).keyFile(keyFile).build()
                .load(ref("api_key"))).isInstanceOf(SecretsFileException.class).hasFieldOrPropertyWithValue("reason", SecretsFileException.Reason.INVALID_KEY_FILE).hasMessageContaining("7 bytes");
    }

    @Test
    void defaultsComeFromTheEnvironment() {
        Path xdg = folder.resolve("xdg");
        Map<String, String> environment = Map.of("XDG_CONFIG_HOME", xdg.toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, TestSecretsFiles.PASSPHRASE);
        FileCredentialSource source = FileCredentialSource.builder().environment(environment)
                .kdfParameters(TestSecretsFiles.SMALL).allowWeakKdf(true).build();
        Secret value = Canary.secret("blg_test_sk_");
        source.write(ref("api_key"), value, Optional.empty());

        assertThat(source.file()).isEqualTo(xdg.resolve("bigledger").resolve("vault.blgv"));
        assertThat(TestSecretsFiles.source(source.file()).load(ref("api_key")).secret()).isEqualTo(value);
        assertThat(FileCredentialSource.Builder.defaultFile(EnvironmentSettings.of(Map.of("HOME", "/home/u"))))
                .isEqualTo(Path.of("/home/u/.config/bigledger/vault.blgv"));
        assertThat(FileCredentialSource.Builder.defaultFile(EnvironmentSettings.of(
                Map.of(FileCredentialSource.FILE_VARIABLE, "/v/f"))))
                .isEqualTo(Path.of("/v/f"));
    }

    @Test
    void missingPassphraseIsAConfigurationErrorNamingTheVariable() {
        FileCredentialSource source = FileCredentialSource.builder().environment(Map.of())
                .file(vault()).kdfParameters(TestSecretsFiles.SMALL).allowWeakKdf(true).build();

        assertThatThrownBy(() -> source.write(ref("api_key"), Secret.of("x"), Optional.empty()))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION))
                .hasMessageContaining(FileCredentialSource.PASSPHRASE_VARIABLE + " is not set");
    }

    @Test
    void defaultKdfParametersAreRfc9106SecondRecommendedOption() {
        KdfParameters defaults = KdfParameters.RFC_9106_SECOND_RECOMMENDED;

        assertThat(List.of(defaults.memoryKiB(), defaults.iterations(), defaults.parallelism()))
                .containsExactly(65536, 3, 4);
        assertThatThrownBy(() -> KdfParameters.argon2id(4, 1, 1)).hasMessageContaining("4 KiB");
    }

    @Test
    void conflictingKeyOptionsFailAtOnce() {
        assertThatThrownBy(() -> FileCredentialSource.builder().passphrase(Secret.of("a"))
                .keyFile(Path.of("k"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("keyFile(k)");
        assertThatThrownBy(() -> FileCredentialSource.builder().passphrase(CredentialRef.parse("file:pass")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void providerIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(CredentialSourceProvider.class).stream().map(ServiceLoader.Provider::get)
                .map(CredentialSourceProvider::scheme)).contains(FileCredentialSource.SCHEME);
    }

    @Test
    void threadsIncrementingOneCounterWithCompareAndSetLoseNoUpdate() throws Exception {
        FileCredentialSource source = TestSecretsFiles.source(vault());
        source.write(ref("counter"), Secret.of("0"), Optional.empty());
        int threads = 4;
        int increments = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < increments; i++) {
                        Counter.increment(source, ref("counter"));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(source.load(ref("counter")).secret().reveal()).isEqualTo(String.valueOf(threads * increments));
    }

    private void rewrite(SecretsFileFormat.Contents contents, Map<String, SecretsFileFormat.Entry> entries) throws IOException {
        // Authenticated with the right keys, as only a holder of the key could: the entry's own tag must catch it.
        Files.write(vault(), SecretsFileFormat.encode(new SecretsFileFormat.Contents(contents.kdf, contents.generation,
                contents.checkNonce, contents.checkTag, new TreeMap<>(entries)), TestSecretsFiles.keys(contents.kdf)::mac));
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
