package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;

/**
 * Thrown when the passphrase or key file does not open the vault file.
 *
 * <p>The file's key check fails while its checksum is intact, so the file is whole and the key is another. Immutable and thread-safe.
 */
public class WrongVaultKeyException extends VaultFileException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference being read or written
     * @param file the vault file (or key file)
     * @param detail what is wrong, naming no secret
     */
    public WrongVaultKeyException(CredentialRef ref, Path file, String detail) {
        super(ref, file, detail);
    }
}
