package com.bigledger.auth.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset that a scenario moves forward, to put a cached token into its refresh window or
 * past its expiry at a chosen moment without waiting for it. Between jumps it runs at real speed, so backoff,
 * circuit-breaker and timer delays stay real. Thread-safe.
 */
final class OffsetClock extends Clock {

    private final AtomicLong offsetNanos = new AtomicLong();

    /** Moves the clock forward by {@code by}. */
    void jump(Duration by) {
        offsetNanos.addAndGet(by.toNanos());
    }

    /** The current offset, for a ticker that must agree with this clock. */
    long offsetNanos() {
        return offsetNanos.get();
    }

    @Override
    public Instant instant() {
        return Instant.now().plusNanos(offsetNanos.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
