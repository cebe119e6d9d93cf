package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The secrets file could not be opened safely; {@link #reason()} says why (wrong key, tampered, truncated, unknown
 * format, unsafe permissions, unsafe key-derivation parameters, a key file that is not a key).
 *
 * <p>Each reason needs a different fix, and none may be mistaken for a missing secret. The message names the
 * reference and the file, never a secret or a decrypted byte. Nothing is read from a file that fails: there are no
 * partial reads. Not retryable: the file will not fix itself. Immutable and thread-safe.
 */
public final class SecretsFileException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /** Why the file could not be opened. */
    public enum Reason {
        /** The key does not open the file: another key file, passphrase or environment variable. */
        WRONG_KEY,
        /** The file fails authentication: a byte was changed, or entries were moved or replaced. */
        TAMPERED,
        /** The file ends early: cut by a copy or a full disk. */
        TRUNCATED,
        /** The file was written by a newer version of the format. */
        UNSUPPORTED_FORMAT,
        /** The file or its folder can be read or written by others than its owner. */
        UNSAFE_PERMISSIONS,
        /** The file's Argon2id parameters are over the limits or below RFC 9106's floor. */
        UNSAFE_KDF_PARAMETERS,
        /** The key file does not hold a 32-byte key. */
        INVALID_KEY_FILE
    }

    private final transient Path file;
    private final Reason reason;

    /**
     * Creates an exception.
     *
     * @param reason why the file could not be opened
     * @param ref the reference being read or written
     * @param file the secrets file, or the key file for {@link Reason#INVALID_KEY_FILE}
     * @param detail what is wrong with the file, naming no secret
     */
    public SecretsFileException(Reason reason, CredentialRef ref, Path file, String detail) {
        super(ref, "secrets file " + Objects.requireNonNull(file, "file") + ": "
                + Objects.requireNonNull(detail, "detail"), null, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.file = file;
    }

    /**
     * Returns why the file could not be opened.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns the secrets file.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }
}
