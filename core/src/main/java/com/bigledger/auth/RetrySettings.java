package com.bigledger.auth;

import com.bigledger.auth.internal.Options;
import java.time.Duration;

/**
 * How a {@link TokenManager} retries a token request that failed for a temporary reason: how many attempts in a
 * round, and the exponential backoff between them. After a round gives up, the manager starts a new one after its
 * {@linkplain TokenManagerBuilder#retryCooldown cool-down}, for as long as the failure stays temporary.
 *
 * <p>Whatever the settings, only temporary failures are retried (a refusal such as {@code invalid_grant} never is),
 * and a wait is never shorter than the server's {@code Retry-After}. The delay before attempt <i>n</i> + 1 is
 * {@code initialBackoff × multiplier}<sup><i>n</i> − 1</sup>, randomized by ± {@code randomization} of itself and
 * capped at {@code maxBackoff}. The backoffs are used in whole milliseconds, rounded down, and at least one: a backoff
 * of 1.5 ms waits 1 ms, one of 500 µs waits 1 ms.
 *
 * <p>Immutable; equal settings are interchangeable, so managers on one token endpoint with equal settings share
 * one retry and one circuit breaker.
 *
 * @param maxAttempts attempts in one round, the first included; at least 1 (1: no retry)
 * @param initialBackoff the wait before the second attempt; positive
 * @param multiplier how much each wait grows; at least 1
 * @param randomization the jitter, as a fraction of each wait; from 0 (none) to 1 exclusive
 * @param maxBackoff the longest wait; at least {@code initialBackoff}
 */
public record RetrySettings(int maxAttempts, Duration initialBackoff, double multiplier, double randomization,
        Duration maxBackoff) {

    private static final RetrySettings DEFAULTS = new RetrySettings(4, Duration.ofMillis(500), 2.0, 0.5,
            Duration.ofSeconds(30));

    /**
     * Checks the settings.
     *
     * @param maxAttempts attempts in one round, the first included; at least 1
     * @param initialBackoff the wait before the second attempt; positive
     * @param multiplier how much each wait grows; at least 1
     * @param randomization the jitter, as a fraction of each wait; from 0 to 1 exclusive
     * @param maxBackoff the longest wait; at least {@code initialBackoff}
     * @throws NullPointerException if a duration is {@code null}
     * @throws IllegalArgumentException if a value is out of its range; the message names the setting
     */
    public RetrySettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("RetrySettings option 'maxAttempts' must be at least 1: "
                    + maxAttempts);
        }
        Options.positive("RetrySettings", "initialBackoff", initialBackoff);
        Options.positive("RetrySettings", "maxBackoff", maxBackoff);
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("RetrySettings option 'multiplier' must be a number of at least 1: "
                    + multiplier);
        }
        if (!(randomization >= 0.0 && randomization < 1.0)) {
            throw new IllegalArgumentException("RetrySettings option 'randomization' must be at least 0 and below 1: "
                    + randomization);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("RetrySettings option 'maxBackoff' (" + maxBackoff
                    + ") must be at least 'initialBackoff' (" + initialBackoff + ")");
        }
    }

    /**
     * The default: 4 attempts, backoff from 500 ms doubling with 50% randomization, up to 30 s.
     *
     * @return the default settings
     */
    public static RetrySettings defaults() {
        return DEFAULTS;
    }

    /**
     * No retry within a round: one attempt, then the manager's cool-down.
     *
     * @return settings with one attempt and otherwise the defaults
     */
    public static RetrySettings none() {
        return DEFAULTS.withMaxAttempts(1);
    }

    /**
     * Returns a copy with another number of attempts.
     *
     * @param maxAttempts attempts in one round, the first included; at least 1
     * @return the copy
     * @throws IllegalArgumentException if it is below 1
     */
    public RetrySettings withMaxAttempts(int maxAttempts) {
        return new RetrySettings(maxAttempts, initialBackoff, multiplier, randomization, maxBackoff);
    }

    /**
     * Returns a copy with another exponential backoff.
     *
     * @param initialBackoff the wait before the second attempt; positive
     * @param multiplier how much each wait grows; at least 1
     * @param maxBackoff the longest wait; at least {@code initialBackoff}
     * @return the copy
     * @throws NullPointerException if a duration is {@code null}
     * @throws IllegalArgumentException if a value is out of its range
     */
    public RetrySettings withBackoff(Duration initialBackoff, double multiplier, Duration maxBackoff) {
        return new RetrySettings(maxAttempts, initialBackoff, multiplier, randomization, maxBackoff);
    }

    /**
     * Returns a copy with another jitter.
     *
     * @param randomization the jitter, as a fraction of each wait; from 0 to 1 exclusive
     * @return the copy
     * @throws IllegalArgumentException if it is out of range
     */
    public RetrySettings withRandomization(double randomization) {
        return new RetrySettings(maxAttempts, initialBackoff, multiplier, randomization, maxBackoff);
    }

    // Written out rather than generated: a record's generated equals and hashCode are linked through method handles
    // on first use, which costs a short-lived process (the command line) tens of milliseconds; the managers' shared
    // endpoint guards are keyed by these settings.
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof RetrySettings)) {
            return false;
        }
        RetrySettings that = (RetrySettings) other;
        return maxAttempts == that.maxAttempts && initialBackoff.equals(that.initialBackoff)
                && Double.compare(multiplier, that.multiplier) == 0
                && Double.compare(randomization, that.randomization) == 0 && maxBackoff.equals(that.maxBackoff);
    }

    @Override
    public int hashCode() {
        int h = maxAttempts;
        h = 31 * h + initialBackoff.hashCode();
        h = 31 * h + Double.hashCode(multiplier);
        h = 31 * h + Double.hashCode(randomization);
        return 31 * h + maxBackoff.hashCode();
    }
}
