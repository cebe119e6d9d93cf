package com.bigledger.auth.internal;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults injected at chosen moments into the clock, the scheduler and the listeners of a {@link RefreshingValue}:
 * after each, an expired value is not served, every waiter is completed, and refreshing resumes.
 */
class RefreshingValueFaultTest {

    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final Duration EXPIRY = Duration.ofSeconds(20);

    private final FakeClock fakeClock = new FakeClock();
    private final FaultyClock clock = new FaultyClock(fakeClock);
    private final FakeScheduler fakeScheduler = new FakeScheduler(fakeClock);
    private final FaultyScheduler scheduler = new FaultyScheduler(fakeScheduler);
    private final AtomicInteger loads = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /** A scheduler whose next calls of one kind throw what the test chose. */
    static final class FaultyScheduler implements Scheduler {
        private final FakeScheduler delegate;
        volatile Supplier<? extends Throwable> executeFault;
        volatile Supplier<? extends Throwable> scheduleFault;

        FaultyScheduler(FakeScheduler delegate) {
            this.delegate = delegate;
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            throwIfSet(scheduleFault);
            return delegate.schedule(task, delay);
        }

        @Override
        public Cancellable scheduleShort(Runnable task, Duration delay) {
            throwIfSet(scheduleFault);
            return delegate.schedule(task, delay);
        }

        @Override
        public void execute(Runnable task) {
            throwIfSet(executeFault);
            delegate.schedule(task, Duration.ZERO);
        }

        private static void throwIfSet(Supplier<? extends Throwable> fault) {
            if (fault == null) {
                return;
            }
            Throwable thrown = fault.get();
            if (thrown instanceof Error) {
                throw (Error) thrown;
            }
            throw (RuntimeException) thrown;
        }
    }

    private RefreshingValue.Loader<String> loader() {
        return previous -> {
            int attempt = loads.incrementAndGet();
            Instant now = fakeClock.instant();
            return RefreshingValue.Loaded.of("v" + attempt, now.plus(REFRESH), now.plus(EXPIRY));
        };
    }

    private RefreshingValue<String> value(RefreshingValue.Loader<String> loader,
            RefreshingValue.Listener<String> listener) {
        return RefreshingValue.builder("test-value", loader)
                .clock(clock)
                .scheduler(scheduler)
                .retryPolicy(RetryPolicy.backoff(Backoff.of(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.0),
                        e -> !(e instanceof BigLedgerAuthException) || ((BigLedgerAuthException) e).retryable()))
                .listener(listener)
                .build();
    }

    private RefreshingValue<String> value() {
        return value(loader(), new RefreshingValue.Listener<>() { });
    }

    /** Calls {@code get()} on another thread while this one runs the fake scheduler's due work. */
    private String getDriven(RefreshingValue<String> value) throws Exception {
        Future<String> result = threads.submit(() -> value.get());
        return fakeScheduler.runUntilDone(result);
    }

    /** The wall clock moves past the value's expiry while no timer runs: the value must not be handed out. */
    private void assertNotServedAfterExpiry(RefreshingValue<String> value, String old) {
        fakeClock.advance(EXPIRY.plusSeconds(1));
        assertThat(value.peek()).isEmpty();
        Optional<String> got;
        try {
            got = Optional.of(value.get(Duration.ZERO));
        } catch (BigLedgerAuthException e) {
            got = Optional.empty();
        }
        assertThat(got).isNotEqualTo(Optional.of(old));
    }

    @Test
    void wallClockJumpOfTwoHoursStopsServingTheOldValueWithoutAnyTimerRunning() throws Exception {
        RefreshingValue<String> value = value();
        assertThat(getDriven(value)).isEqualTo("v1");

        fakeClock.advance(Duration.ofHours(2));

        assertThat(value.peek()).isEmpty();
        assertThatThrownBy(() -> value.get(Duration.ZERO)).isInstanceOf(BigLedgerAuthException.class);
        assertThat(getDriven(value)).isEqualTo("v2");
    }

    @Test
    void clockThatThrowsInTheRefreshTimerDoesNotStopExpiryOrRefreshing() throws Exception {
        RefreshingValue<String> value = value();
        assertThat(getDriven(value)).isEqualTo("v1");

        clock.failures = 1;
        fakeClock.advance(REFRESH);
        fakeScheduler.runDue();
        // Refreshing goes on: either the timer started the refresh anyway, or a later due task does.
        fakeScheduler.runDue();
        fakeClock.advance(Duration.ofSeconds(1));
        fakeScheduler.runDue();
        assertThat(loads.get()).isGreaterThanOrEqualTo(2);
        String latest = "v" + loads.get();
        assertThat(value.get(Duration.ZERO)).isEqualTo(latest);

        assertNotServedAfterExpiry(value, latest);
        assertThat(getDriven(value)).isEqualTo("v" + loads.get());
    }

    @Test
    void clockThatThrowsWhenALoadFinishesStillCompletesTheWaiters() throws Exception {
        RefreshingValue<String> value = value(previous -> {
            loads.incrementAndGet();
            // The loader reads the good clock; the value's own next read of it throws.
            Instant now = fakeClock.instant();
            clock.failures = 1;
            return RefreshingValue.Loaded.of("v" + loads.get(), now.plus(REFRESH), now.plus(EXPIRY));
        }, new RefreshingValue.Listener<>() { });

        assertThat(getDriven(value)).isEqualTo("v1");
        clock.failures = 0;
        assertNotServedAfterExpiry(value, "v1");
        clock.failures = 0;
        assertThat(getDriven(value)).isEqualTo("v2");
    }

    @Test
    void timerThatCannotBeArmedStillCompletesTheWaitersAndStopsServingAtExpiry() throws Exception {
        RefreshingValue<String> value = value();
        scheduler.scheduleFault = () -> new RejectedExecutionException("timer queue full");

        assertThat(getDriven(value)).isEqualTo("v1");

        scheduler.scheduleFault = null;
        assertNotServedAfterExpiry(value, "v1");
        assertThat(getDriven(value)).isEqualTo("v2");
    }

    @Test
    void rejectedHandOffOfABackgroundRefreshLeavesARetryScheduled() throws Exception {
        RefreshingValue<String> value = value();
        assertThat(getDriven(value)).isEqualTo("v1");

        scheduler.executeFault = () -> new RejectedExecutionException("workers saturated");
        fakeClock.advance(REFRESH);
        fakeScheduler.runDue();
        scheduler.executeFault = null;
        assertThat(loads).hasValue(1);
        assertThat(value.get(Duration.ZERO)).isEqualTo("v1");

        // The refresh is tried again in the background while the old value is still served.
        assertThat(fakeScheduler.queued()).isNotEmpty();
        fakeClock.advance(Duration.ofSeconds(8));
        fakeScheduler.runDue();
        assertThat(loads).hasValue(2);
        assertThat(value.get(Duration.ZERO)).isEqualTo("v2");
    }

    @Test
    void errorWhileHandingOffTheFirstLoadFailsTheCallerAndTheNextCallerLoads() throws Exception {
        RefreshingValue<String> value = value();
        scheduler.executeFault = () -> new OutOfMemoryError("unable to create native thread");

        Future<String> first = threads.submit(() -> value.get(Duration.ofSeconds(30)));
        Throwable failure = null;
        try {
            first.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e.getCause();
        }
        assertThat(failure).isNotNull();

        scheduler.executeFault = null;
        // The value is marked failed, with a retry armed: due after a short pause, then the next caller loads.
        assertThatThrownBy(() -> value.get(Duration.ZERO)).isInstanceOf(BigLedgerAuthException.class)
                .hasMessageContaining("refused the load");
        fakeClock.advance(Duration.ofSeconds(1));
        assertThat(getDriven(value)).isEqualTo("v1");
    }

    @Test
    void rejectedRetryHandOffCompletesTheWaitersHeldForIt() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        RefreshingValue<String> value = value(previous -> {
            if (attempts.incrementAndGet() == 1) {
                // Retrying this failure needs a timer, and the timer refuses.
                scheduler.scheduleFault = () -> new RejectedExecutionException("timer shut down");
                throw new BigLedgerAuthException("store down", null, true);
            }
            Instant now = fakeClock.instant();
            return RefreshingValue.Loaded.of("v" + attempts.get(), now.plus(REFRESH), now.plus(EXPIRY));
        }, new RefreshingValue.Listener<>() { });

        Future<String> waiter = threads.submit(() -> value.get(Duration.ofSeconds(30)));
        Throwable failure = null;
        try {
            fakeScheduler.runUntilDone(waiter);
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e.getCause();
        }
        assertThat(failure).isInstanceOf(BigLedgerAuthException.class).hasMessageContaining("store down");

        scheduler.scheduleFault = null;
        fakeClock.advance(Duration.ofSeconds(8));
        assertThat(getDriven(value)).isEqualTo("v2");
    }

    @Test
    void listenerThatThrowsWhenALoadStartsDoesNotStrandTheWaiters() throws Exception {
        RefreshingValue<String> value = value(loader(), new RefreshingValue.Listener<>() {
            @Override
            public void loadStarted(boolean valueServed) {
                throw new IllegalStateException("listener bug");
            }
        });

        assertThat(getDriven(value)).isEqualTo("v1");
        assertNotServedAfterExpiry(value, "v1");
        assertThat(getDriven(value)).isEqualTo("v2");
    }

    @Test
    void blockingListenerOfOneValueDoesNotDelayAnotherValuesExpiry() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RefreshingValue<String> blocked = value(loader(), new RefreshingValue.Listener<>() {
            @Override
            public void loadSucceeded(String previous, RefreshingValue.Loaded<String> loaded) {
                if (previous != null) {
                    entered.countDown();
                    awaitQuietly(release);
                }
            }
        });
        AtomicInteger otherLoads = new AtomicInteger();
        RefreshingValue<String> other = RefreshingValue.<String>builder("other", previous -> {
            Instant now = fakeClock.instant();
            return RefreshingValue.Loaded.of("o" + otherLoads.incrementAndGet(), now.plus(Duration.ofHours(1)),
                    now.plus(Duration.ofSeconds(30)));
        }).clock(clock).scheduler(scheduler).build();
        try {
            assertThat(getDriven(blocked)).isEqualTo("v1");
            assertThat(getDriven(other)).isEqualTo("o1");

            // The scheduler's one thread runs the refresh of the first value, whose listener then blocks.
            fakeClock.advance(REFRESH);
            Future<Integer> timerThread = threads.submit(fakeScheduler::runDue);
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

            fakeClock.advance(Duration.ofSeconds(21));
            assertThat(other.peek()).isEmpty();
            Optional<String> got;
            try {
                got = Optional.of(other.get(Duration.ZERO));
            } catch (BigLedgerAuthException e) {
                got = Optional.empty();
            }
            assertThat(got).isEmpty();
            // Callers of the blocked value are not held either.
            assertThat(blocked.peek()).isEmpty();
            release.countDown();
            timerThread.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
