package com.bigledger.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a token is refreshed ahead and when it stops being handed out: a pure calculation over the manager's
 * settings, the token's issue and expiry instants, the server's {@code refresh_in}, the time now and a random draw.
 *
 * <p>A token is handed out until its expiry less the skew, and refreshed ahead by the larger of the minimum and the
 * fraction of its lifetime, plus up to the jitter's share of that at random. A short-lived token cannot afford the
 * full window: the skew is at most a quarter of its lifetime and the refresh-ahead window at most half (before the
 * jitter). A server's {@code refresh_in} wins over the calculated instant. A refresh instant already past is now.
 * Immutable and thread-safe.
 */
final class RefreshSchedule {

    private final Duration aheadMinimum;
    private final double aheadFraction;
    private final Duration skew;
    private final double jitter;

    /**
     * Creates a schedule.
     *
     * @param aheadMinimum the least refresh-ahead window
     * @param aheadFraction the window as a fraction of the lifetime, when larger
     * @param skew how long before its expiry a token stops being handed out
     * @param jitter the most the window is lengthened at random, as a fraction of it
     */
    RefreshSchedule(Duration aheadMinimum, double aheadFraction, Duration skew, double jitter) {
        this.aheadMinimum = Objects.requireNonNull(aheadMinimum, "aheadMinimum");
        this.aheadFraction = aheadFraction;
        this.skew = Objects.requireNonNull(skew, "skew");
        this.jitter = jitter;
    }

    /**
     * Tells whether this schedule was made from these settings, so that a builder can reuse it.
     *
     * @param aheadMinimum the least refresh-ahead window
     * @param aheadFraction the window as a fraction of the lifetime
     * @param skew the skew
     * @param jitter the jitter
     * @return whether all four are this schedule's
     */
    boolean sameAs(Duration aheadMinimum, double aheadFraction, Duration skew, double jitter) {
        return this.aheadMinimum.equals(aheadMinimum) && Double.compare(this.aheadFraction, aheadFraction) == 0
                && this.skew.equals(skew) && Double.compare(this.jitter, jitter) == 0;
    }

    /** The two instants of one token. */
    static final class Plan {
        final Instant refreshAt;
        final Instant usableUntil;

        Plan(Instant refreshAt, Instant usableUntil) {
            this.refreshAt = refreshAt;
            this.usableUntil = usableUntil;
        }
    }

    /**
     * Plans one token.
     *
     * @param issuedAt when the token was obtained (its lifetime starts there)
     * @param expiresAt when it expires
     * @param serverRefreshAt the instant the server's {@code refresh_in} asks for, if it gave one
     * @param now the time now
     * @param random a draw in [0, 1) that spreads the refreshes of many managers
     * @return when to refresh it and until when to hand it out
     */
    Plan plan(Instant issuedAt, Instant expiresAt, Optional<Instant> serverRefreshAt, Instant now, double random) {
        Duration lifetime = Duration.between(issuedAt, expiresAt);
        if (lifetime.isNegative()) {
            lifetime = Duration.ZERO;
        }
        Instant usableUntil = expiresAt.minus(min(skew, lifetime.dividedBy(4)));
        Duration ahead = max(aheadMinimum, Duration.ofNanos((long) (lifetime.toNanos() * aheadFraction)));
        ahead = min(ahead, lifetime.dividedBy(2));
        ahead = ahead.plusNanos((long) (ahead.toNanos() * jitter * random));
        Instant refreshAt = serverRefreshAt.orElse(expiresAt.minus(ahead));
        if (refreshAt.isBefore(now)) {
            refreshAt = now;
        }
        return new Plan(refreshAt, usableUntil);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
