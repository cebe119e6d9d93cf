package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * What the token manager tests on fake time share: a fake clock and the fake scheduler that runs the managers' work,
 * a token endpoint, threads for callers waiting for a token, the events a test's listener records, and the managers
 * to close after each test (then the endpoint, then the threads).
 */
abstract class ManagerFixture {

    final FakeClock clock = new FakeClock();
    final FakeScheduler scheduler = new FakeScheduler(clock);
    final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    final ExecutorService threads = Executors.newCachedThreadPool();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<TokenManager> managers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopManagers() throws InterruptedException {
        managers.forEach(TokenManager::close);
        afterManagersClosed();
        endpoint.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /** What a test closes once its managers are closed, before the endpoint; nothing here. */
    void afterManagersClosed() {
    }

    /**
     * A manager builder on the fake clock and {@code on}, without jitter and with a watchdog beyond any test's
     * horizon, that tells {@code listener} what the manager does: what every manager of these tests starts from.
     */
    TokenManagerBuilder onFakeTime(FakeScheduler on, TokenListener listener) {
        return TokenManager.builder()
                .clock(clock)
                .scheduler(on)
                .jitter(0)
                .watchdog(Duration.ofHours(2))
                .addListener(listener);
    }

    /** {@link #onFakeTime(FakeScheduler, TokenListener)} on the fixture's scheduler. */
    TokenManagerBuilder onFakeTime(TokenListener listener) {
        return onFakeTime(scheduler, listener);
    }

    /** Keeps {@code manager} to close after the test. */
    TokenManager track(TokenManager manager) {
        managers.add(manager);
        return manager;
    }

    /**
     * Runs the due refresh on another thread and, while its request is out ({@code requestOut}) and held until
     * {@code release}, checks that {@code manager} is STALE and keeps serving {@code first}, a hundred times over; then
     * releases the request and checks that, once the refresh has ended, a new token is served.
     */
    void assertServesTheOldTokenWhileTheRefreshIsOut(TokenManager manager, AccessToken first,
            BooleanSupplier requestOut, CountDownLatch release) throws Exception {
        Future<Integer> refresh = threads.submit(scheduler::runDue);
        while (!requestOut.getAsBoolean()) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < 100; i++) {
            assertThat(manager.token(Duration.ZERO)).isSameAs(first);
        }
        assertThat(manager.state()).isEqualTo(TokenManager.State.STALE);
        release.countDown();
        refresh.get(30, TimeUnit.SECONDS);
        assertThat(manager.token(Duration.ZERO)).isNotSameAs(first);
    }

    /** Gets a token on another thread while this one runs the scheduler's due work (the refresh). */
    AccessToken fetch(TokenManager manager) throws Exception {
        Future<AccessToken> token = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        return scheduler.runUntilDone(token);
    }
}
