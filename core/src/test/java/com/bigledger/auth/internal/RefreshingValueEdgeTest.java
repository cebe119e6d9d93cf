package com.bigledger.auth.internal;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The edges of {@link RefreshingValue}, driven one task at a time by a hand-run scheduler: which timers are left
 * queued after close, replacement and retry; what the listener is told; the retry policy's reset; the expiry
 * boundary on the hot path; a clock far ahead of the system clock; faults in the clock, the retry policy, the
 * waiters' predicate and the timers' cancellation.
 */
class RefreshingValueEdgeTest {

    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final Duration EXPIRY = Duration.ofSeconds(20);

    /** Far ahead of the system clock, so that a hot path reading the coarse (system) clock would see values fresh. */
    private final FakeClock fakeClock = new FakeClock(Instant.parse("3000-01-01T00:00:00Z"));
    private final FaultyClock clock = new FaultyClock(fakeClock);
    private final HandScheduler scheduler = new HandScheduler();
    private final List<String> events = new ArrayList<>();
    /** What each load does, in turn: a failure to throw, or {@code null} to succeed. Empty: succeed. */
    private final Deque<Supplier<RuntimeException>> behaviour = new ArrayDeque<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final List<String> policyCalls = new ArrayList<>();

    /** A scheduler that only queues; the test runs the tasks, in order, when it chooses. */
    static final class HandScheduler implements Scheduler {
        final List<Task> tasks = new ArrayList<>();
        /** Runs inside the next schedule() of a timer, before the timer is returned: lets a test change the value meanwhile. */
        Runnable onSchedule;
        boolean uncancellable;
        Error cancelError;

        static final class Task {
            final Runnable work;
            final Duration delay;

            Task(Runnable work, Duration delay) {
                this.work = work;
                this.delay = delay;
            }
        }

        @Override
        public Cancellable schedule(Runnable work, Duration delay) {
            Task task = new Task(work, delay);
            tasks.add(task);
            Runnable hook = delay.isZero() ? null : onSchedule;
            if (hook != null) {
                onSchedule = null;
                hook.run();
            }
            return () -> {
                if (cancelError != null) {
                    throw cancelError;
                }
                if (!uncancellable) {
                    tasks.remove(task);
                }
            };
        }

        List<Duration> delays() {
            List<Duration> delays = new ArrayList<>();
            for (Task task : tasks) {
                delays.add(task.delay);
            }
            return delays;
        }

        /** Runs the queued tasks with no delay (loads, listener drains), and those they queue, in order. */
        void runImmediate() {
            for (int guard = 0; guard < 1000; guard++) {
                Task next = null;
                for (Task task : tasks) {
                    if (task.delay.isZero()) {
                        next = task;
                        break;
                    }
                }
                if (next == null) {
                    return;
                }
                tasks.remove(next);
                next.work.run();
            }
            throw new AssertionError("tasks kept queueing tasks");
        }

        /** Runs the first queued timer (a task with a delay), whether or not the clock reached it. */
        void runTimer() {
            for (Task task : tasks) {
                if (!task.delay.isZero()) {
                    tasks.remove(task);
                    task.work.run();
                    return;
                }
            }
            throw new AssertionError("no timer queued");
        }
    }

    private RefreshingValue.Builder<String> builder() {
        RefreshingValue.Loader<String> loader = previous -> {
            int attempt = loads.incrementAndGet();
            Supplier<RuntimeException> next = behaviour.poll();
            RuntimeException failure = next == null ? null : next.get();
            if (failure != null) {
                throw failure;
            }
            Instant now = fakeClock.instant();
            return RefreshingValue.Loaded.of("v" + attempt, now.plus(REFRESH), now.plus(EXPIRY));
        };
        return RefreshingValue.builder("edge-value", loader)
                .clock(clock)
                .scheduler(scheduler)
                .retryPolicy(new RetryPolicy() {
                    @Override
                    public Optional<Duration> next(RuntimeException failure, int consecutiveFailures) {
                        policyCalls.add("next#" + consecutiveFailures);
                        return failure instanceof BigLedgerAuthException
                                && !((BigLedgerAuthException) failure).retryable()
                                ? Optional.empty() : Optional.of(Duration.ofSeconds(consecutiveFailures));
                    }

                    @Override
                    public void reset() {
                        policyCalls.add("reset");
                    }
                })
                .listener(new RefreshingValue.Listener<>() {
                    @Override
                    public void loadStarted(boolean valueServed) {
                        events.add("started served=" + valueServed);
                    }

                    @Override
                    public void loadSucceeded(String previous, RefreshingValue.Loaded<String> loaded) {
                        events.add("succeeded " + previous + "->" + loaded.value());
                    }

                    @Override
                    public void loadFailed(RuntimeException failure, int consecutiveFailures,
                            Optional<Duration> retryIn, boolean valueServed) {
                        events.add("failed#" + consecutiveFailures + " retryIn=" + retryIn.orElse(null)
                                + " served=" + valueServed);
                    }

                    @Override
                    public void expired(String value) {
                        events.add("expired " + value);
                    }
                });
    }

    private RefreshingValue<String> value() {
        return builder().build();
    }

    private static Supplier<RuntimeException> outage() {
        return () -> new BigLedgerAuthException("store down", null, true);
    }

    private static Supplier<RuntimeException> permanent() {
        return () -> new BigLedgerAuthException("grant revoked", null, false);
    }

    /** Loads the first value without a waiting caller: a refresh, then the queued load. */
    private RefreshingValue<String> loaded() {
        RefreshingValue<String> value = value();
        value.refresh();
        scheduler.runImmediate();
        events.clear();
        policyCalls.clear();
        return value;
    }

    @Test
    void hotPathStopsServingAtExactlyTheExpiryOfAClockFarAheadOfTheSystemClock() {
        RefreshingValue<String> value = builder().defaultTimeout(Duration.ZERO).build();
        value.refresh();
        scheduler.runImmediate();
        assertThat(value.get()).isEqualTo("v1");
        assertThat(value.peek()).contains("v1");

        fakeClock.advance(EXPIRY.minusMillis(1));
        assertThat(value.peek()).contains("v1");
        assertThat(value.get()).isEqualTo("v1");
        assertThat(value.get(Duration.ZERO)).isEqualTo("v1");

        fakeClock.advance(Duration.ofMillis(1));
        assertThat(value.peek()).isEmpty();
        assertThatThrownBy(value::get).isInstanceOf(BigLedgerAuthException.class)
                .hasMessageContaining("edge-value: no value within");
        scheduler.runImmediate();
        assertThat(loads).hasValue(2);
        assertThat(value.get()).isEqualTo("v2");
        assertThat(events).contains("expired v1");
    }

    @Test
    void noArgumentGetDoesNotServeAnExpiredValue() {
        RefreshingValue<String> value = loaded();
        behaviour.add(permanent());
        fakeClock.advance(EXPIRY);
        value.refresh();
        scheduler.runImmediate();

        assertThatThrownBy(value::get).isInstanceOf(BigLedgerAuthException.class).hasMessage("grant revoked");
    }

    @Test
    void valueThatNeverExpiresIsServedAndOneThatAlwaysHasIsNot() {
        RefreshingValue.Loaded<String> forever = RefreshingValue.Loaded.of("forever", Instant.MAX, Instant.MAX);
        assertThat(forever.value()).isEqualTo("forever");
        assertThat(forever.refreshAt()).isEqualTo(Instant.MAX);
        assertThat(forever.expiresAt()).isEqualTo(Instant.MAX);
        RefreshingValue<String> value = RefreshingValue.<String>builder("forever", previous -> forever)
                .clock(clock).scheduler(scheduler).build();
        value.refresh();
        scheduler.runImmediate();
        assertThat(value.peek()).contains("forever");
        assertThat(value.lastLoaded()).containsSame(forever);

        RefreshingValue.Loaded<String> never = RefreshingValue.Loaded.of("never", Instant.MIN, Instant.MIN);
        assertThat(never.refreshAt()).isEqualTo(Instant.MIN);
        RefreshingValue<String> gone = RefreshingValue.<String>builder("gone", previous -> never)
                .clock(clock).scheduler(scheduler).build();
        gone.refresh();
        scheduler.runImmediate();
        assertThat(gone.peek()).isEmpty();
        assertThat(gone.lastLoaded()).containsSame(never);
    }

    @Test
    void refreshAtLaterThanExpiryIsClampedToIt() {
        Instant now = fakeClock.instant();
        RefreshingValue.Loaded<String> loaded = RefreshingValue.Loaded.of("v", now.plus(EXPIRY).plusSeconds(1),
                now.plus(EXPIRY));
        assertThat(loaded.refreshAt()).isEqualTo(now.plus(EXPIRY));
        RefreshingValue.Loaded<String> earlier = RefreshingValue.Loaded.of("v", now.plus(REFRESH), now.plus(EXPIRY));
        assertThat(earlier.refreshAt()).isEqualTo(now.plus(REFRESH));
    }

    @Test
    void clockThatThrowsOnTheHotPathCountsAsExpiredAndTheValueIsReloaded() {
        RefreshingValue<String> value = loaded();
        clock.failures = 2;
        assertThat(value.peek()).isEmpty();
        assertThat(clock.failures).isEqualTo(1);

        // The hot path's read and the slow path's read both throw: the value is not served, a load starts.
        clock.failures = 2;
        assertThatThrownBy(() -> value.get(Duration.ZERO)).isInstanceOf(BigLedgerAuthException.class);
        scheduler.runImmediate();
        assertThat(loads).hasValue(2);
        assertThat(value.get()).isEqualTo("v2");
    }

    @Test
    void clockThatThrowsOnceOnTheHotPathStillServesTheFreshValueFromTheSlowPath() {
        RefreshingValue<String> value = loaded();
        clock.failures = 1;

        assertThat(value.get(Duration.ZERO)).isEqualTo("v1");
        clock.failures = 1;
        assertThat(value.get()).isEqualTo("v1");
        assertThat(loads).hasValue(1);
        assertThat(scheduler.delays()).containsExactly(REFRESH);
    }

    @Test
    void listenerIsToldOfEachLoadsStartWhetherAValueIsServedAndItsOutcome() {
        RefreshingValue<String> value = value();
        value.refresh();
        scheduler.runImmediate();
        value.refresh();
        scheduler.runImmediate();

        assertThat(events).containsExactly("started served=false", "succeeded null->v1", "started served=true",
                "succeeded v1->v2");
        assertThat(value.lastLoaded().map(RefreshingValue.Loaded::value)).contains("v2");
        assertThat(value.toString()).isEqualTo("RefreshingValue[edge-value]");
    }

    @Test
    void closeCancelsTheRefreshTimerAndTheRetryTimer() {
        RefreshingValue<String> value = loaded();
        assertThat(scheduler.delays()).containsExactly(REFRESH);
        value.close();
        assertThat(scheduler.tasks).isEmpty();
        assertThat(value.invalidate()).isFalse();

        RefreshingValue<String> failing = value();
        behaviour.add(outage());
        failing.refresh();
        scheduler.runImmediate();
        assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1));
        failing.close();
        assertThat(scheduler.tasks).isEmpty();
    }

    @Test
    void replacementCancelsTheTimerOfTheValueItReplaces() {
        RefreshingValue<String> value = loaded();
        fakeClock.advance(Duration.ofSeconds(3));
        value.refresh();
        scheduler.runImmediate();

        assertThat(value.get()).isEqualTo("v2");
        assertThat(scheduler.delays()).containsExactly(REFRESH);
    }

    @Test
    void loadStartedWhileARetryIsArmedCancelsTheRetry() {
        RefreshingValue<String> value = loaded();
        behaviour.add(outage());
        value.refresh();
        scheduler.runImmediate();
        assertThat(scheduler.delays()).containsExactlyInAnyOrder(REFRESH, Duration.ofSeconds(1));

        value.refresh();
        scheduler.runImmediate();

        assertThat(value.get()).isEqualTo("v3");
        assertThat(scheduler.delays()).containsExactly(REFRESH);
    }

    @Test
    void invalidateTellsWhetherItDroppedTheValue() {
        RefreshingValue<String> value = loaded();

        String seen = value.get();
        assertThat(value.invalidate(new String(seen))).isFalse();
        assertThat(value.peek()).contains("v1");
        assertThat(value.invalidate(seen)).isTrue();
        assertThat(value.peek()).isEmpty();
        assertThat(value.invalidate()).isTrue();
        scheduler.runImmediate();
        assertThat(value.get()).isEqualTo("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void invalidateOnAColdValueHasNothingToCompare() {
        RefreshingValue<String> value = value();

        assertThat(value.invalidate("anything")).isFalse();
        assertThat(scheduler.tasks).isEmpty();
    }

    @Test
    void invalidateAndRefreshForgetPastFailuresAndResetThePolicy() {
        RefreshingValue<String> value = value();
        behaviour.add(permanent());
        behaviour.add(permanent());
        behaviour.add(permanent());
        behaviour.add(permanent());
        value.refresh();
        scheduler.runImmediate();
        assertThat(policyCalls).containsExactly("reset", "next#1");

        value.invalidate();
        scheduler.runImmediate();
        value.refresh();
        scheduler.runImmediate();
        // Without a refresh or invalidation, a failure is counted on from the last one.
        value.invalidate();
        scheduler.runImmediate();

        assertThat(policyCalls).containsExactly("reset", "next#1", "reset", "next#1", "reset", "next#1", "reset",
                "next#1");
        assertThat(events).containsExactly("started served=false", "failed#1 retryIn=null served=false",
                "started served=false", "failed#1 retryIn=null served=false", "started served=false",
                "failed#1 retryIn=null served=false", "started served=false", "failed#1 retryIn=null served=false");
    }

    @Test
    void retriesCountFailuresOnAndOnlyASuccessResetsThePolicy() {
        RefreshingValue<String> value = value();
        behaviour.add(outage());
        behaviour.add(outage());
        value.refresh();
        scheduler.runImmediate();
        fakeClock.advance(Duration.ofSeconds(1));
        scheduler.runTimer();
        scheduler.runImmediate();
        fakeClock.advance(Duration.ofSeconds(2));
        scheduler.runTimer();
        scheduler.runImmediate();

        assertThat(policyCalls).containsExactly("reset", "next#1", "next#2", "reset");
        assertThat(events).containsExactly("started served=false", "failed#1 retryIn=PT1S served=false",
                "started served=false", "failed#2 retryIn=PT2S served=false", "started served=false",
                "succeeded null->v3");
        assertThat(value.get()).isEqualTo("v3");
    }

    @Test
    void callerDuringTheBackoffGetsTheLastFailureAndCallerAfterItLoads() {
        RefreshingValue<String> value = value();
        behaviour.add(permanent());
        value.refresh();
        scheduler.runImmediate();
        assertThatThrownBy(() -> value.get(Duration.ZERO)).hasMessage("grant revoked");
        assertThat(loads).hasValue(1);

        // A retryable failure that does not hold callers: until the retry is due, they get it at once.
        RefreshingValue<String> retrying = builder().holdWaiters(e -> false).build();
        behaviour.add(outage());
        retrying.refresh();
        scheduler.runImmediate();
        fakeClock.advance(Duration.ofMillis(999));
        assertThatThrownBy(() -> retrying.get(Duration.ZERO)).hasMessage("store down");
        assertThat(loads).hasValue(2);
        fakeClock.advance(Duration.ofMillis(1));
        assertThatThrownBy(() -> retrying.get(Duration.ZERO)).hasMessageContaining("no value within");
        scheduler.runImmediate();
        assertThat(loads).hasValue(3);
    }

    @Test
    void refreshTimerFoundPastTheExpiryDropsTheValueTellsTheListenerAndLoadsNothing() {
        RefreshingValue<String> value = loaded();
        fakeClock.advance(EXPIRY);

        scheduler.runTimer();
        scheduler.runImmediate();

        assertThat(events).containsExactly("expired v1");
        assertThat(loads).hasValue(1);
        assertThat(scheduler.tasks).isEmpty();
        assertThat(value.peek()).isEmpty();
    }

    @Test
    void refreshTimerEarlyByTheClockIsArmedAgainForTheRest() {
        RefreshingValue<String> value = loaded();
        fakeClock.advance(Duration.ofSeconds(4));

        scheduler.runTimer();

        assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(6));
        assertThat(loads).hasValue(1);
        fakeClock.advance(Duration.ofSeconds(6));
        scheduler.runTimer();
        scheduler.runImmediate();
        assertThat(value.get()).isEqualTo("v2");
    }

    @Test
    void refreshTimerWhenTheClockThrowsStartsTheLoad() {
        RefreshingValue<String> value = loaded();
        clock.failures = 1;

        scheduler.runTimer();
        scheduler.runImmediate();

        assertThat(loads).hasValue(2);
        assertThat(value.get()).isEqualTo("v2");
    }

    @Test
    void timerArmedWhileTheValueIsClosedIsCancelled() {
        RefreshingValue<String> value = value();
        value.refresh();
        scheduler.onSchedule = null;
        // The load runs; while its refresh timer is being armed, the value is closed.
        Runnable load = scheduler.tasks.remove(0).work;
        scheduler.onSchedule = value::close;
        load.run();

        scheduler.runImmediate();
        assertThat(scheduler.delays()).isEmpty();
    }

    @Test
    void retryArmedWhileALoadStartsIsCancelled() {
        RefreshingValue<String> value = value();
        behaviour.add(outage());
        value.refresh();
        Runnable load = scheduler.tasks.remove(0).work;
        scheduler.onSchedule = value::refresh;
        load.run();
        scheduler.runImmediate();

        assertThat(scheduler.delays()).containsExactly(REFRESH);
        assertThat(value.get()).isEqualTo("v2");
    }

    @Test
    void retryPolicyThatThrowsStillLeavesARetryArmed() {
        RefreshingValue<String> value = RefreshingValue.<String>builder("edge-value", previous -> {
            throw new IllegalStateException("loader fault");
        }).clock(clock).scheduler(scheduler).retryPolicy((failure, count) -> {
            throw new IllegalArgumentException("policy fault");
        }).build();

        value.refresh();
        scheduler.runImmediate();

        assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void waitersPredicateThatThrowsStillFailsTheWaiterAndLeavesTheValueLoadable() {
        RefreshingValue<String> value = builder().holdWaiters(e -> {
            throw new IllegalStateException("predicate fault");
        }).build();
        behaviour.add(outage());
        value.refresh();
        scheduler.runImmediate();

        // The load is not left in flight: the next caller after the retry was due loads again.
        assertThat(events).contains("started served=false");
        fakeClock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> value.get(Duration.ZERO)).hasMessageContaining("no value within");
        scheduler.runImmediate();
        assertThat(value.get()).isEqualTo("v2");
    }

    @Test
    void timerThatThrowsAnErrorWhenCancelledStillLetsTheNewValueBeServed() {
        RefreshingValue<String> value = loaded();
        scheduler.cancelError = new AssertionError("cancel fault");

        value.refresh();
        scheduler.runImmediate();

        assertThat(value.get()).isEqualTo("v2");
        assertThat(value.peek()).contains("v2");
    }

    @Test
    void callerInterruptedWhileWaitingGetsAnErrorAndKeepsItsInterrupt() {
        RefreshingValue<String> value = value();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(value::get).isInstanceOf(BigLedgerAuthException.class)
                    .hasMessage("edge-value: interrupted while waiting for a load");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void byDefaultANonRetryableFailureDoesNotHoldCallersEvenWhenThePolicyRetriesIt() {
        RefreshingValue<String> value = RefreshingValue.<String>builder("edge-value", previous -> {
            throw new BigLedgerAuthException("grant revoked", null, false);
        }).clock(clock).scheduler(scheduler).retryPolicy((failure, count) -> Optional.of(Duration.ofSeconds(1)))
                .build();
        value.refresh();
        scheduler.runImmediate();

        assertThat(scheduler.delays()).containsExactly(Duration.ofSeconds(1));
        assertThatThrownBy(() -> value.get(Duration.ZERO)).hasMessage("grant revoked");
    }

    @Test
    void defaultPoliciesRetryAndHoldForRetryableFailuresOnly() {
        RefreshingValue<String> value = RefreshingValue.<String>builder("defaults", previous -> {
            throw new BigLedgerAuthException("not allowed", null, false);
        }).clock(clock).scheduler(scheduler).build();
        value.refresh();
        scheduler.runImmediate();
        assertThat(scheduler.tasks).isEmpty();
        assertThatThrownBy(() -> value.get(Duration.ZERO)).hasMessage("not allowed");

        RefreshingValue<String> retried = RefreshingValue.<String>builder("defaults", previous -> {
            throw new BigLedgerAuthException("busy", null, true);
        }).clock(clock).scheduler(scheduler).build();
        retried.refresh();
        scheduler.runImmediate();
        assertThat(scheduler.delays()).hasSize(1);
        assertThat(scheduler.delays().get(0)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));

        RefreshingValue<String> other = RefreshingValue.<String>builder("defaults", previous -> {
            throw new IllegalStateException("other");
        }).clock(clock).scheduler(scheduler).build();
        other.refresh();
        scheduler.runImmediate();
        assertThat(scheduler.delays()).hasSize(2);
    }

    /**
     * Loads run on a fake scheduler driven by this thread while a caller waits on another; timers are accepted but
     * never run, and cancelling one throws {@code cancelError}.
     */
    private final class WaitingCaller implements AutoCloseable {
        final FakeScheduler loads = new FakeScheduler(fakeClock);
        final java.util.concurrent.ExecutorService caller = java.util.concurrent.Executors.newSingleThreadExecutor();
        volatile Error cancelError;
        final Scheduler scheduler = new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                if (delay.isZero()) {
                    return loads.schedule(task, delay);
                }
                return () -> {
                    if (cancelError != null) {
                        throw cancelError;
                    }
                };
            }
        };

        String get(RefreshingValue<String> value) throws Exception {
            return loads.runUntilDone(caller.submit(() -> value.get()));
        }

        @Override
        public void close() {
            caller.shutdownNow();
            try {
                assertThat(caller.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while stopping the caller's thread", e);
            }
        }
    }

    @Test
    void waiterOfALoadWhoseFinishingThrowsAfterTheValueWasSetGetsTheValue() throws Exception {
        try (WaitingCaller waiting = new WaitingCaller()) {
            RefreshingValue<String> value = builder().scheduler(waiting.scheduler).build();
            assertThat(waiting.get(value)).isEqualTo("v1");
            // The refresh timer never ran; past the expiry, the caller's load finds it to cancel, and that throws.
            fakeClock.advance(EXPIRY);
            waiting.cancelError = new AssertionError("cancel fault");

            assertThat(waiting.get(value)).isEqualTo("v2");
            assertThat(value.peek()).contains("v2");
        }
    }

    @Test
    void waiterOfAFailedLoadWhoseFinishingThrowsGetsTheLoadsFailure() throws Exception {
        try (WaitingCaller waiting = new WaitingCaller()) {
            RefreshingValue<String> value = builder().scheduler(waiting.scheduler).holdWaiters(e -> {
                throw new IllegalStateException("predicate fault");
            }).build();
            behaviour.add(outage());

            assertThatThrownBy(() -> waiting.get(value)).hasRootCauseMessage("store down");
        }
    }
}
