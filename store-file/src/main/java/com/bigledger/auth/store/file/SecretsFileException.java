package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The secrets file could not be opened safely; {@link #reason()} says why (wrong key, tampered, truncated, unknown
 * format, unsafe permissions, unsafe key-derivation parameters, a key file that is not a key).
 *
 * <p>Each reason needs a different fix, and none may be mistaken for a missing secret. Each has the
 * {@linkplain #kind() kind} that says what to fix, given with the reason:
 * {@link CredentialException.Kind#ACCESS_DENIED} for a key that does not open the file, as a store refuses the
 * wrong credentials; {@link CredentialException.Kind#INVALID} for a file that cannot be used as it is (tampered,
 * truncated, of a newer format, with unsafe key-derivation parameters): put back a good copy or write it again;
 * {@link CredentialException.Kind#CONFIGURATION} for what is fixed in the set-up, not the file (its permissions, a
 * key file that holds no key). The message names the reference and the file, never a secret or a decrypted byte.
 * Nothing is read from a file that fails: there are no partial reads. Not retryable: the file will not fix itself.
 * Immutable and thread-safe.
 */
public final class SecretsFileException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /** Why the file could not be opened, each with its {@linkplain CredentialException#kind() kind}. */
    public enum Reason {
        /**
         * The key does not open the file: another key file, passphrase or environment variable. Kind
         * {@link CredentialException.Kind#ACCESS_DENIED}: the file refuses these credentials.
         */
        WRONG_KEY(Kind.ACCESS_DENIED),
        /**
         * The file fails authentication: a byte was changed, or entries were moved or replaced. Kind
         * {@link CredentialException.Kind#INVALID}.
         */
        TAMPERED(Kind.INVALID),
        /** The file ends early: cut by a copy or a full disk. Kind {@link CredentialException.Kind#INVALID}. */
        TRUNCATED(Kind.INVALID),
        /**
         * The file was written by a newer version of the format. Kind {@link CredentialException.Kind#INVALID}: this
         * version cannot use it.
         */
        UNSUPPORTED_FORMAT(Kind.INVALID),
        /**
         * The file or its folder can be read or written by others than its owner. Kind
         * {@link CredentialException.Kind#CONFIGURATION}: the fix is a {@code chmod}, not a new file.
         */
        UNSAFE_PERMISSIONS(Kind.CONFIGURATION),
        /**
         * The file's Argon2id parameters are over the limits or below RFC 9106's floor. Kind
         * {@link CredentialException.Kind#INVALID}: the file, as written, is not safe to open.
         */
        UNSAFE_KDF_PARAMETERS(Kind.INVALID),
        /**
         * The key file does not hold a 32-byte key. Kind {@link CredentialException.Kind#CONFIGURATION}: the setting
         * names a file that is not a key.
         */
        INVALID_KEY_FILE(Kind.CONFIGURATION);

        private final Kind kind;

        Reason(Kind kind) {
            this.kind = kind;
        }
    }

    private final transient Path file;
    private final Reason reason;

    /**
     * Creates an exception of the reason's {@linkplain CredentialException#kind() kind}.
     *
     * @param reason why the file could not be opened
     * @param ref the reference being read or written
     * @param file the secrets file, or the key file for {@link Reason#INVALID_KEY_FILE}
     * @param detail what is wrong with the file, naming no secret
     */
    public SecretsFileException(Reason reason, CredentialRef ref, Path file, String detail) {
        super(Objects.requireNonNull(reason, "reason").kind, ref, "secrets file " + Objects.requireNonNull(file, "file")
                + ": " + Objects.requireNonNull(detail, "detail"), null);
        this.reason = reason;
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
