package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A passphrase is handled as bytes from the builder to Argon2id, never decoded into a {@code String}. */
class PassphraseBytesTest {

    @TempDir
    Path folder;

    @Test
    void passphraseOfBytesThatAreNotTextOpensTheVault() {
        byte[] passphrase = new byte[24];
        new SecureRandom().nextBytes(passphrase);
        passphrase[0] = (byte) 0xC3;
        passphrase[1] = (byte) 0x28;
        Secret value = Canary.secret("blg_test_sk_");
        CredentialRef ref = CredentialRef.of(FileCredentialSource.SCHEME, "api_key");

        FileCredentialSource.builder().file(folder.resolve("v.blgv")).passphrase(Secret.ofBytes(passphrase))
                .kdfParameters(TestSecretsFiles.SMALL).allowWeakKdf(true).build().write(ref, value, Optional.empty());

        assertThat(FileCredentialSource.builder().file(folder.resolve("v.blgv"))
                .passphrase(Secret.ofBytes(passphrase)).kdfParameters(TestSecretsFiles.SMALL).allowWeakKdf(true).build()
                .load(ref).secret())
                .isEqualTo(value);
    }
}
