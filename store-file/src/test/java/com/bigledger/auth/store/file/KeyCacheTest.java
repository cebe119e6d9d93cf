package com.bigledger.auth.store.file;

import static com.bigledger.auth.store.file.TestSecretsFiles.ref;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A secrets file's keys are derived once per master key, kept for reads and writes, and wiped on close. */
class KeyCacheTest {

    @TempDir
    Path folder;

    @Test
    void keysAreDerivedOncePerMasterKeyAcrossReadsAndWrites() {
        FileCredentialSource source = TestSecretsFiles.source(folder.resolve("vault.blgv"));
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());

        for (int i = 0; i < 20; i++) {
            source.load(ref("api_key"));
            source.names();
        }
        source.write(ref("token"), Canary.secret("blg_oauth_rt_"), Optional.empty());
        source.remove("token");

        assertThat(source.keyDerivations()).isEqualTo(1);
    }

    @Test
    void anotherFileWithAnotherSaltIsAnotherMasterKey() {
        Path file = folder.resolve("vault.blgv");
        FileCredentialSource source = TestSecretsFiles.source(file);
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        source.load(ref("api_key"));

        // The file is made again (a new salt): its keys are new, and then cached in turn.
        TestSecretsFiles.source(folder.resolve("other.blgv")).write(ref("x"), Secret.of("x"), Optional.empty());
        try {
            java.nio.file.Files.move(folder.resolve("other.blgv"), file,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        source.load(ref("x"));
        source.load(ref("x"));

        assertThat(source.keyDerivations()).isEqualTo(2);
    }

    @Test
    void closeWipesTheCachedKeys() {
        FileCredentialSource source = TestSecretsFiles.source(folder.resolve("vault.blgv"));
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        SecretsFileKeys keys = source.cachedKeys().orElseThrow();

        source.close();

        assertThat(keys.isDestroyed()).isTrue();
        assertThat(source.cachedKeys()).isEmpty();
    }

    @Test
    void everyUseAfterCloseIsAnIllegalStateNamingTheFileOnly() {
        Path file = folder.resolve("vault.blgv");
        FileCredentialSource source = TestSecretsFiles.source(file);
        source.write(ref("api_key"), Canary.secret("blg_test_sk_"), Optional.empty());
        source.close();
        source.close();

        assertThatThrownBy(() -> source.load(ref("api_key"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("The file credential source for " + file.toAbsolutePath() + " is closed; its keys were "
                        + "wiped");
        assertThatThrownBy(() -> source.write(ref("api_key"), Secret.of("x"), Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");
        assertThatThrownBy(() -> source.names()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> source.remove("api_key")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> source.check(ref("api_key"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThat(TestSecretsFiles.source(file).load(ref("api_key")).version()).hasValue("1");
    }
}
