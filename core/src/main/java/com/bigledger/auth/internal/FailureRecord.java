package com.bigledger.auth.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The failed attempts of a {@link RefreshingValue} since its last success: how many in a row, the last failure, when
 * callers may start the next attempt, and whether the retry policy must forget the past ones before it is asked
 * again. Pure bookkeeping; not thread-safe (its owner guards it with its lock).
 */
final class FailureRecord {

    private RuntimeException last;
    /** When callers may start the next attempt after {@code last}; {@code null}: not before a refresh. */
    private Instant retryDue;
    private int consecutive;
    /** Whether the retry policy must forget past failures before it is asked again. */
    private boolean resetPolicy;

    /** Forgets the failures, as an explicit refresh or invalidation does; the policy is reset before its next use. */
    void forget() {
        succeeded();
        resetPolicy = true;
    }

    /** Clears the failures after a successful load. */
    void succeeded() {
        last = null;
        retryDue = null;
        consecutive = 0;
    }

    /** The count the attempt that is finishing would make if it failed. */
    int nextCount() {
        return consecutive + 1;
    }

    /**
     * Tells whether the retry policy is to be reset before it is asked, and clears the request.
     *
     * @param success whether the attempt that is finishing succeeded (a success always resets the policy)
     * @return whether to reset the policy
     */
    boolean takeReset(boolean success) {
        boolean reset = resetPolicy || success;
        resetPolicy = false;
        return reset;
    }

    /**
     * Records a failure.
     *
     * @param failure the failure
     * @param now the time, or {@code null} when the clock could not be read (the next attempt is then due at once)
     * @param delay the delay before the retry, or {@code null} when none is scheduled
     * @return how many attempts in a row have failed
     */
    int record(RuntimeException failure, Instant now, Duration delay) {
        consecutive++;
        last = failure;
        retryDue = delay == null ? null : now == null ? Instant.MIN : now.plus(delay);
        return consecutive;
    }

    /** The last failure, or {@code null} when the last attempt succeeded or the failures were forgotten. */
    RuntimeException last() {
        return last;
    }

    /**
     * Tells whether a caller with no usable value gets the last failure at once instead of starting an attempt:
     * when an attempt failed and the next one is not due yet (or not due before a refresh).
     *
     * @param now the time, or {@code null} when the clock could not be read
     * @return whether to answer with {@link #last()}
     */
    boolean answersCallerAt(Instant now) {
        return last != null && (retryDue == null || now != null && now.isBefore(retryDue));
    }
}
