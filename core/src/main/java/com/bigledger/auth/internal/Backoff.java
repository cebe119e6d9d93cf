package com.bigledger.auth.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between failed attempts: {@code initial × multiplier^(n-1)}, capped at
 * {@code max}, then reduced by a random fraction of at most {@code jitter} so that many processes that failed
 * together do not retry together. Immutable and thread-safe.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final double multiplier;
    private final double jitter;

    private Backoff(Duration initial, Duration max, double multiplier, double jitter) {
        this.initial = initial;
        this.max = max;
        this.multiplier = multiplier;
        this.jitter = jitter;
    }

    /**
     * Creates a backoff.
     *
     * @param initial the delay after the first failure; positive
     * @param max the largest delay; not below {@code initial}
     * @param multiplier growth per failure; at least 1
     * @param jitter the largest random fraction taken off a delay, in [0, 1)
     * @return the backoff
     * @throws IllegalArgumentException if a value is out of range; the message gives it
     */
    public static Backoff of(Duration initial, Duration max, double multiplier, double jitter) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isZero() || initial.isNegative()) {
            throw new IllegalArgumentException("backoff initial delay must be positive: " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max delay " + max + " is below the initial delay " + initial);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be at least 1: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("backoff jitter must be in [0, 1): " + jitter);
        }
        return new Backoff(initial, max, multiplier, jitter);
    }

    /**
     * Returns the delay before the next attempt.
     *
     * @param consecutiveFailures how many attempts in a row have failed; at least 1
     * @return the delay
     */
    public Duration delay(int consecutiveFailures) {
        double factor = Math.pow(multiplier, Math.max(0, consecutiveFailures - 1));
        double nanos = Math.min(nanos(max), nanos(initial) * factor);
        if (jitter > 0) {
            nanos -= nanos * jitter * ThreadLocalRandom.current().nextDouble();
        }
        return Duration.ofNanos(Math.max(1L, (long) nanos));
    }

    // Duration.toNanos() overflows past 292 years (ChronoUnit.FOREVER as a cap, say); a double does not, and the
    // (long) cast in delay() then saturates.
    private static double nanos(Duration duration) {
        return duration.getSeconds() * 1e9 + duration.getNano();
    }

    /**
     * Returns the delay after the first failure.
     *
     * @return the initial delay
     */
    public Duration initial() {
        return initial;
    }

    /**
     * Returns the largest delay.
     *
     * @return the cap
     */
    public Duration max() {
        return max;
    }

    @Override
    public String toString() {
        return "Backoff[initial=" + initial + ", max=" + max + ", multiplier=" + multiplier + ", jitter=" + jitter
                + "]";
    }
}
