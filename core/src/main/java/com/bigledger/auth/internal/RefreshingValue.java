package com.bigledger.auth.internal;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

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

        /** {@code expiresAt} in epoch milliseconds, rounded down: what the hot path compares with the time. */
        long expiresAtMillis() {
            return expiresAtMillis;
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
    private final Duration defaultTimeout;
    private final RefreshStateMachine<T> machine;

    private RefreshingValue(Builder<T> builder) {
        this.name = builder.name;
        this.defaultTimeout = builder.defaultTimeout;
        this.machine = new RefreshStateMachine<>(builder.name, builder.loader, builder.clock, builder.scheduler,
                builder.retryPolicy, builder.listener, builder.timeoutError, builder.holdWaiters,
                builder.maxStaleness);
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
        return machine.get(defaultTimeout);
    }

    /**
     * Returns the value, waiting up to {@code timeout} when none is usable.
     *
     * @param timeout how long to wait for a load
     * @return the value
     * @throws RuntimeException the load's failure, or the timeout error
     */
    public T get(Duration timeout) {
        return machine.get(timeout);
    }

    /**
     * Returns the usable value without loading or waiting.
     *
     * @return the value, or empty when none is usable
     */
    public Optional<T> peek() {
        return machine.peek();
    }

    /**
     * Returns the last successfully loaded value with its instants, usable or not.
     *
     * @return the last load, or empty before the first success
     */
    public Optional<Loaded<T>> lastLoaded() {
        return machine.lastLoaded();
    }

    /**
     * Stops serving the current value and starts a load, unless one is in flight. Callers wait for it.
     *
     * @return {@code true} if the value was dropped
     */
    public boolean invalidate() {
        return machine.invalidateIf(null);
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
        return machine.invalidateIf(seen);
    }

    /**
     * Starts a background load now unless one is in flight; the current value stays served meanwhile. Clears a
     * non-retryable failure so that loads are tried again.
     */
    public void refresh() {
        machine.refresh();
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
        machine.post(Objects.requireNonNull(event, "event"));
    }

    /**
     * Delivers the events and listener calls queued so far before it returns, up to the deadline: see
     * {@link SerialNotifier#flush(long)}. Called from a listener, returns at once.
     *
     * @param deadlineNanos when to give up, on the {@link System#nanoTime()} scale
     * @return whether everything queued before the call was delivered
     */
    public boolean flushEvents(long deadlineNanos) {
        return machine.flushEvents(deadlineNanos);
    }

    /** Stops all timers and fails waiting callers. The value is no longer served. */
    @Override
    public void close() {
        machine.close();
    }

    @Override
    public String toString() {
        return "RefreshingValue[" + name + "]";
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
