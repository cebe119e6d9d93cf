package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.store.file.SecretsFileException.Reason;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM of the secrets file: entries encrypted under a fresh nonce with their name and version as
 * authenticated data, the key check (a tag over nothing, bound to the key derivation), and the file to write with
 * its MAC. Every plaintext copy it makes is wiped before it returns.
 *
 * <p>Stateless and thread-safe.
 */
final class SecretsFileCipher {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretsFileCipher() {
    }

    /** An entry holding {@code value} as version {@code version} of {@code name}. */
    static SecretsFileFormat.Entry encrypt(CredentialRef ref, SecretKey key, String name, long version, Secret value) {
        byte[] nonce = new byte[SecretsFileFormat.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        byte[] plain = value.revealBytes();
        try {
            return new SecretsFileFormat.Entry(version, nonce, crypt(ref, Cipher.ENCRYPT_MODE, key, nonce,
                    SecretsFileFormat.entryAad(name, version), plain));
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The value of an entry.
     *
     * @throws SecretsFileException (TAMPERED) if the entry fails authentication under its name and version
     */
    static Secret decrypt(CredentialRef ref, Path file, SecretKey key, String name, SecretsFileFormat.Entry entry) {
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(SecretsFileFormat.TAG_LENGTH * 8, entry.nonce));
            cipher.updateAAD(SecretsFileFormat.entryAad(name, entry.version));
            plain = cipher.doFinal(entry.ciphertext);
        } catch (AEADBadTagException e) {
            throw new SecretsFileException(Reason.TAMPERED, ref, file,
                    "entry '" + name + "' fails authentication: it was "
                    + "changed, or moved from another name or version");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
        try {
            return Secret.ofBytes(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** Whether the file's key check opens with these keys: {@code false} means a wrong key. */
    static boolean keyCheckOpens(SecretsFileKeys keys, SecretsFileFormat.Contents contents) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, keys.entryKey(contents.formatVersion),
                    new GCMParameterSpec(SecretsFileFormat.TAG_LENGTH * 8, contents.checkNonce));
            cipher.updateAAD(contents.kdf.keyCheckAad());
            cipher.doFinal(contents.checkTag);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    /** The file to write: the entries with a new key check, authenticated by the file MAC. */
    static byte[] withEntries(CredentialRef ref, SecretsFileKeys keys, SecretsFileFormat.Kdf kdf, long generation,
            Map<String, SecretsFileFormat.Entry> entries) {
        return SecretsFileFormat.encode(keyChecked(ref, keys, kdf, generation, entries), keys::mac);
    }

    /** Contents of the current format with a new key check under the keys. */
    static SecretsFileFormat.Contents keyChecked(CredentialRef ref, SecretsFileKeys keys, SecretsFileFormat.Kdf kdf,
            long generation, Map<String, SecretsFileFormat.Entry> entries) {
        byte[] nonce = new byte[SecretsFileFormat.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        byte[] tag = crypt(ref, Cipher.ENCRYPT_MODE, keys.entryKey(SecretsFileFormat.VERSION), nonce, kdf.keyCheckAad(),
                new byte[0]);
        return new SecretsFileFormat.Contents(kdf, generation, nonce, tag, entries);
    }

    /** A fresh salt for a new file's key derivation. */
    static byte[] newSalt() {
        byte[] salt = new byte[SecretsFileFormat.SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return salt;
    }

    private static byte[] crypt(CredentialRef ref, int mode, SecretKey key, byte[] nonce, byte[] aad,
            byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(SecretsFileFormat.TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform (" + ref + ")", e);
        }
    }
}
