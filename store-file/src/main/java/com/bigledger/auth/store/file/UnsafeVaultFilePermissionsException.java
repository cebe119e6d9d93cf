package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;

/**
 * Thrown when on a POSIX system, the vault file or key file may be read or written by its group or by others.
 *
 * <p>An encrypted file readable by others invites an offline guessing attack on the passphrase; the message gives the chmod command that fixes it. Immutable and thread-safe.
 */
public class UnsafeVaultFilePermissionsException extends VaultFileException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference being read or written
     * @param file the vault file (or key file)
     * @param detail what is wrong, naming no secret
     */
    public UnsafeVaultFilePermissionsException(CredentialRef ref, Path file, String detail) {
        super(ref, file, detail);
    }
}
