package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import java.nio.file.Path;

/**
 * Thrown when a byte of the vault file was changed: its checksum or an entry's authentication tag does not match.
 *
 * <p>AES-GCM authenticates every entry with its name and version, and the whole file carries a checksum, so any edit is caught rather than decrypted. Immutable and thread-safe.
 */
public class VaultFileTamperedException extends VaultFileException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference being read or written
     * @param file the vault file (or key file)
     * @param detail what is wrong, naming no secret
     */
    public VaultFileTamperedException(CredentialRef ref, Path file, String detail) {
        super(ref, file, detail);
    }
}
