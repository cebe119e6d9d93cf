package com.bigledger.auth.internal;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One cached value that refreshes itself: the primitive under both the credential vault and the token manager.
 *
 * <p>Each load returns a value with two instants: {@code refreshAt}, when a background refresh starts while the
 * value is still served, and {@code expiresAt}, after which the value is never served. Freshness is decided by
 * timers on the {@link Scheduler}, not by reading the clock on each call, so that {@link #get()} on a usable
 * value is one volatile read: no lock, no allocation, no clock read. The timers re-read the {@link Clock} at least
 * every {@linkplain Builder#watchdog watchdog interval} (1 s by default): the JDK's scheduled executors run on
 * monotonic time, which stops while a machine sleeps, so a timer alone could fire long after the wall-clock
 * instant it stood for. A value is therefore never served more than one watchdog interval past its
 * {@code expiresAt}, as long as the scheduler's timer runs.
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
     * Observes loads. Called on the thread that ran the load, after state changed, never under a lock.
     * Implementations must be fast and must not throw.
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

        private Loaded(T value, Instant refreshAt, Instant expiresAt) {
            this.value = value;
            this.refreshAt = refreshAt;
            this.expiresAt = expiresAt;
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

    private final String name;
    private final Loader<T> loader;
    private final Clock clock;
    private final Scheduler scheduler;
    private final RetryPolicy retryPolicy;
    private final Duration watchdog;
    private final Listener<T> listener;
    private final TimeoutError timeoutError;
    private final Predicate<RuntimeException> holdWaiters;
    private final Duration defaultTimeout;

    /** The value served without a lock; {@code null} when none is usable. */
    private volatile T usable;

    private final Object lock = new Object();
    // Guarded by lock.
    private Loaded<T> current;
    /** The outcome waiters share: a load running, or (when {@code held}) a retry waiting for its backoff. */
    private CompletableFuture<T> inflight;
    private boolean held;
    private RuntimeException lastFailure;
    private Instant nextAttemptAt;
    private int consecutiveFailures;
    private long generation;
    private Scheduler.Cancellable tickTimer;
    private Scheduler.Cancellable retryTimer;
    private boolean closed;

    private RefreshingValue(Builder<T> builder) {
        this.name = builder.name;
        this.loader = builder.loader;
        this.clock = builder.clock;
        this.scheduler = builder.scheduler;
        this.retryPolicy = builder.retryPolicy;
        this.watchdog = builder.watchdog;
        this.listener = builder.listener;
        this.timeoutError = builder.timeoutError;
        this.holdWaiters = builder.holdWaiters;
        this.defaultTimeout = builder.defaultTimeout;
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
        T value = usable;
        if (value != null) {
            return value;
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
        T value = usable;
        if (value != null) {
            return value;
        }
        return slowGet(timeout);
    }

    /**
     * Returns the usable value without loading or waiting.
     *
     * @return the value, or empty when none is usable
     */
    public Optional<T> peek() {
        return Optional.ofNullable(usable);
    }

    /**
     * Returns the last successfully loaded value with its instants, usable or not.
     *
     * @return the last load, or empty before the first success
     */
    public Optional<Loaded<T>> lastLoaded() {
        synchronized (lock) {
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
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (inflight != null) {
                if (held) {
                    startAttempt(inflight);
                }
                return;
            }
            lastFailure = null;
            nextAttemptAt = null;
            consecutiveFailures = 0;
            retryPolicy.reset();
            startLoad();
        }
    }

    /** Stops all timers and fails waiting callers. The value is no longer served. */
    @Override
    public void close() {
        CompletableFuture<T> waiting;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            generation++;
            cancelTimers();
            usable = null;
            waiting = inflight;
            inflight = null;
            held = false;
        }
        if (waiting != null) {
            waiting.completeExceptionally(closedError());
        }
    }

    @Override
    public String toString() {
        return "RefreshingValue[" + name + "]";
    }

    private boolean invalidateIf(T seen) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (seen != null && (current == null || current.value != seen)) {
                return false;
            }
            generation++;
            cancelTimers();
            usable = null;
            lastFailure = null;
            nextAttemptAt = null;
            consecutiveFailures = 0;
            retryPolicy.reset();
            if (inflight == null) {
                startLoad();
            } else if (held) {
                // The waiters' retry timer was just cancelled: try again now.
                startAttempt(inflight);
            }
        }
        return true;
    }

    private T slowGet(Duration timeout) {
        CompletableFuture<T> future;
        synchronized (lock) {
            T value = usable;
            if (value != null) {
                return value;
            }
            if (closed) {
                throw closedError();
            }
            if (inflight != null) {
                future = inflight;
            } else if (lastFailure != null && (nextAttemptAt == null || clock.instant().isBefore(nextAttemptAt))) {
                throw lastFailure;
            } else {
                future = startLoad();
            }
        }
        return await(future, timeout);
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
            synchronized (lock) {
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

    /** Starts a load on the scheduler. Call with the lock held. */
    private CompletableFuture<T> startLoad() {
        CompletableFuture<T> future = new CompletableFuture<>();
        startAttempt(future);
        return future;
    }

    /** Starts one attempt whose outcome completes {@code future}. Call with the lock held. */
    private void startAttempt(CompletableFuture<T> future) {
        inflight = future;
        held = false;
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
        T previous = current == null ? null : current.value;
        boolean served = usable != null;
        try {
            scheduler.execute(() -> runLoad(future, previous, served));
        } catch (RejectedExecutionException e) {
            inflight = null;
            future.completeExceptionally(new BigLedgerAuthException(name + ": the scheduler refused the load", e,
                    true));
        }
    }

    private void runLoad(CompletableFuture<T> future, T previous, boolean served) {
        listener.loadStarted(served);
        Loaded<T> loaded = null;
        RuntimeException failure = null;
        try {
            loaded = loader.load(previous);
            if (loaded == null) {
                failure = new BigLedgerAuthException(name + ": the loader returned nothing", null, false);
            }
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {
            failure = new BigLedgerAuthException(name + ": load failed with " + e.getClass().getName(), e, false);
            finish(future, null, failure);
            throw e;
        }
        finish(future, loaded, failure);
    }

    private void finish(CompletableFuture<T> future, Loaded<T> loaded, RuntimeException failure) {
        List<Runnable> notifications = new ArrayList<>(2);
        boolean hold = false;
        synchronized (lock) {
            if (inflight == future) {
                inflight = null;
                held = false;
            }
            if (closed) {
                future.completeExceptionally(closedError());
                return;
            }
            Instant now = clock.instant();
            if (failure == null) {
                T before = current == null ? null : current.value;
                current = loaded;
                lastFailure = null;
                nextAttemptAt = null;
                consecutiveFailures = 0;
                retryPolicy.reset();
                long gen = ++generation;
                cancelTimers();
                if (now.isBefore(loaded.expiresAt)) {
                    usable = loaded.value;
                    scheduleTick(gen, now);
                } else {
                    // Already past its expiry on arrival: the callers waiting for it get it once, nobody else.
                    usable = null;
                }
                Loaded<T> done = loaded;
                notifications.add(() -> listener.loadSucceeded(before, done));
            } else {
                consecutiveFailures++;
                lastFailure = failure;
                Duration delay = retryPolicy.next(failure, consecutiveFailures).orElse(null);
                boolean retry = delay != null;
                nextAttemptAt = retry ? now.plus(delay) : null;
                // With no value to serve, waiters keep waiting through a retry, up to their own deadlines.
                hold = retry && usable == null && holdWaiters.test(failure);
                if (hold) {
                    inflight = future;
                    held = true;
                }
                if (retry) {
                    long gen = generation;
                    retryTimer = scheduler.schedule(() -> onRetryDue(gen), delay);
                }
                int failures = consecutiveFailures;
                boolean served = usable != null;
                RuntimeException reported = failure;
                notifications.add(() -> listener.loadFailed(reported, failures, Optional.ofNullable(delay), served));
            }
        }
        if (failure == null) {
            future.complete(loaded.value);
        } else if (!hold) {
            future.completeExceptionally(failure);
        }
        for (Runnable notification : notifications) {
            notification.run();
        }
    }

    /** Schedules the next check of the current value: at its next instant, or sooner by the watchdog. */
    private void scheduleTick(long gen, Instant now) {
        Instant next = now.isBefore(current.refreshAt) ? current.refreshAt : current.expiresAt;
        Duration delay = Duration.between(now, next);
        if (delay.compareTo(watchdog) > 0) {
            delay = watchdog;
        }
        // A tick only reads the clock and flips state (a load it starts goes to a worker): the timer thread runs it.
        tickTimer = scheduler.scheduleShort(() -> onTick(gen), delay);
    }

    /**
     * Re-reads the clock: starts the refresh once {@code refreshAt} has passed and drops the value once
     * {@code expiresAt} has. Ticks come at least every watchdog interval, so a timer that a sleeping machine or a
     * late scheduler delayed still catches up within one interval of the clock.
     */
    private void onTick(long gen) {
        T expired = null;
        synchronized (lock) {
            if (closed || gen != generation || current == null) {
                return;
            }
            tickTimer = null;
            Instant now = clock.instant();
            if (!now.isBefore(current.expiresAt)) {
                expired = usable;
                usable = null;
                if (inflight == null && retryTimer != null && lastFailure != null && holdWaiters.test(lastFailure)) {
                    // A retry is already scheduled: callers from now on wait for it, as they would had the value
                    // expired before the failure.
                    inflight = new CompletableFuture<>();
                    held = true;
                }
            } else {
                if (!now.isBefore(current.refreshAt) && inflight == null && retryTimer == null
                        && lastFailure == null) {
                    startLoad();
                }
                scheduleTick(gen, now);
            }
        }
        if (expired != null) {
            listener.expired(expired);
        }
    }

    private void onRetryDue(long gen) {
        synchronized (lock) {
            retryTimer = null;
            if (closed || gen != generation) {
                return;
            }
            if (inflight == null) {
                startLoad();
            } else if (held) {
                startAttempt(inflight);
            }
        }
    }

    private void cancelTimers() {
        if (tickTimer != null) {
            tickTimer.cancel();
            tickTimer = null;
        }
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
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
        private Duration watchdog = Duration.ofSeconds(1);
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
         * Sets the longest time between two checks of the clock while a value is cached. The hot path never reads
         * the clock; these checks do, so a value is dropped at most this long after its {@code expiresAt} even when
         * the machine slept through its timer. By default, 1 second.
         *
         * @param watchdog the interval; positive
         * @return this builder
         */
        public Builder<T> watchdog(Duration watchdog) {
            Objects.requireNonNull(watchdog, "watchdog");
            if (watchdog.isZero() || watchdog.isNegative()) {
                throw new IllegalArgumentException("watchdog interval must be positive: " + watchdog);
            }
            this.watchdog = watchdog;
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
