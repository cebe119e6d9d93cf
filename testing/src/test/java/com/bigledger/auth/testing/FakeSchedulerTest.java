package com.bigledger.auth.testing;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The fake scheduler runs tasks only when the test moves its clock, and tells when tasks are left behind. */
class FakeSchedulerTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final FakeScheduler scheduler = new FakeScheduler(clock);

    @Test
    void aTaskRunsOnlyOnceItsDelayHasPassed() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(runs::incrementAndGet, Duration.ofSeconds(10));

        assertThat(scheduler.advance(Duration.ofSeconds(9))).isZero();
        assertThat(scheduler.advance(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(runs).hasValue(1);
        scheduler.assertNoMoreTasks();
    }

    @Test
    void aQueuedTaskFailsTheNoMoreTasksCheckWithWhenItIsDue() {
        scheduler.schedule(() -> { }, Duration.ofSeconds(30));

        Throwable failure = catchThrowable(scheduler::assertNoMoreTasks);

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("have 1").hasMessageContaining("PT30S");
    }

    @Test
    void aCancelledTaskIsNoLongerQueued() {
        Scheduler.Cancellable task = scheduler.schedule(() -> { }, Duration.ofSeconds(30));

        task.cancel();

        scheduler.assertNoMoreTasks();
        assertThat(scheduler.advance(Duration.ofMinutes(1))).isZero();
    }
}
