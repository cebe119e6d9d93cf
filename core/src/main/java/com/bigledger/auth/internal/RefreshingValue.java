package com.bigledger.auth.internal;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cached value that refreshes itself: the primitive under both the credential vault and the token manager.
 *
 * <p>Each load returns a value with two instants: {@code refreshAt}, when a background refresh starts while the
 * value is still served, and {@code expiresAt}, after which the value is not served.
 *
 * <p><b>Bounded staleness.</b> {@link #get()} never hands out a value more than the
 * {@linkplain Builder#maxStaleness staleness bound} (1 s by default) past its {@code expiresAt} as the injected
 * {@link Clock} reads it, whatever the timers, the scheduler, the clock or the listeners do, across a machine
 * sleep or a wall-clock jump. The check is on the hot path itself, so nothing has to run for it to hold:
 * <ul>
 *   <li>With a system clock and a bound of 1 s or more, {@code get()} compares the value's expiry with a
 *       process-wide coarse clock: a {@code volatile long} that one daemon thread sets to
 *       {@link System#currentTimeMillis()} every 250 ms. The thread runs no user code and survives any
 *       {@code Throwable}; the coarse time is never ahead of the clock and lags it by one period plus however late
 *       that thread is scheduled, so the bound holds as long as it is not more than 750 ms late. After a sleep
 *       its next publication is due at most 250 ms after the resume; a wall-clock jump is seen at the next one.
 *   <li>With any other clock (a test's fake clock, an offset clock) or a smaller bound, {@code get()} reads the
 *       clock on every call, and the bound is zero. A clock that throws counts as "expired".
 * </ul>
 * Either way the hot path is two volatile reads and a comparison: no lock, no allocation.
 *
 * <p><b>One timer per value.</b> The scheduler holds at most one event per value: the refresh at its
 * {@code refreshAt} (or the retry after a failure). Expiry needs no timer. A timer that fires late (the JDK's
 * scheduled executors run on monotonic time, which stops while a machine sleeps) only starts the refresh late; a
 * timer that never fires (a scheduler that refused it) leaves the refresh to the first call after the expiry.
 *
 * <p><b>No user code under the lock or on the timer thread.</b> The loader and the retry policy run on a
 * scheduler worker outside the lock; the listener runs on a worker through a per-value queue, so that a listener
 * that throws is logged and one that blocks holds back only this value's later events (and is reported once).
 * Every path that can fail (the clock throws, the scheduler refuses a load or a timer, the loader throws an
 * {@code Error}) completes the waiters and leaves either a retry armed or the value marked failed, so that the
 * next call after the retry was due loads again.
 *
 * <ul>
 *   <li>At most one load runs at a time; every caller that waits shares its outcome, success or failure.
 *   <li>A failed refresh keeps the last good value served until its {@code expiresAt}, and is retried after an
 *       delay its {@link RetryPolicy} gives; a failure for which the policy gives none is not retried until
 *       {@link #invalidate()} or {@link #refresh()}.
 *   <li>With no usable value, a caller waits for the load in flight up to its timeout. When the last attempt failed
 *       and the next one is not due, the caller gets that failure at once instead of starting another load.
 * </ul>
 *
 * <p>Time is read only through the injected {@link Clock}; background work runs only through the injected
 * {@link Scheduler}. Thread-safe. {@link #get()} blocks only when no usable value is cached.
 *
 * @param <T> the type of the value
 */
public final class RefreshingValue<T> implements AutoCloseable {

    /**
     * Loads a new value. Called on a scheduler thread, never twice at once for one {@code RefreshingValue}.
     *
     * @param <T> the type of the value
     */
    @FunctionalInterface
    public interface Loader<T> {

        /**
         * Loads the value. May block on I/O.
         *
         * @param previous the last value loaded, or {@code null} on the first load
         * @return the new value and its refresh and expiry instants
         * @throws RuntimeException when the value cannot be loaded
         */
        Loaded<T> load(T previous);
    }

    /**
     * Observes loads. Called after state changed, in order, one call at a time, on a scheduler worker and never
     * under a lock; a call that throws is logged, one that blocks delays only this value's later calls.
     *
     * @param <T> the type of the value
     */
    public interface Listener<T> {

        /**
         * A load is starting.
         *
         * @param valueServed whether a usable value is served meanwhile (a refresh) or callers wait (a load)
         */
        default void loadStarted(boolean valueServed) {
        }

        /**
         * A load succeeded.
         *
         * @param previous the value before, or {@code null}
         * @param loaded the new value
         */
        default void loadSucceeded(T previous, Loaded<T> loaded) {
        }

        /**
         * A load failed.
         *
         * @param failure the failure
         * @param consecutiveFailures how many attempts in a row have failed
         * @param retryIn the delay before the next attempt, or empty when none is scheduled
         * @param valueServed whether the last good value is still served
         */
        default void loadFailed(RuntimeException failure, int consecutiveFailures, Optional<Duration> retryIn,
                boolean valueServed) {
        }

        /**
         * A value reached its {@code expiresAt} without being replaced, and is no longer served.
         *
         * @param value the expired value
         */
        default void expired(T value) {
        }
    }

    /**
     * Makes the error a caller gets when its wait for a load times out.
     */
    @FunctionalInterface
    public interface TimeoutError {

        /**
         * Creates the error.
         *
         * @param name the value's name
         * @param timeout the caller's timeout
         * @param lastFailure the last failed attempt's failure, or {@code null}
         * @return the error to throw
         */
        RuntimeException create(String name, Duration timeout, RuntimeException lastFailure);
    }

    /**
     * A loaded value with the instant its background refresh starts and the instant it stops being served.
     *
     * @param <T> the type of the value
     */
    public static final class Loaded<T> {
        private final T value;
        private final Instant refreshAt;
        private final Instant expiresAt;
        /** {@code expiresAt} in epoch milliseconds, rounded down: the hot path compares it with the time. */
        private final long expiresAtMillis;

        private Loaded(T value, Instant refreshAt, Instant expiresAt) {
            this.value = value;
            this.refreshAt = refreshAt;
            this.expiresAt = expiresAt;
            this.expiresAtMillis = epochMillis(expiresAt);
        }

        private static long epochMillis(Instant instant) {
            try {
                return instant.toEpochMilli();
            } catch (ArithmeticException e) {
                return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
        }

        /**
         * Creates a loaded value.
         *
         * @param value the value; not {@code null}
         * @param refreshAt when to start a background refresh; clamped to {@code expiresAt}
         * @param expiresAt when to stop serving the value
         * @param <T> the type of the value
         * @return the loaded value
         */
        public static <T> Loaded<T> of(T value, Instant refreshAt, Instant expiresAt) {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(refreshAt, "refreshAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            return new Loaded<>(value, refreshAt.isAfter(expiresAt) ? expiresAt : refreshAt, expiresAt);
        }

        /**
         * Returns the value.
         *
         * @return the value
         */
        public T value() {
            return value;
        }

        /**
         * Returns when the background refresh starts.
         *
         * @return the refresh instant
         */
        public Instant refreshAt() {
            return refreshAt;
        }

        /**
         * Returns when the value stops being served.
         *
         * @return the expiry instant
         */
        public Instant expiresAt() {
            return expiresAt;
        }
    }

    /** How soon a step that failed for a reason other than the load (a clock, a scheduler) is tried again. */
    private static final Duration FAULT_RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingValue.class);

    private final String name;
    private final Loader<T> loader;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RetryPolicy retryPolicy;
    private final Listener<T> listener;
    private final TimeoutError timeoutError;
    private final Predicate<RuntimeException> holdWaiters;
    private final Duration defaultTimeout;
    /** Whether the hot path reads the {@link CoarseClock} instead of {@link #clock}. */
    private final boolean coarse;
    private final SerialNotifier notifier;

    /** The value served without a lock while the clock is before its expiry; {@code null} when none is. */
    private volatile Loaded<T> usable;

    // Guarded by this (the value is never handed to code that could lock it). Nothing user-supplied (loader, listener, retry policy, clock or scheduler) runs under it.
    private Loaded<T> current;
    /** The outcome waiters share: a load running, or (when {@code held}) a retry waiting for its backoff. */
    private CompletableFuture<T> inflight;
    private boolean held;
    private RuntimeException lastFailure;
    /** When callers may start the next attempt after {@code lastFailure}; {@code null}: not before a refresh. */
    private Instant retryDue;
    private int consecutiveFailures;
    /** Whether the retry policy must forget past failures before it is asked again. */
    private boolean resetPolicy;
    /** Changes when the value is replaced, dropped or closed: a refresh timer of an older one is ignored. */
    private long generation;
    /** Changes whenever a retry timer is armed or made moot: an older one is ignored. */
    private long retrySequence;
    private boolean retryArmed;
    private Scheduler.Cancellable refreshTimer;
    private Scheduler.Cancellable retryTimer;
    private boolean closed;

    private RefreshingValue(Builder<T> builder) {
        this.name = builder.name;
        this.loader = builder.loader;
        this.clock = builder.clock;
        this.scheduler = builder.scheduler;
        this.retryPolicy = builder.retryPolicy;
        this.listener = builder.listener;
        this.timeoutError = builder.timeoutError;
        this.holdWaiters = builder.holdWaiters;
        this.defaultTimeout = builder.defaultTimeout;
        this.coarse = CoarseClock.publishes(builder.clock) && builder.maxStaleness.compareTo(CoarseClock.BOUND) >= 0;
        this.notifier = new SerialNotifier(builder.name, builder.scheduler);
    }

    /**
     * Starts a builder.
     *
     * @param name what the value is, for messages: a reference or an endpoint, never a secret
     * @param loader loads the value
     * @param <T> the type of the value
     * @return the builder
     */
    public static <T> Builder<T> builder(String name, Loader<T> loader) {
        return new Builder<>(name, loader);
    }

    /**
     * Returns the value, loading it when none is usable and waiting up to the default timeout. Does not block when
     * a usable value is cached.
     *
     * @return the value
     * @throws RuntimeException the load's failure, or the timeout error
     */
    public T get() {
        Loaded<T> loaded = usable;
        if (loaded != null && nowMillis() < loaded.expiresAtMillis) {
            return loaded.value;
        }
        return slowGet(defaultTimeout);
    }

    /**
     * Returns the value, waiting up to {@code timeout} when none is usable.
     *
     * @param timeout how long to wait for a load
     * @return the value
     * @throws RuntimeException the load's failure, or the timeout error
     */
    public T get(Duration timeout) {
        Loaded<T> loaded = usable;
        if (loaded != null && nowMillis() < loaded.expiresAtMillis) {
            return loaded.value;
        }
        return slowGet(timeout);
    }

    /**
     * Returns the usable value without loading or waiting.
     *
     * @return the value, or empty when none is usable
     */
    public Optional<T> peek() {
        Loaded<T> loaded = usable;
        return loaded != null && nowMillis() < loaded.expiresAtMillis ? Optional.of(loaded.value) : Optional.empty();
    }

    /**
     * Returns the last successfully loaded value with its instants, usable or not.
     *
     * @return the last load, or empty before the first success
     */
    public Optional<Loaded<T>> lastLoaded() {
        synchronized (this) {
            return Optional.ofNullable(current);
        }
    }

    /**
     * Stops serving the current value and starts a load, unless one is in flight. Callers wait for it.
     *
     * @return {@code true} if the value was dropped
     */
    public boolean invalidate() {
        return invalidateIf(null);
    }

    /**
     * Stops serving the value and starts a load only if {@code seen} is still the current value: many callers that
     * saw one rejected value cause one load.
     *
     * @param seen the value the caller found rejected
     * @return {@code true} if {@code seen} was current and is now dropped
     */
    public boolean invalidate(T seen) {
        Objects.requireNonNull(seen, "seen");
        return invalidateIf(seen);
    }

    /**
     * Starts a background load now unless one is in flight; the current value stays served meanwhile. Clears a
     * non-retryable failure so that loads are tried again.
     */
    public void refresh() {
        Attempt attempt = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (inflight != null) {
                if (held) {
                    attempt = beginAttempt(inflight);
                }
            } else {
                forgetFailures();
                attempt = beginAttempt(new CompletableFuture<>());
            }
        }
        launch(attempt);
    }

    /**
     * Queues an event for the owner's listeners on this value's serial queue, behind the {@link Listener} calls and
     * events queued before it: it runs later on a scheduler worker, never on the calling thread, never under a lock
     * of this value, one at a time. An event that throws is logged; one that blocks delays only the later events of
     * this value. Still runs after {@link #close()}, so that what close itself does can be told. Never throws.
     *
     * @param event the listener calls
     */
    public void post(Runnable event) {
        notifier.post(Objects.requireNonNull(event, "event"));
    }

    /**
     * Delivers the events and listener calls queued so far before it returns, up to the deadline: see
     * {@link SerialNotifier#flush(long)}. Called from a listener, returns at once.
     *
     * @param deadlineNanos when to give up, on the {@link System#nanoTime()} scale
     * @return whether everything queued before the call was delivered
     */
    public boolean flushEvents(long deadlineNanos) {
        return notifier.flush(deadlineNanos);
    }

    /** Stops all timers and fails waiting callers. The value is no longer served. */
    @Override
    public void close() {
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
        cancel(refreshing);
        cancel(retrying);
        if (waiting != null) {
            waiting.completeExceptionally(closedError());
        }
    }

    @Override
    public String toString() {
        return "RefreshingValue[" + name + "]";
    }

    /** The hot path's time: the coarse clock's, or the injected clock's; a clock that throws means "expired". */
    private long nowMillis() {
        if (coarse) {
            return CoarseClock.millis();
        }
        try {
            return clock.millis();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The injected clock's instant, or {@code null} when it throws: every caller has a safe meaning for that. */
    private Instant now() {
        try {
            return clock.instant();
        } catch (RuntimeException e) {
            LOG.warn("{}: the clock threw {}; deciding without it", name, e.getClass().getName());
            return null;
        }
    }

    private boolean invalidateIf(T seen) {
        Attempt attempt = null;
        Scheduler.Cancellable refreshing;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (seen != null && (current == null || current.value != seen)) {
                return false;
            }
            generation++;
            refreshing = refreshTimer;
            refreshTimer = null;
            usable = null;
            forgetFailures();
            if (inflight == null) {
                attempt = beginAttempt(new CompletableFuture<>());
            } else if (held) {
                // The waiters' retry is moot: try again now.
                attempt = beginAttempt(inflight);
            }
        }
        cancel(refreshing);
        launch(attempt);
        return true;
    }

    /** Call with the lock held. */
    private void forgetFailures() {
        lastFailure = null;
        retryDue = null;
        consecutiveFailures = 0;
        resetPolicy = true;
    }

    private T slowGet(Duration timeout) {
        CompletableFuture<T> future;
        Attempt attempt = null;
        T expired = null;
        RuntimeException failure = null;
        synchronized (this) {
            if (closed) {
                throw closedError();
            }
            Instant now = now();
            Loaded<T> served = usable;
            if (served != null) {
                if (now != null && now.isBefore(served.expiresAt)) {
                    // The hot path's clock threw, or the coarse clock had not caught up: the value is still good.
                    return served.value;
                }
                expired = served.value;
                expire();
            }
            if (inflight != null) {
                future = inflight;
            } else if (lastFailure != null && (retryDue == null || now != null && now.isBefore(retryDue))) {
                future = null;
                failure = lastFailure;
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
        if (inflight == null && retryArmed && lastFailure != null && holdWaiters.test(lastFailure)) {
            // A retry is already scheduled: callers from now on wait for it, as they would had the value expired
            // before the failure.
            inflight = new CompletableFuture<>();
            held = true;
        }
    }

    private T await(CompletableFuture<T> future, Duration timeout) {
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
            RuntimeException last;
            synchronized (this) {
                last = lastFailure;
            }
            throw timeoutError.create(name, timeout, last);
        } catch (CancellationException e) {
            throw closedError();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BigLedgerAuthException(name + ": interrupted while waiting for a load", e, true);
        }
    }

    /** One attempt to load, decided under the lock and handed to the scheduler after it is released. */
    private static final class Attempt {
        final CompletableFuture<?> future;
        final Object previous;
        final boolean served;
        final Scheduler.Cancellable moot;

        Attempt(CompletableFuture<?> future, Object previous, boolean served, Scheduler.Cancellable moot) {
            this.future = future;
            this.previous = previous;
            this.served = served;
            this.moot = moot;
        }
    }

    /** Makes {@code future} the one waiters share and prepares the attempt. Call with the lock held. */
    private Attempt beginAttempt(CompletableFuture<T> future) {
        inflight = future;
        held = false;
        Scheduler.Cancellable moot = retryTimer;
        retryTimer = null;
        retryArmed = false;
        retrySequence++;
        return new Attempt(future, current == null ? null : current.value, usable != null, moot);
    }

    /** Hands the attempt to a worker; a scheduler that refuses or throws fails it like a load would. */
    @SuppressWarnings("unchecked")
    private void launch(Attempt attempt) {
        if (attempt == null) {
            return;
        }
        cancel(attempt.moot);
        CompletableFuture<T> future = (CompletableFuture<T>) attempt.future;
        try {
            scheduler.execute(() -> runLoad(future, (T) attempt.previous, attempt.served));
        } catch (Throwable e) {
            safeFinish(future, null, new BigLedgerAuthException(name + ": the scheduler refused the load ("
                    + e.getClass().getName() + ")", e, true), false);
        }
    }

    private void runLoad(CompletableFuture<T> future, T previous, boolean served) {
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
        safeFinish(future, loaded, failure, true);
        if (error != null) {
            throw error;
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
                future.complete(loaded.value);
            } else {
                future.completeExceptionally(failure != null ? failure : e);
            }
            LOG.warn("{}: finishing a load failed with {}", name, e.getClass().getName());
        }
    }

    private void finish(CompletableFuture<T> future, Loaded<T> loaded, RuntimeException failure,
            boolean fromLoader) {
        int failures;
        boolean reset;
        synchronized (this) {
            failures = consecutiveFailures + 1;
            reset = resetPolicy || failure == null;
            resetPolicy = false;
        }
        // The retry policy runs here, on the load's worker and outside the lock: Resilience4j publishes its events
        // to user consumers from it.
        Duration delay = null;
        if (reset) {
            resetPolicyQuietly();
        }
        if (failure != null) {
            delay = fromLoader ? nextDelay(failure, failures) : FAULT_RETRY;
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
            Instant now = now();
            if (failure == null) {
                before = current == null ? null : current.value;
                current = loaded;
                lastFailure = null;
                retryDue = null;
                consecutiveFailures = 0;
                gen = ++generation;
                mootRefresh = refreshTimer;
                mootRetry = retryTimer;
                refreshTimer = null;
                retryTimer = null;
                retryArmed = false;
                retrySequence++;
                if (now == null || now.isBefore(loaded.expiresAt)) {
                    // With no clock, the value is published anyway: the hot path reads the clock itself.
                    usable = loaded;
                    armRefresh = true;
                    refreshIn = now == null ? FAULT_RETRY : Duration.between(now, loaded.refreshAt);
                } else {
                    // Already past its expiry on arrival: the callers waiting for it get it once, nobody else.
                    usable = null;
                }
            } else {
                consecutiveFailures++;
                failures = consecutiveFailures;
                lastFailure = failure;
                gen = generation;
                Loaded<T> last = usable;
                if (last != null && (now == null || !now.isBefore(last.expiresAt))) {
                    expired = last.value;
                    usable = null;
                }
                retryDue = delay == null ? null : now == null ? Instant.MIN : now.plus(delay);
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
        cancel(mootRefresh);
        cancel(mootRetry);
        if (failure == null) {
            future.complete(loaded.value);
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
            int count = failures;
            Optional<Duration> retryIn = Optional.ofNullable(delay);
            notifier.post(() -> listener.loadFailed(failure, count, retryIn, served));
        }
    }

    private void resetPolicyQuietly() {
        try {
            retryPolicy.reset();
        } catch (RuntimeException e) {
            LOG.warn("{}: the retry policy's reset threw {}", name, e.getClass().getName());
        }
    }

    /** The retry policy's delay; when the policy itself throws, a short one, so that loading goes on. */
    private Duration nextDelay(RuntimeException failure, int failures) {
        try {
            return retryPolicy.next(failure, failures).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("{}: the retry policy threw {}; retrying in {}", name, e.getClass().getName(), FAULT_RETRY);
            return FAULT_RETRY;
        }
    }

    /**
     * Arms the one timer of this value's lifetime, at its refresh instant. If the scheduler refuses, the value is
     * still dropped at its expiry (the hot path checks it) and the next caller loads.
     */
    private void armRefresh(long gen, Duration delay) {
        Scheduler.Cancellable timer;
        try {
            timer = scheduler.schedule(() -> onRefreshDue(gen), delay.isNegative() ? Duration.ZERO : delay);
        } catch (Throwable e) {
            LOG.warn("{}: the scheduler refused the refresh timer ({}); the value is refreshed by the first call "
                    + "after it expires", name, e.getClass().getName());
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
            cancel(timer);
        }
    }

    /**
     * Arms a retry. If the scheduler refuses, waiters held for it get the failure now and the value stays marked
     * failed: the first call after the retry was due loads again.
     *
     * @return whether the retry is armed
     */
    private boolean armRetry(long gen, long sequence, Duration delay, CompletableFuture<T> future) {
        Scheduler.Cancellable timer = null;
        Throwable refused = null;
        try {
            timer = scheduler.schedule(() -> onRetryDue(gen, sequence), delay);
        } catch (Throwable e) {
            refused = e;
        }
        boolean moot;
        synchronized (this) {
            moot = sequence != retrySequence;
            if (!moot) {
                if (refused == null) {
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
        if (refused != null) {
            LOG.warn("{}: the scheduler refused the retry ({}); the first call after {} tries again", name,
                    refused.getClass().getName(), Durations.format(delay));
            return false;
        }
        if (moot) {
            cancel(timer);
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
        Instant now = now();
        Attempt attempt = null;
        T expired = null;
        Duration early = null;
        synchronized (this) {
            if (closed || gen != generation) {
                return;
            }
            refreshTimer = null;
            Loaded<T> served = usable;
            if (now != null && served != null && !now.isBefore(served.expiresAt)) {
                expired = served.value;
                expire();
            } else if (now != null && current != null && now.isBefore(current.refreshAt)) {
                early = Duration.between(now, current.refreshAt);
            } else if (inflight == null && !retryArmed && lastFailure == null) {
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
        Attempt attempt = null;
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

    private void cancel(Scheduler.Cancellable timer) {
        if (timer == null) {
            return;
        }
        try {
            timer.cancel();
        } catch (RuntimeException e) {
            // A timer that cannot be cancelled fires into a generation check and does nothing.
            LOG.debug("{}: cancelling a timer threw {}", name, e.getClass().getName());
        }
    }

    private RuntimeException closedError() {
        return new IllegalStateException(name + " is closed");
    }

    /**
     * Builds a {@link RefreshingValue}. Not thread-safe.
     *
     * @param <T> the type of the value
     */
    public static final class Builder<T> {
        private final String name;
        private final Loader<T> loader;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler = Scheduler.systemDefault();
        private RetryPolicy retryPolicy = RetryPolicy.backoff(
                Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.2),
                e -> !(e instanceof BigLedgerAuthException) || ((BigLedgerAuthException) e).retryable());
        private Duration maxStaleness = Duration.ofSeconds(1);
        private Listener<T> listener = new Listener<>() { };
        private TimeoutError timeoutError = (name, timeout, last) ->
                new BigLedgerAuthException(name + ": no value within " + Durations.format(timeout)
                        + (last == null ? "" : "; last failure: " + last.getMessage()), last, true);
        private Predicate<RuntimeException> holdWaiters = e -> !(e instanceof BigLedgerAuthException)
                || ((BigLedgerAuthException) e).retryable();
        private Duration defaultTimeout = Duration.ofSeconds(30);

        private Builder(String name, Loader<T> loader) {
            this.name = Objects.requireNonNull(name, "name");
            this.loader = Objects.requireNonNull(loader, "loader");
        }

        /**
         * Sets the clock. By default, {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder<T> clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the scheduler. By default, {@link Scheduler#systemDefault()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder<T> scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Sets when failed loads are tried again. By default, the failures that are
         * {@linkplain BigLedgerAuthException#retryable() retryable} (and any other runtime exception), after 1 s
         * doubling up to 5 minutes with 20% jitter.
         *
         * @param retryPolicy the policy
         * @return this builder
         */
        public Builder<T> retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * Sets the staleness bound: how long after its {@code expiresAt}, as the clock reads it, a value may still be
         * handed out at most. At 1 second or more, with a system clock, {@link #get()}
         * compares the value's expiry with a process-wide coarse clock (one volatile read); otherwise it reads the
         * clock on every call and the bound is zero. By default, 1 second.
         *
         * @param maxStaleness the bound; not negative
         * @return this builder
         */
        public Builder<T> maxStaleness(Duration maxStaleness) {
            Objects.requireNonNull(maxStaleness, "maxStaleness");
            if (maxStaleness.isNegative()) {
                throw new IllegalArgumentException("the staleness bound must not be negative: " + maxStaleness);
            }
            this.maxStaleness = maxStaleness;
            return this;
        }

        /**
         * Sets the listener. By default, none.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<T> listener(Listener<T> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the error thrown to a caller whose wait timed out. By default, a retryable
         * {@link BigLedgerAuthException} naming the value, the timeout and the last failure.
         *
         * @param timeoutError makes the error
         * @return this builder
         */
        public Builder<T> timeoutError(TimeoutError timeoutError) {
            this.timeoutError = Objects.requireNonNull(timeoutError, "timeoutError");
            return this;
        }

        /**
         * Sets the failures after which waiting callers keep waiting for the retry (up to their deadlines) instead
         * of getting the failure at once. Only applies when no usable value is cached and a retry is scheduled. By
         * default, the {@linkplain BigLedgerAuthException#retryable() retryable} ones.
         *
         * @param holdWaiters which failures hold waiters
         * @return this builder
         */
        public Builder<T> holdWaiters(Predicate<RuntimeException> holdWaiters) {
            this.holdWaiters = Objects.requireNonNull(holdWaiters, "holdWaiters");
            return this;
        }

        /**
         * Sets how long {@link #get()} waits for a load. By default, 30 seconds.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder<T> defaultTimeout(Duration timeout) {
            this.defaultTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Builds the value; nothing is loaded until the first {@link #get()}.
         *
         * @return the refreshing value
         */
        public RefreshingValue<T> build() {
            return new RefreshingValue<>(this);
        }
    }
}
