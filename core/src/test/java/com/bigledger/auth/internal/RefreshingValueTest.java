package com.bigledger.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Callers;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshingValueTest {

    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final Duration EXPIRY = Duration.ofSeconds(20);

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final AtomicInteger loads = new AtomicInteger();
    private final List<String> events = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /** A loader that returns "v1", "v2", … unless {@code behaviour} throws for that attempt number. */
    private RefreshingValue.Loader<String> loader(Function<Integer, RuntimeException> behaviour) {
        return previous -> {
            int attempt = loads.incrementAndGet();
            RuntimeException failure = behaviour.apply(attempt);
            if (failure != null) {
                throw failure;
            }
            Instant now = clock.instant();
            return RefreshingValue.Loaded.of("v" + attempt, now.plus(REFRESH), now.plus(EXPIRY));
        };
    }

    private RefreshingValue<String> value(RefreshingValue.Loader<String> loader) {
        return RefreshingValue.builder("test-value", loader)
                .clock(clock)
                .scheduler(scheduler)
                .retryPolicy(RetryPolicy.backoff(Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.0),
                        e -> ((BigLedgerAuthException) e).retryable()))
                .listener(new RefreshingValue.Listener<>() {
                    @Override
                    public void loadFailed(RuntimeException failure, int consecutiveFailures,
                            Optional<Duration> retryIn, boolean valueServed) {
                        synchronized (events) {
                            events.add("failed#" + consecutiveFailures + " retryIn=" + retryIn.orElse(null)
                                    + " served=" + valueServed);
                        }
                    }

                    @Override
                    public void expired(String value) {
                        synchronized (events) {
                            events.add("expired " + value);
                        }
                    }
                })
                .build();
    }

    private static BigLedgerAuthException outage() {
        return new BigLedgerAuthException("store down", null, true);
    }

    /** Loads the first value on another thread (the fake scheduler runs on this one) and returns it. */
    private String loadFirst(RefreshingValue<String> value) throws Exception {
        Future<String> first = threads.submit(() -> value.get());
        scheduler.awaitQueued(1);
        scheduler.runDue();
        return first.get(30, TimeUnit.SECONDS);
    }

    @Test
    void fiveHundredTwelveCallersOnAColdValueCauseExactlyOneLoad() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> null));
        int callers = 512;
        List<Future<String>> results = Callers.startAll(threads, callers, () -> value.get());
        scheduler.awaitQueued(1);
        scheduler.runDue();

        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (Future<String> result : results) {
            seen.add(result.get(30, TimeUnit.SECONDS));
        }
        assertThat(seen).containsExactly("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void concurrentCallersShareOnePermanentFailure() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> new BigLedgerAuthException("store down", null,
                false)));
        int callers = 64;
        List<Future<Throwable>> results = Callers.startAllCatching(threads, callers, () -> value.get());
        scheduler.awaitQueued(1);
        scheduler.runDue();
        for (Future<Throwable> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS)).isInstanceOf(BigLedgerAuthException.class)
                    .hasMessage("store down");
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void freshValueIsServedWithoutLoadingAgain() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> null));
        assertThat(loadFirst(value)).isEqualTo("v1");
        for (int i = 0; i < 1000; i++) {
            assertThat(value.get(Duration.ZERO)).isEqualTo("v1");
        }
        assertThat(loads).hasValue(1);
        assertThat(scheduler.queuedDelays()).containsExactly(REFRESH);
    }

    @Test
    void staleValueIsServedWithoutWaitingWhileOneRefreshRuns() throws Exception {
        CountDownLatch refreshMayFinish = new CountDownLatch(1);
        CountDownLatch refreshRunning = new CountDownLatch(1);
        RefreshingValue<String> value = value(previous -> {
            int attempt = loads.incrementAndGet();
            if (attempt == 2) {
                refreshRunning.countDown();
                await(refreshMayFinish);
            }
            Instant now = clock.instant();
            return RefreshingValue.Loaded.of("v" + attempt, now.plus(REFRESH), now.plus(EXPIRY));
        });
        assertThat(loadFirst(value)).isEqualTo("v1");

        clock.advance(REFRESH);
        Future<Integer> refresh = threads.submit(scheduler::runDue);
        assertThat(refreshRunning.await(30, TimeUnit.SECONDS)).isTrue();

        // Zero timeout: any wait would throw.
        for (int i = 0; i < 100; i++) {
            assertThat(value.get(Duration.ZERO)).isEqualTo("v1");
        }
        value.refresh();
        assertThat(loads).hasValue(2);

        refreshMayFinish.countDown();
        refresh.get(30, TimeUnit.SECONDS);
        assertThat(value.get(Duration.ZERO)).isEqualTo("v2");
        assertThat(loads).hasValue(2);
    }

    @Test
    void failingRefreshKeepsServingTheLastGoodValueUntilItExpiresThenRaisesTheFailure() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> attempt == 1 ? null : outage()));
        assertThat(loadFirst(value)).isEqualTo("v1");

        scheduler.advance(REFRESH);
        assertThat(loads).hasValue(2);
        assertThat(value.get(Duration.ZERO)).isEqualTo("v1");

        scheduler.advance(Duration.ofSeconds(9));
        assertThat(value.get(Duration.ZERO)).isEqualTo("v1");

        // Expired with a retry scheduled: callers wait for it (here with no patience) and learn the last failure.
        scheduler.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> value.get(Duration.ZERO))
                .isInstanceOf(BigLedgerAuthException.class)
                .hasMessage("test-value: no value within 0ms; last failure: store down");
        // Listeners hear of it on a worker.
        scheduler.runDue();
        assertThat(events).contains("expired v1");
    }

    @Test
    void failedAttemptsBackOffExponentiallyUpToTheCap() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> attempt == 1 ? null : outage()));
        loadFirst(value);

        scheduler.advance(REFRESH);
        // Refresh at t=10 fails; retries follow at +1, +2, +4, +8, +8 seconds.
        scheduler.advance(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(2));
        scheduler.advance(Duration.ofSeconds(4));
        scheduler.advance(Duration.ofSeconds(8));
        scheduler.advance(Duration.ofSeconds(8));

        assertThat(loads).hasValue(7);
        assertThat(events).containsExactly(
                "failed#1 retryIn=PT1S served=true",
                "failed#2 retryIn=PT2S served=true",
                "failed#3 retryIn=PT4S served=true",
                "failed#4 retryIn=PT8S served=true",
                "expired v1",
                "failed#5 retryIn=PT8S served=false",
                "failed#6 retryIn=PT8S served=false");
    }

    @Test
    void waitersWithoutAValueWaitThroughRetriesWithOneRequestPerAttempt() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> attempt < 4 ? outage() : null));
        int callers = 200;
        List<Future<String>> results = Callers.startAll(threads, callers, () -> value.get(Duration.ofSeconds(60)));
        scheduler.awaitQueued(1);
        scheduler.runDue();
        assertThat(loads).hasValue(1);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(loads).hasValue(2);
        scheduler.advance(Duration.ofSeconds(2));
        assertThat(loads).hasValue(3);
        scheduler.advance(Duration.ofSeconds(4));
        assertThat(loads).hasValue(4);
        for (Future<String> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("v4");
        }
    }

    @Test
    void callersDuringBackoffGetATimeoutCarryingTheLastFailureWithoutAnotherLoad() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> outage()));
        assertThatThrownBy(() -> value.get(Duration.ZERO)).hasMessageContaining("no value within 0ms");
        scheduler.runDue();
        assertThat(loads).hasValue(1);

        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> value.get(Duration.ZERO))
                    .isInstanceOf(BigLedgerAuthException.class)
                    .hasMessage("test-value: no value within 0ms; last failure: store down")
                    .cause().hasMessage("store down");
        }
        assertThat(loads).hasValue(1);

        scheduler.advance(Duration.ofSeconds(1));
        assertThat(loads).hasValue(2);
    }

    @Test
    void nonRetryableFailureIsNotRetriedUntilRefreshIsAsked() throws Exception {
        AtomicReference<RuntimeException> next = new AtomicReference<>(
                new BigLedgerAuthException("grant revoked", null, false));
        RefreshingValue<String> value = value(loader(attempt -> attempt == 1 ? null : next.get()));
        loadFirst(value);

        scheduler.advance(REFRESH);
        assertThat(loads).hasValue(2);
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(loads).hasValue(2);
        assertThatThrownBy(() -> value.get(Duration.ZERO)).hasMessage("grant revoked");
        assertThat(loads).hasValue(2);

        next.set(null);
        value.refresh();
        scheduler.runDue();
        assertThat(value.get(Duration.ZERO)).isEqualTo("v3");
    }

    @Test
    void manyInvalidationsOfOneSeenValueCauseOneReload() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> null));
        String seen = loadFirst(value);

        for (int i = 0; i < 100; i++) {
            value.invalidate(seen);
        }
        scheduler.runDue();
        assertThat(loads).hasValue(2);
        assertThat(value.get(Duration.ZERO)).isEqualTo("v2");

        assertThat(value.invalidate(seen)).isFalse();
        scheduler.runDue();
        assertThat(loads).hasValue(2);
    }

    @Test
    void invalidatingWhileWaitersAreHeldThroughABackoffRetriesAtOnce() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> attempt == 1 ? outage() : null));
        Future<String> waiter = threads.submit(() -> value.get(Duration.ofSeconds(60)));
        scheduler.awaitQueued(1);
        scheduler.runDue();
        assertThat(loads).hasValue(1);

        value.invalidate();
        scheduler.runDue();
        assertThat(loads).hasValue(2);
        assertThat(waiter.get(30, TimeUnit.SECONDS)).isEqualTo("v2");
    }

    @Test
    void callerWaitsNoLongerThanItsTimeout() {
        RefreshingValue<String> value = value(loader(attempt -> null));
        assertThatThrownBy(() -> value.get(Duration.ZERO))
                .isInstanceOf(BigLedgerAuthException.class)
                .hasMessageContaining("test-value")
                .hasMessageContaining("within 0ms");
        scheduler.runDue();
        assertThat(value.get(Duration.ZERO)).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void valueAlreadyExpiredOnArrivalGoesToTheWaitersButIsNotCached() throws Exception {
        RefreshingValue<String> value = value(previous -> {
            int attempt = loads.incrementAndGet();
            Instant now = clock.instant();
            return RefreshingValue.Loaded.of("v" + attempt, now, now);
        });
        assertThat(loadFirst(value)).isEqualTo("v1");
        assertThat(value.peek()).isEmpty();
        assertThat(loadFirst(value)).isEqualTo("v2");
    }

    @Test
    void closeFailsWaitingCallersAndStopsTimers() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> null));
        Future<String> waiting = threads.submit(() -> value.get());
        scheduler.awaitQueued(1);
        value.close();
        assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        scheduler.runDue();
        assertThatThrownBy(value::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void refreshTimerThatFiresAfterAReplacementIsIgnored() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> null));
        loadFirst(value);
        value.invalidate();
        scheduler.runDue();
        assertThat(loads).hasValue(2);
        // Only the new value's timer remains.
        assertThat(scheduler.queuedDelays()).containsExactly(REFRESH);
        scheduler.advance(REFRESH);
        assertThat(loads).hasValue(3);
    }

    @Test
    void valueWhoseTimerWasOutrunByTheClockIsDroppedWithoutTheTimer() throws Exception {
        RefreshingValue<String> value = RefreshingValue.builder("test-value", loader(attempt -> attempt == 1 ? null
                        : new BigLedgerAuthException("unreachable", null, false)))
                .clock(clock)
                .scheduler(scheduler)
                .build();
        loadFirst(value);
        // One event for the value's lifetime: its refresh.
        assertThat(scheduler.queuedDelays()).containsExactly(REFRESH);

        // The wall clock jumps (the machine slept); the scheduler's monotonic timer has not fired yet.
        clock.advance(EXPIRY.plusMinutes(5));
        assertThat(value.peek()).isEmpty();
        assertThatThrownBy(() -> value.get(Duration.ZERO)).isInstanceOf(BigLedgerAuthException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    void postedEventsRunLaterOnTheSchedulerBehindTheListenersCallsAndAfterClose() throws Exception {
        RefreshingValue<String> value = value(loader(attempt -> attempt == 1
                ? new BigLedgerAuthException("down", null, true) : null));
        Future<String> first = threads.submit(() -> value.get(Duration.ofSeconds(30)));
        while (loads.get() == 0) {
            scheduler.runDue();
            Thread.onSpinWait();
        }
        // The first load failed; its loadFailed call is queued. A posted event goes behind it, not on this thread.
        value.post(() -> {
            synchronized (events) {
                events.add("posted");
            }
        });
        synchronized (events) {
            assertThat(events).doesNotContain("posted");
        }
        scheduler.runDue();
        synchronized (events) {
            assertThat(events).containsExactly("failed#1 retryIn=PT1S served=false", "posted");
        }
        // The caller was held for the retry, due 1 s later.
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("v2");

        value.close();
        value.post(() -> {
            synchronized (events) {
                events.add("after close");
            }
        });
        scheduler.runDue();
        synchronized (events) {
            assertThat(events).endsWith("after close");
        }
    }
}
