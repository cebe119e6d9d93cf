package com.bigledger.auth.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides, after a failed load, whether and when a {@link RefreshingValue} tries again. Called on the load's worker,
 * outside the value's lock (a policy may tell consumers of its own, as Resilience4j's retry does), one call at a time
 * per value; must not block.
 */
public interface RetryPolicy {

    /**
     * Returns the delay before the next attempt.
     *
     * @param failure the failure of the attempt that just ended
     * @param consecutiveFailures how many attempts in a row have failed, at least 1
     * @return the delay, or empty to stop retrying until the value is refreshed or invalidated by hand
     */
    Optional<Duration> next(RuntimeException failure, int consecutiveFailures);

    /** Forgets past failures: a load succeeded, or a refresh was asked by hand. By default, nothing to forget. */
    default void reset() {
    }

    /**
     * Retries the failures that {@code retryable} accepts, after {@code backoff}'s delays, without limit.
     *
     * @param backoff the delays
     * @param retryable which failures to retry
     * @return the policy
     */
    static RetryPolicy backoff(Backoff backoff, Predicate<RuntimeException> retryable) {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(retryable, "retryable");
        return (failure, consecutiveFailures) -> retryable.test(failure)
                ? Optional.of(backoff.delay(consecutiveFailures))
                : Optional.empty();
    }
}
