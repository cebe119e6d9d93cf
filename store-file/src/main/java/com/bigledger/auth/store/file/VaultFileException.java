package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The vault file could not be opened safely; a subtype says why (wrong key, tampered, truncated, unknown format,
 * unsafe permissions).
 *
 * <p>Why a type per cause: each needs a different fix, and none may be mistaken for a missing secret. The message
 * names the reference and the file, never a secret or a decrypted byte. Nothing is read from a file that fails:
 * there are no partial reads. Not retryable: the file will not fix itself. Immutable and thread-safe.
 */
public class VaultFileException extends CredentialException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * Creates an exception.
     *
     * @param ref the reference being read or written
     * @param file the vault file
     * @param detail what is wrong with the file, naming no secret
     */
    public VaultFileException(CredentialRef ref, Path file, String detail) {
        super(ref, "vault file " + Objects.requireNonNull(file, "file") + ": " + detail, null, false);
        this.file = file;
    }

    /**
     * Returns the vault file.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }
}
