package com.bigledger.auth.spi;

import com.bigledger.auth.Scheduler;
import com.bigledger.auth.internal.Backoff;
import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.internal.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A credential a store keeps fresh for itself, such as the token it logs in with: the library's refreshing
 * primitive (the one under {@link com.bigledger.auth.CredentialVault}) for a store author. At most one load runs
 * at a time and every caller that waits shares its outcome; the value is refreshed in the background from its
 * refresh instant and served until its expiry instant; failed loads are retried with backoff while the current
 * value is still served.
 *
 * <pre>{@code
 * RefreshingCredential<Token> token = RefreshingCredential.builder("token for " + address,
 *                 previous -> login(), Token::refreshAt, Token::expiresAt)
 *         .retryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(2))
 *         .build();
 * }</pre>
 *
 * <p>Time is read only through the builder's clock and background work runs only on its scheduler, so tests can
 * drive it with fakes. Thread-safe.
 *
 * @param <T> the type of the credential
 */
public final class RefreshingCredential<T> implements AutoCloseable {

    private final RefreshingValue<T> value;

    private RefreshingCredential(RefreshingValue<T> value) {
        this.value = value;
    }

    /**
     * Starts a builder.
     *
     * @param name what the credential is, for messages and logs; never a secret
     * @param loader loads a new credential from the previous one ({@code null} on the first load); called on a
     *     scheduler thread, never twice at once; may block on I/O and throws when it cannot load
     * @param refreshAt when a loaded credential's background refresh starts
     * @param expiresAt when a loaded credential stops being served
     * @param <T> the type of the credential
     * @return a new builder
     */
    public static <T> Builder<T> builder(String name, UnaryOperator<T> loader, Function<? super T, Instant> refreshAt,
            Function<? super T, Instant> expiresAt) {
        return new Builder<>(name, loader, refreshAt, expiresAt);
    }

    /**
     * Returns the credential, loading it when none is usable and waiting up to the builder's timeout. Does not
     * block when a usable one is held.
     *
     * @return the credential
     * @throws RuntimeException the load's failure, or the builder's timeout error
     * @throws IllegalStateException if this is closed
     */
    public T get() {
        return value.get();
    }

    /**
     * Returns the usable credential without loading or waiting.
     *
     * @return the credential, or empty when none is usable
     */
    public Optional<T> peek() {
        return value.peek();
    }

    /**
     * Stops serving a credential that its backend refused (expired, revoked) and starts a load, unless another
     * caller already replaced it: many callers that saw one refused credential cause one load.
     *
     * @param seen the credential the caller found refused
     * @return {@code true} if {@code seen} was current and is now dropped
     */
    public boolean invalidate(T seen) {
        return value.invalidate(seen);
    }

    /** Stops the background work and fails waiting callers; the credential is no longer served. */
    @Override
    public void close() {
        value.close();
    }

    @Override
    public String toString() {
        return "RefreshingCredential[" + value + "]";
    }

    /**
     * Observes loads, one call at a time on a scheduler worker, never under a lock.
     *
     * @param <T> the type of the credential
     */
    public interface Listener<T> {

        /**
         * A load succeeded.
         *
         * @param previous the credential before, or {@code null}
         * @param loaded the new credential
         */
        default void loaded(T previous, T loaded) {
        }

        /**
         * A load failed.
         *
         * @param failure the failure
         * @param consecutiveFailures how many attempts in a row have failed
         * @param retryIn the delay before the next attempt, or empty when none is scheduled
         * @param valueServed whether the current credential is still served
         */
        default void failed(RuntimeException failure, int consecutiveFailures, Optional<Duration> retryIn,
                boolean valueServed) {
        }
    }

    /**
     * Configures a {@link RefreshingCredential}. Not thread-safe.
     *
     * @param <T> the type of the credential
     */
    public static final class Builder<T> {
        private final RefreshingValue.Builder<T> builder;
        private Duration backoffInitial;
        private Duration backoffMax;
        private Function<RuntimeException, Duration> noSoonerThan;

        private Builder(String name, UnaryOperator<T> loader, Function<? super T, Instant> refreshAt,
                Function<? super T, Instant> expiresAt) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(loader, "loader");
            Objects.requireNonNull(refreshAt, "refreshAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            this.builder = RefreshingValue.builder(name, previous -> {
                T loaded = loader.apply(previous);
                return RefreshingValue.Loaded.of(loaded, refreshAt.apply(loaded), expiresAt.apply(loaded));
            });
        }

        /**
         * Sets the clock. By default, the system clock in UTC.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder<T> clock(Clock clock) {
            builder.clock(clock);
            return this;
        }

        /**
         * Sets the scheduler that runs loads and timers. By default, the library's shared one.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder<T> scheduler(Scheduler scheduler) {
            builder.scheduler(scheduler);
            return this;
        }

        /**
         * Retries every failed load, after an exponential backoff (doubling, less up to 20% jitter). Without it,
         * retryable library failures are retried from 1 second up to 5 minutes, and other library failures not.
         *
         * @param initial the delay after the first failure; positive
         * @param max the largest delay; not below {@code initial}
         * @return this builder
         * @throws IllegalArgumentException if a delay is out of range
         */
        public Builder<T> retryBackoff(Duration initial, Duration max) {
            Backoff.of(initial, max, 2.0, 0.2);
            this.backoffInitial = initial;
            this.backoffMax = max;
            return this;
        }

        /**
         * Sets, for a failure, the shortest delay before the next attempt, such as a server's {@code Retry-After};
         * the backoff's delay is used when it is longer. Applies with {@link #retryBackoff}.
         *
         * @param noSoonerThan the shortest delay after a failure; {@link Duration#ZERO} for no bound
         * @return this builder
         */
        public Builder<T> retryNoSoonerThan(Function<RuntimeException, Duration> noSoonerThan) {
            this.noSoonerThan = Objects.requireNonNull(noSoonerThan, "noSoonerThan");
            return this;
        }

        /**
         * Makes a caller that finds no usable credential get the last failure at once until the next attempt is
         * due, instead of waiting through the backoff: for a store whose caller (the credential vault) keeps
         * serving its own cached values and retries on its own.
         *
         * @return this builder
         */
        public Builder<T> failWaitersAtOnce() {
            builder.holdWaiters(failure -> false);
            return this;
        }

        /**
         * Sets how long {@link RefreshingCredential#get()} waits for a load, and the error it throws then. By
         * default, 30 seconds and a retryable {@link com.bigledger.auth.BigLedgerAuthException}.
         *
         * @param timeout how long a caller waits
         * @param error makes the error from the timeout and the last failure ({@code null} when none)
         * @return this builder
         */
        public Builder<T> timeout(Duration timeout, BiFunction<Duration, RuntimeException, RuntimeException> error) {
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(error, "error");
            builder.defaultTimeout(timeout).timeoutError((name, wait, last) -> error.apply(wait, last));
            return this;
        }

        /**
         * Sets the listener. By default, none.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<T> listener(Listener<T> listener) {
            Objects.requireNonNull(listener, "listener");
            builder.listener(new RefreshingValue.Listener<>() {
                @Override
                public void loadSucceeded(T previous, RefreshingValue.Loaded<T> loaded) {
                    listener.loaded(previous, loaded.value());
                }

                @Override
                public void loadFailed(RuntimeException failure, int consecutiveFailures, Optional<Duration> retryIn,
                        boolean valueServed) {
                    listener.failed(failure, consecutiveFailures, retryIn, valueServed);
                }
            });
            return this;
        }

        /**
         * Builds the credential; nothing is loaded until the first {@link RefreshingCredential#get()}.
         *
         * @return the credential
         */
        public RefreshingCredential<T> build() {
            if (backoffInitial != null || noSoonerThan != null) {
                Backoff backoff = backoffInitial == null ? Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(5),
                        2.0, 0.2) : Backoff.of(backoffInitial, backoffMax, 2.0, 0.2);
                Function<RuntimeException, Duration> floor = noSoonerThan == null ? e -> Duration.ZERO : noSoonerThan;
                builder.retryPolicy((RetryPolicy) (failure, consecutiveFailures) -> {
                    Duration delay = backoff.delay(consecutiveFailures);
                    Duration least = floor.apply(failure);
                    return Optional.of(least != null && least.compareTo(delay) > 0 ? least : delay);
                });
            }
            return new RefreshingCredential<>(builder.build());
        }
    }
}
