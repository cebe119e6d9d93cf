package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;

/**
 * Thrown when the vault file is shorter than its header says, as when a copy or a disk filled up cut it.
 *
 * <p>A cut file could otherwise look like a vault with fewer secrets. Immutable and thread-safe.
 */
public class VaultFileTruncatedException extends VaultFileException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference being read or written
     * @param file the vault file (or key file)
     * @param detail what is wrong, naming no secret
     */
    public VaultFileTruncatedException(CredentialRef ref, Path file, String detail) {
        super(ref, file, detail);
    }
}
