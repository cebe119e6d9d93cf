package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;

/**
 * Thrown when the key file does not hold a 256-bit key: 32 raw bytes, or 64 hex digits.
 *
 * <p>A distinct error so that a malformed key file is not mistaken for a wrong key. The message gives the file's
 * length, never its contents. Immutable and thread-safe.
 */
public class InvalidKeyFileException extends VaultFileException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference being read or written
     * @param keyFile the key file
     * @param detail what is wrong, naming no secret
     */
    public InvalidKeyFileException(CredentialRef ref, Path keyFile, String detail) {
        super(ref, keyFile, detail);
    }
}
