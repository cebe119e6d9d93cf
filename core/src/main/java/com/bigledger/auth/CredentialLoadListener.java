package com.bigledger.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Observes a {@link CredentialVault}'s reads from its stores, for metrics: each load of one reference, with how long
 * the store took. A chain of references reports each reference it tried.
 *
 * <p>Events carry no secret: a reference, a version and exceptions of this library, which never hold one. Methods are
 * called on the thread that loads (the vault's background threads, or a caller waiting for a first value) and must
 * be fast; an exception a method throws is logged by class name and ignored. Every method does nothing by default.
 */
public interface CredentialLoadListener {

    /**
     * A store returned a value.
     *
     * @param ref the reference that was read
     * @param version the store's version of the value, when it keeps versions
     * @param took how long the store took
     */
    default void loaded(CredentialRef ref, Optional<String> version, Duration took) {
    }

    /**
     * A store failed to return a value, or holds none.
     *
     * @param ref the reference that was read
     * @param failure why, told by its {@link CredentialException#kind() kind}; a reference whose scheme no source
     *     serves is reported too, with kind {@link CredentialException.Kind#CONFIGURATION}
     * @param took how long the attempt took
     */
    default void loadFailed(CredentialRef ref, CredentialException failure, Duration took) {
    }
}
