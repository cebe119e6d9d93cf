package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Vaults for tests: a fixed test passphrase and Argon2id parameters small enough for a shared build machine. */
final class TestSecretsFiles {

    /** Cheap, so that tests stay fast; real vaults use {@link KdfParameters#RFC_9106_SECOND_RECOMMENDED}. */
    static final KdfParameters SMALL = KdfParameters.argon2id(64, 1, 1);

    /** Not a canary: a passphrase the tests use openly, in this process and in the child processes. */
    static final String PASSPHRASE = "test passphrase, not a secret";

    private TestSecretsFiles() {
    }

    /** A reference to the entry {@code name} of a file vault. */
    static CredentialRef ref(String name) {
        return CredentialRef.of(FileCredentialSource.SCHEME, name);
    }

    /**
     * Recomputes the unkeyed SHA-256 checksum at the end of a file's {@code bytes}, in place: what anyone can do
     * without the key after editing a file.
     */
    static void resign(byte[] bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, bytes.length - 32);
            System.arraycopy(digest.digest(), 0, bytes, bytes.length - 32, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static FileCredentialSource source(Path file) {
        return FileCredentialSource.builder()
                .file(file)
                .passphrase(Secret.of(PASSPHRASE))
                .kdfParameters(SMALL)
                .allowWeakKdf(true)
                .build();
    }

    /**
     * The keys of a vault made with {@link #PASSPHRASE}, for tests that write a file as only a holder of the key
     * could, to reach the checks below the file MAC.
     */
    static SecretsFileKeys keys(SecretsFileFormat.Kdf kdf) {
        byte[] master = KeyMaterial.argon2id(PASSPHRASE.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                kdf.salt, kdf.parameters);
        try {
            return SecretsFileKeys.of(master);
        } finally {
            java.util.Arrays.fill(master, (byte) 0);
        }
    }
}
