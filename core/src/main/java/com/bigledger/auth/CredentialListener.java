package com.bigledger.auth;

/**
 * Told when a cached secret changes in its store, so that a rotated key is used without a restart.
 *
 * <p>Called on the vault's background thread; must be fast and should not throw (a thrown exception is logged by
 * class name and otherwise ignored).
 */
@FunctionalInterface
public interface CredentialListener {

    /**
     * A reload found a new value.
     *
     * @param ref the reference the new value came from
     * @param current the new value and its version
     */
    void changed(CredentialRef ref, VersionedSecret current);
}
