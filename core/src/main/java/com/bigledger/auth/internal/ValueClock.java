package com.bigledger.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link RefreshingValue} reads the time: on the hot path, the process-wide {@link CoarseClock} when the clock
 * is the system clock and the staleness bound allows it, else the injected clock; and for decisions, the injected
 * clock's instant. A clock that throws never escapes: the hot path reads it as "expired", decisions as "unknown"
 * ({@code null}). Thread-safe.
 *
 * @param name the value's name, for the log
 * @param clock the injected clock
 * @param coarse whether the hot path reads the {@link CoarseClock} instead of {@code clock}
 */
record ValueClock(String name, Clock clock, boolean coarse) {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshingValue.class);

    /**
     * Reads {@code clock} on the hot path through the coarse clock when it is the system clock and
     * {@code maxStaleness} allows the coarse clock's lag.
     */
    static ValueClock of(String name, Clock clock, Duration maxStaleness) {
        return new ValueClock(name, clock,
                CoarseClock.publishes(clock) && maxStaleness.compareTo(CoarseClock.BOUND) >= 0);
    }

    /** The hot path's time in epoch milliseconds: the coarse clock's or the clock's; when it throws, the maximum. */
    long millis() {
        if (coarse) {
            return CoarseClock.millis();
        }
        try {
            return clock.millis();
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The clock's instant, or {@code null} when it throws: every caller has a safe meaning for that. */
    Instant now() {
        try {
            return clock.instant();
        } catch (RuntimeException e) {
            LOG.warn("{}: the clock threw {}; deciding without it", name, e.getClass().getName());
            return null;
        }
    }
}
