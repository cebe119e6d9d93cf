package com.bigledger.auth;

import java.time.Duration;

/**
 * Observes a {@link TokenManagers} registry: managers created, evicted and closed.
 *
 * <p>Events carry the tenant key (an identifier, checked when it was first used) and no secret. Methods are called
 * later, in the order the events happened, one at a time, on a worker of the registry's scheduler: never on the
 * thread that caused the event, never under the registry's lock. A method that blocks holds back only the later
 * events of the same registry (and is reported once in the log); an exception it throws is logged by class name
 * and ignored. {@link TokenManagers#close()} returns after the listeners have heard of the closes it made. Every
 * method does nothing by default.
 */
public interface TokenManagersListener {

    /** Why a manager left the registry. */
    enum Eviction {
        /** It was not used for the registry's idle time. */
        IDLE,
        /** The registry was full and it was the least recently used. */
        SIZE,
        /** {@link TokenManagers#evict(String)} was called. */
        EXPLICIT
    }

    /**
     * A tenant's manager was created, on its first use.
     *
     * @param tenant the tenant key
     */
    default void managerCreated(String tenant) {
    }

    /**
     * Creating a tenant's manager failed; the next use tries again.
     *
     * @param tenant the tenant key
     * @param failure why (a bad reference for that tenant, or an exception from the registry's configure step)
     */
    default void managerCreationFailed(String tenant, RuntimeException failure) {
    }

    /**
     * A tenant's manager left the registry; it is being closed (its state written back), and the next use of the
     * tenant creates a new one.
     *
     * @param tenant the tenant key
     * @param cause why
     */
    default void managerEvicted(String tenant, Eviction cause) {
    }

    /**
     * A tenant's manager was closed, after its eviction or the registry's close.
     *
     * @param tenant the tenant key
     * @param took how long {@link TokenManager#close()} took (it waits for a refresh running, and writes back)
     */
    default void managerClosed(String tenant, Duration took) {
    }
}
