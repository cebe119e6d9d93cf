package com.bigledger.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CoarseClock} on a clock of the test's own (a 5 ms period, awake for 3 periods): the publisher sleeps when
 * nobody reads, a read while it sleeps gets the system clock's time and wakes it, and an interrupt does not wake it.
 * The tests wait for states (asleep, a publication counted), never for a span of time.
 */
class CoarseClockTest {

    private static final java.util.concurrent.atomic.AtomicInteger CLOCKS = new java.util.concurrent.atomic.AtomicInteger();

    private final String threadName = "coarse-clock-test-" + CLOCKS.incrementAndGet();
    private final CoarseClock clock = new CoarseClock(5, 3, threadName);

    @AfterEach
    void stop() {
        clock.stop();
    }

    /** Waits for a condition; the 30 s bound only keeps a broken publisher from hanging the build. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUpAt = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < giveUpAt).as("still waiting for: " + what).isTrue();
            Thread.sleep(1);
        }
    }

    private Thread publisher() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(threadName))
                .findFirst().orElseThrow();
    }

    @Test
    void theProcessWideClockReadsTheSystemClock() {
        long before = System.currentTimeMillis();
        long read = CoarseClock.millis();

        // Within the bound behind the system clock, never ahead of it.
        assertThat(read).isGreaterThan(before - CoarseClock.BOUND.toMillis())
                .isLessThanOrEqualTo(System.currentTimeMillis());
    }

    @Test
    void publisherUnreadForItsAwakePeriodsSleepsAndPublishesNoMore() throws InterruptedException {
        await("the publisher asleep", clock::asleep);
        long published = clock.publications();

        await("the publisher parked", () -> publisher().getState() == Thread.State.WAITING);

        assertThat(clock.asleep()).isTrue();
        assertThat(clock.publications()).isEqualTo(published);
    }

    @Test
    void readWhileThePublisherSleepsGetsTheSystemClocksTimeAndWakesIt() throws InterruptedException {
        await("the publisher asleep", clock::asleep);
        long published = clock.publications();

        long before = System.currentTimeMillis();
        long read = clock.read();

        assertThat(read).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(clock.asleep()).isFalse();
        await("a publication after the read", () -> clock.publications() > published);
        // Awake again, and asleep again once nobody reads.
        await("the publisher asleep again", clock::asleep);
    }

    @Test
    void interruptDoesNotWakeASleepingPublisher() throws InterruptedException {
        await("the publisher asleep", clock::asleep);
        await("the publisher parked", () -> publisher().getState() == Thread.State.WAITING);
        long published = clock.publications();

        publisher().interrupt();

        await("the publisher parked again", () -> publisher().getState() == Thread.State.WAITING
                && !publisher().isInterrupted());
        assertThat(clock.asleep()).isTrue();
        assertThat(clock.publications()).isEqualTo(published);
    }

    @Test
    void publisherWokenByAReadPublishesForItsAwakePeriodsAndThenSleeps() throws InterruptedException {
        await("the publisher asleep", clock::asleep);
        await("the publisher parked", () -> publisher().getState() == Thread.State.WAITING);
        long published = clock.publications();

        clock.read();

        await("the publisher asleep again", clock::asleep);
        assertThat(clock.publications()).isEqualTo(published + 3);
    }

    @Test
    void publisherIsADaemonThreadAtTheHighestPriority() {
        Thread publisher = publisher();

        assertThat(publisher.isDaemon()).isTrue();
        assertThat(publisher.getPriority()).isEqualTo(Thread.MAX_PRIORITY);
        assertThat(publisher.getUncaughtExceptionHandler()).isNotSameAs(publisher.getThreadGroup());
    }

    @Test
    void stopEndsASleepingPublisher() throws InterruptedException {
        await("the publisher asleep", clock::asleep);
        await("the publisher parked", () -> publisher().getState() == Thread.State.WAITING);
        Thread publisher = publisher();

        clock.stop();

        publisher.join(Duration.ofSeconds(30).toMillis());
        assertThat(publisher.isAlive()).isFalse();
    }
}
