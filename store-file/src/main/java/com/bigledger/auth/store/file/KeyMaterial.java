package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.EnvironmentSettings;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.store.file.SecretsFileException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Where a secrets file's master key comes from — a key file, a passphrase value, or a passphrase at a reference — and
 * the master key made from it for a file's key derivation: the key file's 32 bytes, or Argon2id of the passphrase with
 * the file's salt and cost (refused before any derivation when the cost is below RFC 9106's floor and weak costs
 * are not allowed). The passphrase is handled as bytes, never as a {@code String}, and wiped after use.
 *
 * <p>Thread-safe: its fields are final; a passphrase given as a value is wiped only by {@link #destroy()}, which
 * the source calls once no operation runs.
 */
final class KeyMaterial {

    private static final int KEY_LENGTH = 32;

    private final Path keyFile;
    private final Secret passphrase;
    private final CredentialRef passphraseRef;
    private final EnvironmentSettings environment;
    private final CredentialVault vault;

    KeyMaterial(Path keyFile, Secret passphrase, CredentialRef passphraseRef, EnvironmentSettings environment,
            CredentialVault vault) {
        this.keyFile = keyFile;
        this.passphrase = passphrase;
        this.passphraseRef = passphraseRef;
        this.environment = environment;
        this.vault = vault;
    }

    Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /**
     * The master key of a secrets file with this key derivation, a new array that the caller wipes.
     *
     * @throws SecretsFileException (WRONG_KEY) if the file wants a key file and a passphrase was given, or the
     *     other way round
     * @throws SecretsFileException (UNSAFE_KDF_PARAMETERS) if the file's Argon2id cost is below RFC 9106's floor and
     *     {@code allowWeakKdf} is off
     */
    byte[] masterKey(CredentialRef ref, Path file, SecretsFileFormat.Kdf kdf, boolean allowWeakKdf) {
        if (kdf.type == SecretsFileFormat.KDF_RAW_KEY) {
            if (keyFile == null) {
                throw new SecretsFileException(Reason.WRONG_KEY, ref, file,
                        "it is protected by a key file, and a passphrase "
                        + "was given; set " + FileCredentialSource.KEY_FILE_VARIABLE
                        + " or FileCredentialSource.builder().keyFile()");
            }
            return readKeyFile(ref, keyFile);
        }
        if (keyFile != null) {
            throw new SecretsFileException(Reason.WRONG_KEY, ref, file,
                    "it is protected by a passphrase, and a key file was given");
        }
        if (!allowWeakKdf && !kdf.parameters.meetsRfc9106Floor()) {
            throw new SecretsFileException(Reason.UNSAFE_KDF_PARAMETERS, ref, file,
                    "its header asks for " + kdf.parameters + ", weaker "
                    + "than RFC 9106's floor (64 MiB, and at least 64 MiB times 3 passes); only a source built with "
                    + "allowWeakKdf(true) or " + FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE + "=true, for tests,"
                    + " opens it");
        }
        byte[] bytes = passphraseBytes(ref);
        try {
            return argon2id(bytes, kdf.salt, kdf.parameters);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Argon2id (version 1.3) of a passphrase given as bytes: 32 bytes of key. */
    static byte[] argon2id(byte[] passphrase, byte[] salt, KdfParameters cost) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(cost.memoryKiB())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] raw = new byte[KEY_LENGTH];
        generator.generateBytes(passphrase, raw);
        return raw;
    }

    /** The passphrase's bytes (UTF-8 for text), a new array that the caller wipes; never a {@code String}. */
    private byte[] passphraseBytes(CredentialRef ref) {
        if (passphrase != null) {
            return passphrase.revealBytes();
        }
        if (passphraseRef.scheme().equals("env") && vault == null) {
            // The environment holds strings already; this adds no copy of its own.
            String value = environment.raw(passphraseRef.path()).orElse(null);
            if (value == null || value.isEmpty()) {
                throw new CredentialException(Kind.CONFIGURATION, ref, "no passphrase for the secrets file: "
                        + passphraseRef.path() + " is not set (or set " + FileCredentialSource.KEY_FILE_VARIABLE
                        + " or "
                        + FileCredentialSource.PASSPHRASE_REF_VARIABLE + ")", null);
            }
            Secret whole = Secret.of(value);
            Secret extracted = SecretFields.extract(passphraseRef, whole);
            try {
                return extracted.revealBytes();
            } finally {
                extracted.destroy();
                whole.destroy();
            }
        }
        if (vault != null) {
            // The vault's own value: read, not destroyed, since the vault may serve it again.
            return vault.resolve(passphraseRef).secret().revealBytes();
        }
        try (CredentialVault discovered = CredentialVault.builder().build()) {
            Secret found = discovered.resolve(passphraseRef).secret();
            try {
                return found.revealBytes();
            } finally {
                found.destroy();
            }
        }
    }

    private static byte[] readKeyFile(CredentialRef ref, Path keyFile) {
        byte[] bytes;
        try {
            FilePermissions.check(ref, keyFile);
            bytes = Files.readAllBytes(keyFile);
        } catch (NoSuchFileException e) {
            throw new CredentialNotFoundException(ref, "there is no key file at " + keyFile);
        } catch (IOException e) {
            throw SecretsFile.unavailable(ref, "cannot read the key file " + keyFile, e);
        }
        try {
            if (bytes.length == KEY_LENGTH) {
                return bytes.clone();
            }
            String text = new String(bytes, StandardCharsets.US_ASCII).strip();
            if (text.length() == KEY_LENGTH * 2 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(text);
            }
            throw new SecretsFileException(Reason.INVALID_KEY_FILE, ref, keyFile,
                    "it must hold exactly 32 bytes, or 64 hex digits; it "
                    + "holds " + bytes.length + " bytes");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** Wipes the passphrase this source holds, if it was given as a value. */
    void destroy() {
        if (passphrase != null) {
            passphrase.destroy();
        }
    }

    String describe() {
        if (keyFile != null) {
            return "key file " + keyFile;
        }
        return passphrase != null ? "passphrase given" : "passphrase at " + passphraseRef;
    }
}
