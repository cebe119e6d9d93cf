package com.bigledger.auth.internal;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.internal.RefreshingValue.Listener;
import com.bigledger.auth.internal.RefreshingValue.Loaded;
import com.bigledger.auth.internal.RefreshingValue.Loader;
import java.util.concurrent.CompletableFuture;

/**
 * One attempt to load a {@link RefreshingValue}: decided under its owner's lock, then handed to a scheduler worker
 * after the lock is released, where the loader runs and its outcome (a value, a failure, or an {@code Error}
 * reported as a failure) goes to the owner.
 *
 * @param <T> the type of the value
 */
final class LoadAttempt<T> {

    /**
     * What the owner does with an attempt's outcome.
     *
     * @param <T> the type of the value
     */
    interface Outcome<T> {

        /**
         * Takes the outcome; must complete {@code future} whatever happens.
         *
         * @param future the outcome the waiters share
         * @param loaded the value, or {@code null} on failure
         * @param failure the failure, or {@code null} on success
         * @param fromLoader whether the failure came from the loader (and not from a refusing scheduler)
         */
        void finish(CompletableFuture<T> future, Loaded<T> loaded, RuntimeException failure, boolean fromLoader);
    }

    private final CompletableFuture<T> future;
    private final T previous;
    private final boolean served;
    private final Scheduler.Cancellable moot;

    /**
     * Creates the attempt.
     *
     * @param future the outcome the waiters share
     * @param previous the last loaded value, or {@code null}
     * @param served whether a usable value is served meanwhile
     * @param moot a retry timer the attempt makes moot, cancelled when it launches, or {@code null}
     */
    LoadAttempt(CompletableFuture<T> future, T previous, boolean served, Scheduler.Cancellable moot) {
        this.future = future;
        this.previous = previous;
        this.served = served;
        this.moot = moot;
    }

    /**
     * Hands the attempt to a worker; a scheduler that refuses or throws fails it like a load would. Call without
     * the owner's lock.
     */
    void launch(String name, Loader<T> loader, RefreshTimers timers, SerialNotifier notifier, Listener<T> listener,
            Outcome<T> outcome) {
        timers.cancel(moot);
        try {
            timers.execute(() -> run(name, loader, notifier, listener, outcome));
        } catch (Throwable e) {
            outcome.finish(future, null, new BigLedgerAuthException(name + ": the scheduler refused the load ("
                    + e.getClass().getName() + ")", e, true), false);
        }
    }

    private void run(String name, Loader<T> loader, SerialNotifier notifier, Listener<T> listener,
            Outcome<T> outcome) {
        notifier.post(() -> listener.loadStarted(served));
        Loaded<T> loaded = null;
        RuntimeException failure = null;
        Error error = null;
        try {
            loaded = loader.load(previous);
            if (loaded == null) {
                failure = new BigLedgerAuthException(name + ": the loader returned nothing", null, false);
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new BigLedgerAuthException(name + ": load failed with " + e.getClass().getName(), e, false);
            error = e;
        }
        outcome.finish(future, loaded, failure, true);
        if (error != null) {
            throw error;
        }
    }
}
