package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;

/**
 * Thrown when the vault file was written in a format version this library does not read, such as by a newer release.
 *
 * <p>The header is versioned so that the format can evolve; an unknown version is refused rather than guessed at. Immutable and thread-safe.
 */
public class UnsupportedVaultFormatException extends VaultFileException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference being read or written
     * @param file the vault file (or key file)
     * @param detail what is wrong, naming no secret
     */
    public UnsupportedVaultFormatException(CredentialRef ref, Path file, String detail) {
        super(ref, file, detail);
    }
}
