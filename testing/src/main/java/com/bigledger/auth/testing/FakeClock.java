package com.bigledger.auth.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that moves only when a test calls {@link #advance(Duration)}. Thread-safe. */
public final class FakeClock extends Clock {

    private final AtomicReference<Instant> now;

    /** A clock at a fixed, arbitrary instant. */
    public FakeClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /**
     * A clock at {@code start}.
     *
     * @param start the initial instant
     */
    public FakeClock(Instant start) {
        this.now = new AtomicReference<>(java.util.Objects.requireNonNull(start, "start"));
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far; not negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + duration);
        }
        now.updateAndGet(instant -> instant.plus(duration));
    }

    /**
     * Sets the clock to any instant, earlier ones included: a wall clock that jumps (an NTP step, an operator, a
     * virtual machine restored from a snapshot). Timers of a {@link FakeScheduler} on this clock stay due at the
     * instants they were due at.
     *
     * @param instant the new time
     */
    public void set(Instant instant) {
        now.set(java.util.Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("FakeClock is UTC only");
    }
}
