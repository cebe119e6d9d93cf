package com.bigledger.auth.spi;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.WriteResult;
import java.util.Optional;

/**
 * A {@link CredentialSource} that can also store a new value, with compare-and-set where the store supports it.
 *
 * <p>Used to write back rotated refresh tokens. A write with a field merges that top-level JSON field into the
 * stored value and keeps the others. Implementations must be thread-safe.
 */
public interface WritableCredentialSource extends CredentialSource {

    /**
     * Writes a new value, only if the stored version is still {@code expectedVersion}. This method may block on I/O.
     *
     * @param ref where to write, a reference of this source's scheme
     * @param value the new value
     * @param expectedVersion the version the caller last read; empty to write unconditionally (or to create)
     * @return {@link WriteResult#written} with the new version, or {@link WriteResult#conflict} when another
     *     writer changed the secret first; nothing is overwritten then
     * @throws com.bigledger.auth.CredentialException or a subtype, when the write fails for another reason
     */
    WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion);

    /**
     * Tells whether {@link #write} honours {@code expectedVersion} for this reference, atomically against every other
     * writer of the store, including other processes: what a shared token record needs. By default, {@code false}.
     *
     * @param ref a reference of this source's scheme
     * @return {@code true} if writes to it are compare-and-set
     */
    default boolean supportsCompareAndSet(CredentialRef ref) {
        return false;
    }
}
