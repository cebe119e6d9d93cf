package com.bigledger.auth.internal;

import com.bigledger.auth.testing.FakeClock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock whose next {@link #failures} reads throw; otherwise the fake clock's time. Thread-safe. */
final class FaultyClock extends Clock {
    private final FakeClock delegate;
    /** How many of the next reads throw. */
    volatile int failures;

    FaultyClock(FakeClock delegate) {
        this.delegate = delegate;
    }

    @Override
    public Instant instant() {
        synchronized (this) {
            if (failures > 0) {
                failures--;
                throw new IllegalStateException("clock fault");
            }
        }
        return delegate.instant();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
