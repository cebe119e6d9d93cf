package com.bigledger.auth.internal;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.BigLedgerAuthException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The production configuration: the system clock, read on the hot path through the process-wide {@link CoarseClock}.
 * No timer runs; only the wall clock moves. The value is no longer
 * handed out once the published time has passed its expiry. The test waits for the published time to get there;
 * it asserts what is served, not how long anything took.
 */
class RefreshingValueSystemClockTest {

    @Test
    void systemClockValueStopsBeingServedOnceTheCoarseClockPassesItsExpiry() throws InterruptedException {
        RefreshingValueEdgeTest.HandScheduler scheduler = new RefreshingValueEdgeTest.HandScheduler();
        AtomicInteger loads = new AtomicInteger();
        Instant expiresAt = Instant.now().plusMillis(100);
        RefreshingValue<String> value = RefreshingValue.<String>builder("system-clock-value", previous -> {
            if (loads.incrementAndGet() > 1) {
                throw new BigLedgerAuthException("no second value", null, false);
            }
            return RefreshingValue.Loaded.of("v1", expiresAt, expiresAt);
        }).clock(Clock.systemUTC()).scheduler(scheduler).defaultTimeout(Duration.ZERO).build();
        value.refresh();
        scheduler.runImmediate();
        assertThat(value.lastLoaded()).isPresent();

        // Waits for the published time itself (not a duration) to pass the expiry; the 30 s bound only keeps a
        // publisher that never publishes from hanging the build.
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (CoarseClock.millis() <= expiresAt.toEpochMilli() && System.nanoTime() < giveUpAt) {
            Thread.sleep(10);
        }

        assertThat(CoarseClock.millis()).as("the coarse clock's published time").isGreaterThan(
                expiresAt.toEpochMilli());
        assertThat(value.peek()).isEmpty();
        assertThatThrownBy(value::get).isInstanceOf(BigLedgerAuthException.class)
                .hasMessageContaining("system-clock-value: no value within");
        assertThat(loads).hasValue(1);
    }
}
