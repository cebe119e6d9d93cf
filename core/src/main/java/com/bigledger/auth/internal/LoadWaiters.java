package com.bigledger.auth.internal;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.internal.RefreshingValue.TimeoutError;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * How a caller of a {@link RefreshingValue} waits for the load that every waiting caller shares: up to its own
 * timeout, turning the shared outcome into the value or the error this caller throws. Stateless.
 */
final class LoadWaiters {

    private LoadWaiters() {
    }

    /**
     * Waits for {@code future} up to {@code timeout}.
     *
     * @param name the value's name, for messages
     * @param future the outcome the waiters share
     * @param timeout how long to wait; a negative one does not wait
     * @param timeoutError makes the error of a wait that timed out
     * @param lastFailure the last failed attempt's failure, or {@code null}; read only when the wait times out
     * @param <T> the type of the value
     * @return the loaded value
     */
    static <T> T await(String name, CompletableFuture<T> future, Duration timeout, TimeoutError timeoutError,
            Supplier<RuntimeException> lastFailure) {
        try {
            return future.get(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new BigLedgerAuthException(name + ": load failed", cause, true);
        } catch (TimeoutException e) {
            throw timeoutError.create(name, timeout, lastFailure.get());
        } catch (CancellationException e) {
            throw closedError(name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BigLedgerAuthException(name + ": interrupted while waiting for a load", e, true);
        }
    }

    /** The error of a caller of a closed value, and of the callers waiting when it closed. */
    static RuntimeException closedError(String name) {
        return new IllegalStateException(name + " is closed");
    }
}
