package com.bigledger.auth.internal;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.internal.RefreshingValue.Listener;
import com.bigledger.auth.internal.RefreshingValue.Loaded;
import com.bigledger.auth.internal.RefreshingValue.Loader;
import com.bigledger.auth.internal.RefreshingValue.TimeoutError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine behind a {@link RefreshingValue}: the value served, the load in flight and the failures, all
 * changed under one lock, and the transitions between them (load, refresh, expiry, invalidation, close). The
 * mechanisms it drives live beside it: reading the time ({@link ValueClock}), timers and backoff
 * ({@link RefreshTimers}), the failures since the last success ({@link FailureRecord}), running a load
 * ({@link LoadAttempt}) and waiting for one ({@link LoadWaiters}). Nothing user-supplied (loader, listener, retry
 * policy, clock or scheduler) runs under the lock. See {@link RefreshingValue} for the guarantees. Thread-safe.
 *
 * @param <T> the type of the value
 */
final class RefreshStateMachine<T> {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshingValue.class);

    private final String name;
    private final Loader<T> loader;
    private final ValueClock clock;
    private final RefreshTimers timers;
    private final Listener<T> listener;
    private final TimeoutError timeoutError;
    private final Predicate<RuntimeException> holdWaiters;
    private final SerialNotifier notifier;

    /** The value served without a lock while the clock is before its expiry; {@code null} when none is. */
    private volatile Loaded<T> usable;

    // Guarded by this (the value is never handed to code that could lock it).
    private Loaded<T> current;
    /** The outcome waiters share: a load running, or (when {@code held}) a retry waiting for its backoff. */
    private CompletableFuture<T> inflight;
    private boolean held;
    private final FailureRecord failures = new FailureRecord();
    /** Changes when the value is replaced, dropped or closed: a refresh timer of an older one is ignored. */
    private long generation;
    /** Changes whenever a retry timer is armed or made moot: an older one is ignored. */
    private long retrySequence;
    private boolean retryArmed;
    private Scheduler.Cancellable refreshTimer;
    private Scheduler.Cancellable retryTimer;
    private boolean closed;

    RefreshStateMachine(String name, Loader<T> loader, Clock clock, Scheduler scheduler, RetryPolicy retryPolicy,
            Listener<T> listener, TimeoutError timeoutError, Predicate<RuntimeException> holdWaiters,
            Duration maxStaleness) {
        this.name = name;
        this.loader = loader;
        this.clock = ValueClock.of(name, clock, maxStaleness);
        this.timers = new RefreshTimers(name, scheduler, retryPolicy);
        this.listener = listener;
        this.timeoutError = timeoutError;
        this.holdWaiters = holdWaiters;
        this.notifier = new SerialNotifier(name, scheduler);
    }

    /** The hot path: two volatile reads and a comparison while a usable value is cached. */
    T get(Duration timeout) {
        Loaded<T> loaded = usable;
        if (loaded != null && clock.millis() < loaded.expiresAtMillis()) {
            return loaded.value();
        }
        return slowGet(timeout);
    }

    /** The usable value, without loading or waiting. */
    Optional<T> peek() {
        Loaded<T> loaded = usable;
        return loaded != null && clock.millis() < loaded.expiresAtMillis() ? Optional.of(loaded.value())
                : Optional.empty();
    }

    /** The last successful load, usable or not. */
    Optional<Loaded<T>> lastLoaded() {
        synchronized (this) {
            return Optional.ofNullable(current);
        }
    }

    /** Starts a background load now unless one is in flight, and forgets the failures. */
    void refresh() {
        LoadAttempt<T> attempt = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (inflight != null) {
                if (held) {
                    attempt = beginAttempt(inflight);
                }
            } else {
                failures.forget();
                attempt = beginAttempt(new CompletableFuture<>());
            }
        }
        launch(attempt);
    }

    /** Queues an event behind this value's listener calls: see {@link RefreshingValue#post}. */
    void post(Runnable event) {
        notifier.post(event);
    }

    /** Delivers the events queued so far, up to the deadline: see {@link SerialNotifier#flush(long)}. */
    boolean flushEvents(long deadlineNanos) {
        return notifier.flush(deadlineNanos);
    }

    /** Stops all timers and fails waiting callers. The value is no longer served. */
    void close() {
        CompletableFuture<T> waiting;
        Scheduler.Cancellable refreshing;
        Scheduler.Cancellable retrying;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            generation++;
            retrySequence++;
            retryArmed = false;
            refreshing = refreshTimer;
            retrying = retryTimer;
            refreshTimer = null;
            retryTimer = null;
            usable = null;
            waiting = inflight;
            inflight = null;
            held = false;
        }
        timers.cancel(refreshing);
        timers.cancel(retrying);
        if (waiting != null) {
            waiting.completeExceptionally(closedError());
        }
    }

    /** Drops the value ({@code seen} only if still current; any when {@code null}) and starts a load. */
    boolean invalidateIf(T seen) {
        LoadAttempt<T> attempt = null;
        Scheduler.Cancellable refreshing;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (seen != null && (current == null || current.value() != seen)) {
                return false;
            }
            generation++;
            refreshing = refreshTimer;
            refreshTimer = null;
            usable = null;
            failures.forget();
            if (inflight == null) {
                attempt = beginAttempt(new CompletableFuture<>());
            } else if (held) {
                // The waiters' retry is moot: try again now.
                attempt = beginAttempt(inflight);
            }
        }
        timers.cancel(refreshing);
        launch(attempt);
        return true;
    }

    private T slowGet(Duration timeout) {
        CompletableFuture<T> future;
        LoadAttempt<T> attempt = null;
        T expired = null;
        RuntimeException failure = null;
        synchronized (this) {
            if (closed) {
                throw closedError();
            }
            Instant now = clock.now();
            Loaded<T> served = usable;
            if (served != null) {
                if (now != null && now.isBefore(served.expiresAt())) {
                    // The hot path's clock threw, or the coarse clock had not caught up: the value is still good.
                    return served.value();
                }
                expired = served.value();
                expire();
            }
            if (inflight != null) {
                future = inflight;
            } else if (failures.answersCallerAt(now)) {
                future = null;
                failure = failures.last();
            } else {
                future = new CompletableFuture<>();
                attempt = beginAttempt(future);
            }
        }
        if (expired != null) {
            T value = expired;
            notifier.post(() -> listener.expired(value));
        }
        if (failure != null) {
            throw failure;
        }
        launch(attempt);
        return await(future, timeout);
    }

    /** Stops serving a value past its expiry. Call with the lock held. */
    private void expire() {
        usable = null;
        if (inflight == null && retryArmed && failures.last() != null && holdWaiters.test(failures.last())) {
            // A retry is already scheduled: callers from now on wait for it, as they would had the value expired
            // before the failure.
            inflight = new CompletableFuture<>();
            held = true;
        }
    }

    private T await(CompletableFuture<T> future, Duration timeout) {
        return LoadWaiters.await(name, future, timeout, timeoutError, () -> {
            synchronized (this) {
                return failures.last();
            }
        });
    }

    /** Makes {@code future} the one waiters share and prepares the attempt. Call with the lock held. */
    private LoadAttempt<T> beginAttempt(CompletableFuture<T> future) {
        inflight = future;
        held = false;
        Scheduler.Cancellable moot = retryTimer;
        retryTimer = null;
        retryArmed = false;
        retrySequence++;
        return new LoadAttempt<>(future, current == null ? null : current.value(), usable != null, moot);
    }

    private void launch(LoadAttempt<T> attempt) {
        if (attempt != null) {
            attempt.launch(name, loader, timers, notifier, listener, this::safeFinish);
        }
    }

    /** {@link #finish}, and whatever it throws, the waiters are completed and the value is not left loading. */
    private void safeFinish(CompletableFuture<T> future, Loaded<T> loaded, RuntimeException failure,
            boolean fromLoader) {
        try {
            finish(future, loaded, failure, fromLoader);
        } catch (Throwable e) {
            synchronized (this) {
                if (inflight == future) {
                    inflight = null;
                    held = false;
                }
            }
            if (loaded != null && failure == null) {
                future.complete(loaded.value());
            } else {
                future.completeExceptionally(failure != null ? failure : e);
            }
            LOG.warn("{}: finishing a load failed with {}", name, e.getClass().getName());
        }
    }

    private void finish(CompletableFuture<T> future, Loaded<T> loaded, RuntimeException failure,
            boolean fromLoader) {
        int count;
        boolean reset;
        synchronized (this) {
            count = failures.nextCount();
            reset = failures.takeReset(failure == null);
        }
        // The retry policy runs here, on the load's worker and outside the lock: Resilience4j publishes its events
        // to user consumers from it.
        Duration delay = null;
        if (reset) {
            timers.resetPolicy();
        }
        if (failure != null) {
            delay = fromLoader ? timers.nextDelay(failure, count) : RefreshTimers.FAULT_RETRY;
        }

        Scheduler.Cancellable mootRefresh = null;
        Scheduler.Cancellable mootRetry = null;
        boolean armRefresh = false;
        Duration refreshIn = null;
        long gen;
        long sequence = 0;
        boolean hold = false;
        boolean served;
        T before = null;
        T expired = null;
        synchronized (this) {
            if (inflight == future) {
                inflight = null;
                held = false;
            }
            if (closed) {
                future.completeExceptionally(closedError());
                return;
            }
            Instant now = clock.now();
            if (failure == null) {
                before = current == null ? null : current.value();
                current = loaded;
                failures.succeeded();
                gen = ++generation;
                mootRefresh = refreshTimer;
                mootRetry = retryTimer;
                refreshTimer = null;
                retryTimer = null;
                retryArmed = false;
                retrySequence++;
                if (now == null || now.isBefore(loaded.expiresAt())) {
                    // With no clock, the value is published anyway: the hot path reads the clock itself.
                    usable = loaded;
                    armRefresh = true;
                    refreshIn = now == null ? RefreshTimers.FAULT_RETRY : Duration.between(now, loaded.refreshAt());
                } else {
                    // Already past its expiry on arrival: the callers waiting for it get it once, nobody else.
                    usable = null;
                }
            } else {
                count = failures.record(failure, now, delay);
                gen = generation;
                Loaded<T> last = usable;
                if (last != null && (now == null || !now.isBefore(last.expiresAt()))) {
                    expired = last.value();
                    usable = null;
                }
                // With no value to serve, waiters keep waiting through a retry, up to their own deadlines.
                hold = delay != null && fromLoader && usable == null && holdWaiters.test(failure);
                if (hold) {
                    inflight = future;
                    held = true;
                }
                if (delay != null) {
                    mootRetry = retryTimer;
                    retryTimer = null;
                    retryArmed = true;
                    sequence = ++retrySequence;
                }
            }
            served = usable != null;
        }
        timers.cancel(mootRefresh);
        timers.cancel(mootRetry);
        if (failure == null) {
            future.complete(loaded.value());
            T previous = before;
            notifier.post(() -> listener.loadSucceeded(previous, loaded));
            if (armRefresh) {
                armRefresh(gen, refreshIn);
            }
        } else {
            if (expired != null) {
                T value = expired;
                notifier.post(() -> listener.expired(value));
            }
            if (delay != null && !armRetry(gen, sequence, delay, future)) {
                hold = false;
            }
            if (!hold) {
                future.completeExceptionally(failure);
            }
            int reported = count;
            Optional<Duration> retryIn = Optional.ofNullable(delay);
            notifier.post(() -> listener.loadFailed(failure, reported, retryIn, served));
        }
    }

    /**
     * Arms the one timer of this value's lifetime, at its refresh instant. If the scheduler refuses, the value is
     * still dropped at its expiry (the hot path checks it) and the next caller loads.
     */
    private void armRefresh(long gen, Duration delay) {
        Scheduler.Cancellable timer = timers.scheduleRefresh(() -> onRefreshDue(gen), delay);
        if (timer == null) {
            return;
        }
        boolean moot;
        synchronized (this) {
            moot = closed || gen != generation;
            if (!moot) {
                refreshTimer = timer;
            }
        }
        if (moot) {
            timers.cancel(timer);
        }
    }

    /**
     * Arms a retry. If the scheduler refuses, waiters held for it get the failure now and the value stays marked
     * failed: the first call after the retry was due loads again.
     *
     * @return whether the retry is armed
     */
    private boolean armRetry(long gen, long sequence, Duration delay, CompletableFuture<T> future) {
        Scheduler.Cancellable timer = timers.scheduleRetry(() -> onRetryDue(gen, sequence), delay);
        boolean refused = timer == null;
        boolean moot;
        synchronized (this) {
            moot = sequence != retrySequence;
            if (!moot) {
                if (!refused) {
                    retryTimer = timer;
                } else {
                    retryArmed = false;
                    if (inflight == future && held) {
                        inflight = null;
                        held = false;
                    }
                }
            }
        }
        if (refused) {
            return false;
        }
        if (moot) {
            timers.cancel(timer);
        }
        return true;
    }

    /**
     * The refresh instant passed by the scheduler's monotonic timer; runs on a worker, so it may read the clock. A
     * value found past its expiry (the machine slept) is dropped and nothing is sent until a caller asks; a timer
     * early by the clock (the clock was set back) is re-armed; otherwise a background load starts, unless one is
     * pending. When the clock throws, the load starts.
     */
    private void onRefreshDue(long gen) {
        Instant now = clock.now();
        LoadAttempt<T> attempt = null;
        T expired = null;
        Duration early = null;
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            refreshTimer = null;
            Loaded<T> served = usable;
            if (now != null && served != null && !now.isBefore(served.expiresAt())) {
                expired = served.value();
                expire();
            } else if (now != null && current != null && now.isBefore(current.refreshAt())) {
                early = Duration.between(now, current.refreshAt());
            } else if (inflight == null && !retryArmed && failures.last() == null) {
                attempt = beginAttempt(new CompletableFuture<>());
            }
        }
        if (expired != null) {
            T value = expired;
            notifier.post(() -> listener.expired(value));
        }
        if (early != null) {
            armRefresh(gen, early);
        }
        launch(attempt);
    }

    private void onRetryDue(long gen, long sequence) {
        LoadAttempt<T> attempt = null;
        synchronized (this) {
            if (sequence != retrySequence) {
                return;
            }
            retryTimer = null;
            retryArmed = false;
            if (closed || gen != generation) {
                return;
            }
            if (inflight == null) {
                attempt = beginAttempt(new CompletableFuture<>());
            } else if (held) {
                attempt = beginAttempt(inflight);
            }
        }
        launch(attempt);
    }

    private RuntimeException closedError() {
        return LoadWaiters.closedError(name);
    }
}
