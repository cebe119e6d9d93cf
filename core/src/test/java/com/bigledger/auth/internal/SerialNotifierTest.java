package com.bigledger.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.Scheduler;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link SerialNotifier}: notifications run later on the scheduler, in order, one drain at a time; a throwing one
 * is logged and the next runs; a refusing scheduler drops the queued ones and is reported once; a notification
 * that does not return is reported once, when something is posted behind it after the limit.
 */
class SerialNotifierTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final List<String> ran = new ArrayList<>();

    private SerialNotifier notifier(Scheduler scheduler) {
        return new SerialNotifier("notifier-under-test", scheduler, nanos::get, LIMIT);
    }

    @Test
    void notificationsRunLaterOnTheSchedulerInOrderThroughOneDrain() {
        SerialNotifier notifier = notifier(scheduler);

        notifier.post(() -> ran.add("a"));
        notifier.post(() -> ran.add("b"));
        notifier.post(() -> ran.add("c"));

        assertThat(ran).isEmpty();
        assertThat(scheduler.queued()).hasSize(1);
        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(ran).containsExactly("a", "b", "c");
        scheduler.assertNoMoreTasks();
    }

    @Test
    void postAfterTheQueueWasDrainedStartsAnotherDrain() {
        SerialNotifier notifier = notifier(scheduler);
        notifier.post(() -> ran.add("first"));
        scheduler.runDue();

        notifier.post(() -> ran.add("second"));

        assertThat(ran).containsExactly("first");
        assertThat(scheduler.queued()).hasSize(1);
        scheduler.runDue();
        assertThat(ran).containsExactly("first", "second");
    }

    @Test
    void notificationPostedWhileDrainingRunsInTheSameDrainAfterTheCurrentOne() {
        SerialNotifier notifier = notifier(scheduler);
        notifier.post(() -> {
            notifier.post(() -> ran.add("posted from a listener"));
            ran.add("outer");
        });

        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(ran).containsExactly("outer", "posted from a listener");
        scheduler.assertNoMoreTasks();
    }

    @Test
    void throwingNotificationIsLoggedAndTheNextOneRuns() {
        SerialNotifier notifier = notifier(scheduler);
        notifier.post(() -> {
            throw new IllegalStateException("listener fault");
        });
        notifier.post(() -> ran.add("after"));

        try (StandardErrorCapture err = new StandardErrorCapture()) {
            scheduler.runDue();
            assertThat(ran).containsExactly("after");
            assertThat(err.text()).contains("notifier-under-test: a listener threw java.lang.IllegalStateException");
        }
    }

    @Test
    void errorThrownByANotificationDoesNotStopTheDrain() {
        SerialNotifier notifier = notifier(scheduler);
        notifier.post(() -> {
            throw new AssertionError("listener error");
        });
        notifier.post(() -> ran.add("after"));

        try (StandardErrorCapture err = new StandardErrorCapture()) {
            scheduler.runDue();
            assertThat(ran).containsExactly("after");
            assertThat(err.text()).contains("a listener threw java.lang.AssertionError");
        }
    }

    @Test
    void refusingSchedulerDropsTheQueuedNotificationsReportsOnceAndIsTriedAgainOnTheNextPost() {
        AtomicInteger refusals = new AtomicInteger(2);
        Scheduler refusing = new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                if (refusals.getAndDecrement() > 0) {
                    throw new RejectedExecutionException("refused on purpose");
                }
                return scheduler.schedule(task, delay);
            }
        };
        SerialNotifier notifier = notifier(refusing);

        try (StandardErrorCapture err = new StandardErrorCapture()) {
            notifier.post(() -> ran.add("dropped"));
            assertThat(err.count("the scheduler refused to run listeners")).isEqualTo(1);
            assertThat(err.text()).contains("notifier-under-test: the scheduler refused to run listeners "
                    + "(java.util.concurrent.RejectedExecutionException); 1 event(s) dropped (reported once)");

            notifier.post(() -> ran.add("dropped too"));
            assertThat(err.count("the scheduler refused to run listeners")).isEqualTo(1);

            notifier.post(() -> ran.add("runs"));
            scheduler.runDue();
        }
        assertThat(ran).containsExactly("runs");
    }

    @Test
    void errorFromTheSchedulerIsHandledLikeARefusal() {
        Scheduler failing = new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                throw new OutOfMemoryError("unable to create native thread (simulated)");
            }
        };
        SerialNotifier notifier = notifier(failing);

        try (StandardErrorCapture err = new StandardErrorCapture()) {
            notifier.post(() -> ran.add("dropped"));
            assertThat(err.text()).contains("(java.lang.OutOfMemoryError); 1 event(s) dropped");
        }
        assertThat(ran).isEmpty();
    }

    @Test
    void notificationThatHasNotReturnedIsReportedOnceWhenSomethingIsPostedBehindItAfterTheLimit() {
        SerialNotifier notifier = notifier(scheduler);
        String blocked = "has not returned for more than";
        try (StandardErrorCapture err = new StandardErrorCapture()) {
            notifier.post(() -> {
                // The listener "runs" for just under the limit, then for exactly the limit, then for longer.
                nanos.addAndGet(LIMIT.toNanos() - 1);
                notifier.post(() -> ran.add("behind, early"));
                ran.add("reports after early post: " + err.count(blocked));
                nanos.addAndGet(1);
                notifier.post(() -> ran.add("behind, at the limit"));
                ran.add("reports after post at the limit: " + err.count(blocked));
                nanos.addAndGet(LIMIT.toNanos());
                notifier.post(() -> ran.add("behind, late"));
                ran.add("reports after late post: " + err.count(blocked));
            });
            scheduler.runDue();

            assertThat(ran).containsExactly("reports after early post: 0", "reports after post at the limit: 1",
                    "reports after late post: 1", "behind, early", "behind, at the limit", "behind, late");
            assertThat(err.text()).contains("notifier-under-test: a listener has not returned for more than 10s; "
                    + "the later events of notifier-under-test wait behind it (reported once)");
        }
    }

    @Test
    void slowNotificationIsTimedFromItsOwnStartNotFromAnEarlierOne() {
        SerialNotifier notifier = notifier(scheduler);
        String blocked = "has not returned for more than";
        try (StandardErrorCapture err = new StandardErrorCapture()) {
            notifier.post(() -> ran.add("quick"));
            notifier.post(() -> {
                nanos.addAndGet(LIMIT.toNanos() - 1);
                notifier.post(() -> ran.add("behind"));
                ran.add("reports: " + err.count(blocked));
            });
            // The drain starts long after the posts: each notification is timed from when it starts running.
            nanos.addAndGet(LIMIT.toNanos() * 3);
            scheduler.runDue();

            assertThat(ran).containsExactly("quick", "reports: 0", "behind");
            assertThat(err.count(blocked)).isZero();
        }
    }

    @Test
    void notificationWaitingForItsDrainIsNotReportedAsBlocked() {
        SerialNotifier notifier = notifier(scheduler);
        try (StandardErrorCapture err = new StandardErrorCapture()) {
            notifier.post(() -> ran.add("first"));
            // Nothing runs yet: the drain is only queued on the scheduler, however long it waits.
            nanos.addAndGet(LIMIT.toNanos() * 100);
            notifier.post(() -> ran.add("second"));
            scheduler.runDue();

            // After a drain ended, nothing is running either.
            nanos.addAndGet(LIMIT.toNanos() * 100);
            notifier.post(() -> ran.add("third"));
            notifier.post(() -> ran.add("fourth"));
            scheduler.runDue();

            assertThat(ran).containsExactly("first", "second", "third", "fourth");
            assertThat(err.text()).doesNotContain("has not returned");
        }
    }

    private static long inAMinute() {
        return System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    }

    @Test
    void flushWithNothingPostedReturnsAtOnce() {
        assertThat(notifier(scheduler).flush(System.nanoTime())).isTrue();
        scheduler.assertNoMoreTasks();
    }

    @Test
    void flushRunsOnTheCallingThreadTheNotificationsWhoseDrainHasNotStartedAndThatDrainThenRunsNothing() {
        SerialNotifier notifier = notifier(scheduler);
        Thread caller = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();
        notifier.post(() -> ran.add("a"));
        notifier.post(() -> {
            threads.add(Thread.currentThread());
            ran.add("b");
        });

        assertThat(notifier.flush(inAMinute())).isTrue();

        assertThat(ran).containsExactly("a", "b");
        assertThat(threads).containsExactly(caller);
        // The drain handed to the scheduler before the flush was cancelled.
        scheduler.assertNoMoreTasks();
        // A later post starts a drain of its own.
        notifier.post(() -> ran.add("c"));
        assertThat(ran).containsExactly("a", "b");
        scheduler.runDue();
        assertThat(ran).containsExactly("a", "b", "c");
    }

    @Test
    void flushCalledFromANotificationReturnsAtOnceAndTheDrainGoesOn() {
        SerialNotifier notifier = notifier(scheduler);
        notifier.post(() -> ran.add("flush from a listener: " + notifier.flush(inAMinute())));
        notifier.post(() -> ran.add("next"));

        scheduler.runDue();

        assertThat(ran).containsExactly("flush from a listener: false", "next");
    }

    /**
     * A notifier on a real worker thread with two notifications posted: a slow one, running and held until
     * {@link #release}, and one behind it.
     */
    private final class SlowFirst implements AutoCloseable {
        final ExecutorService worker = Executors.newSingleThreadExecutor();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        final SerialNotifier notifier = notifier(Scheduler.of(timer, worker));
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch behindRan = new CountDownLatch(1);
        final List<String> heard = new CopyOnWriteArrayList<>();

        SlowFirst() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            notifier.post(() -> {
                started.countDown();
                await(release);
                heard.add("slow");
            });
            notifier.post(() -> {
                heard.add("behind it");
                behindRan.countDown();
            });
            assertThat(started.await(1, TimeUnit.MINUTES)).as("the slow notification runs").isTrue();
        }

        @Override
        public void close() {
            release.countDown();
            worker.shutdownNow();
            timer.shutdownNow();
        }
    }

    @Test
    void flushWaitsForTheNotificationRunningOnAWorkerThenForTheRest() throws Exception {
        try (SlowFirst slow = new SlowFirst()) {
            Thread flushing = new Thread(() -> slow.heard.add("flushed: " + slow.notifier.flush(inAMinute())));
            flushing.start();
            // The flush waits for the running notification (its thread parks), then returns after the rest.
            while (flushing.getState() != Thread.State.TIMED_WAITING && flushing.isAlive()) {
                Thread.onSpinWait();
            }
            assertThat(slow.heard).isEmpty();
            slow.release.countDown();
            flushing.join(TimeUnit.MINUTES.toMillis(1));

            assertThat(slow.heard).containsExactly("slow", "behind it", "flushed: true");
        }
    }

    @Test
    void flushInterruptedWhileWaitingReturnsFalseAndKeepsTheInterrupt() throws Exception {
        try (SlowFirst slow = new SlowFirst()) {
            List<Boolean> outcome = new CopyOnWriteArrayList<>();
            Thread flushing = new Thread(() -> {
                outcome.add(slow.notifier.flush(inAMinute()));
                outcome.add(Thread.currentThread().isInterrupted());
            });
            flushing.start();
            while (flushing.getState() != Thread.State.TIMED_WAITING && flushing.isAlive()) {
                Thread.onSpinWait();
            }

            flushing.interrupt();
            flushing.join(TimeUnit.MINUTES.toMillis(1));

            assertThat(outcome).containsExactly(false, true);
            // The running notification and the one behind it are still delivered by the drain.
            slow.release.countDown();
            assertThat(slow.behindRan.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(slow.heard).containsExactly("slow", "behind it");
        }
    }

    @Test
    void flushGivesUpAtTheDeadlineAndTheDrainStillDeliversTheRest() throws Exception {
        try (SlowFirst slow = new SlowFirst()) {
            assertThat(slow.notifier.flush(System.nanoTime())).isFalse();

            slow.release.countDown();
            assertThat(slow.behindRan.await(1, TimeUnit.MINUTES)).isTrue();
            assertThat(slow.heard).containsExactly("slow", "behind it");
        }
    }

    @Test
    void flushPastItsDeadlineHandsTheNotificationsNotStartedBackToTheSchedulerInOrder() {
        SerialNotifier notifier = notifier(scheduler);
        notifier.post(() -> ran.add("a"));
        notifier.post(() -> ran.add("b"));

        assertThat(notifier.flush(System.nanoTime() - 1)).isFalse();

        assertThat(ran).isEmpty();
        scheduler.runDue();
        assertThat(ran).containsExactly("a", "b");
        notifier.post(() -> ran.add("c"));
        scheduler.runDue();
        assertThat(ran).containsExactly("a", "b", "c");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void drainThatCannotBeCancelledRunsNothingAfterAFlushTookItsWorkOver() {
        List<Runnable> handedOver = new ArrayList<>();
        Scheduler uncancellable = new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                handedOver.add(task);
                return () -> { };
            }
        };
        SerialNotifier notifier = notifier(uncancellable);
        notifier.post(() -> ran.add("a"));

        assertThat(notifier.flush(inAMinute())).isTrue();
        assertThat(ran).containsExactly("a");
        assertThat(handedOver).hasSize(1);
        handedOver.get(0).run();
        assertThat(ran).containsExactly("a");

        // A later post is drained by a drain of its own.
        notifier.post(() -> ran.add("b"));
        assertThat(handedOver).hasSize(2);
        handedOver.get(1).run();
        assertThat(ran).containsExactly("a", "b");
    }
}
