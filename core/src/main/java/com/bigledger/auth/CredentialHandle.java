package com.bigledger.auth;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A cached, self-refreshing secret from a {@link CredentialVault}: what a service keeps and calls on every
 * request.
 *
 * <p>{@link #get()} on a cached value is one volatile read: no lock, no allocation, no I/O. The value is reloaded
 * in the background before its TTL ends; while the store fails, the last good value is served up to the vault's
 * stale bound. Thread-safe.
 */
public interface CredentialHandle extends Supplier<Secret> {

    /**
     * Returns the secret. Blocks only when no usable value is cached (the first call, after
     * {@link #invalidate()}, or past the stale bound), up to the vault's load timeout.
     *
     * @return the secret
     * @throws CredentialNotFoundException if the store holds nothing at the reference
     * @throws SourceUnavailableException if the store cannot be reached and no usable value is cached
     * @throws CredentialChainException if every reference of a chain failed
     * @throws BigLedgerAuthException for other failures, and when the wait times out
     */
    @Override
    Secret get();

    /**
     * Returns the secret, waiting up to {@code timeout} when no usable value is cached.
     *
     * @param timeout the longest wait
     * @return the secret
     * @throws BigLedgerAuthException as {@link #get()}
     */
    Secret get(Duration timeout);

    /**
     * Returns the secret with its version and the reference it came from. Blocks like {@link #get()}.
     *
     * @return the versioned secret
     * @throws BigLedgerAuthException as {@link #get()}
     */
    VersionedSecret versioned();

    /**
     * Returns the reference the cached value came from: for a chain, the first one that resolved. Blocks like
     * {@link #get()}.
     *
     * @return the reference
     * @throws BigLedgerAuthException as {@link #get()}
     */
    CredentialRef resolvedRef();

    /**
     * Returns the references this handle tries, in order.
     *
     * @return one reference, or the chain
     */
    List<CredentialRef> refs();

    /**
     * Drops the cached value and starts a reload; callers wait for it. Use it when the value was just rejected
     * (an HTTP 401, say) and may have been rotated.
     */
    void invalidate();

    /**
     * Registers a listener called when a reload finds a value that differs from the cached one (a rotated key), on
     * the thread that ran the reload.
     *
     * @param listener the listener
     * @return a registration whose {@code close()} removes the listener
     */
    AutoCloseable onChange(CredentialListener listener);
}
