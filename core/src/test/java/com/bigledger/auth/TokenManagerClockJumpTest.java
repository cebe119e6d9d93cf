package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wall clock jumps while the timer does not run (a machine sleep, an NTP step, an operator): the token stops being
 * served at its expiry as the clock reads it, and a jump either way causes no burst of requests.
 */
class TokenManagerClockJumpTest {

    private static final long LIFETIME = 3600;
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final FakeClock clock = new FakeClock();
    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<TokenManager> managers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        managers.forEach(TokenManager::close);
        endpoint.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /**
     * A scheduler whose timer runs on elapsed time, as the JDK's does, not on the wall clock: the test says when its
     * timers fire, whatever the clock shows.
     */
    private static final class MonotonicScheduler implements Scheduler {
        final List<Runnable> work = new ArrayList<>();
        final List<Runnable> timers = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public synchronized Cancellable schedule(Runnable task, Duration delay) {
            if (delay.isZero() || delay.isNegative()) {
                work.add(task);
                return () -> { };
            }
            timers.add(task);
            delays.add(delay);
            return () -> {
                synchronized (this) {
                    int at = timers.indexOf(task);
                    if (at >= 0) {
                        timers.remove(at);
                        delays.remove(at);
                    }
                }
            };
        }

        /** Runs the work handed to workers, until none is left. */
        void runWork() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    if (work.isEmpty()) {
                        return;
                    }
                    next = work.remove(0);
                }
                next.run();
            }
        }

        /** Fires every timer armed so far, as if its delay had elapsed. */
        void fireTimers() {
            List<Runnable> due;
            synchronized (this) {
                due = new ArrayList<>(timers);
                timers.clear();
                delays.clear();
            }
            due.forEach(Runnable::run);
            runWork();
        }

        synchronized List<Duration> armed() {
            return new ArrayList<>(delays);
        }
    }

    private TokenManager manager(Scheduler scheduler) {
        TokenManager manager = TokenManager.builder()
                .client(OAuthClient.builder()
                        .tokenEndpoint(endpoint.uri())
                        .clientId("test-client")
                        .clientSecret(Canary.secret(""))
                        .allowInsecureLoopback(true)
                        .build())
                .clientCredentials()
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0)
                .expirySkew(SKEW)
                .maxStaleness(Duration.ofSeconds(1))
                .build();
        managers.add(manager);
        return manager;
    }

    private static String accessToken() {
        return Canary.value("blg_oauth_at_");
    }

    private AccessToken first(TokenManager manager, MonotonicScheduler scheduler) throws Exception {
        Future<AccessToken> token = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        while (!token.isDone()) {
            scheduler.runWork();
            Thread.onSpinWait();
        }
        return token.get();
    }

    @Test
    void forwardJumpPastExpiryStopsServingTheTokenWithoutTheTimer() throws Exception {
        MonotonicScheduler scheduler = new MonotonicScheduler();
        String old = accessToken();
        String next = accessToken();
        endpoint.enqueue(Response.token(old, LIFETIME), Response.token(next, LIFETIME));
        TokenManager manager = manager(scheduler);
        AccessToken token = first(manager, scheduler);
        Instant usableUntil = token.expiresAt().minus(SKEW);

        // Up to its skewed expiry, the token is served from the cache; the timer never fires in this test.
        clock.advance(Duration.between(clock.instant(), usableUntil).minusMillis(1));
        assertThat(manager.token(Duration.ZERO)).isSameAs(token);

        // The clock jumps 2 h: the token is past expiry (and past the 1 s bound) at once, without the timer.
        clock.advance(Duration.ofHours(2));
        assertThat(manager.state()).isEqualTo(TokenManager.State.EXPIRED);
        assertThatThrownBy(() -> manager.token(Duration.ZERO)).isInstanceOf(TokenRefreshException.class);

        // Many callers now share one refresh.
        List<Future<AccessToken>> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(threads.submit(() -> manager.token(Duration.ofSeconds(30))));
        }
        for (Future<AccessToken> caller : callers) {
            while (!caller.isDone()) {
                scheduler.runWork();
                Thread.onSpinWait();
            }
            assertThat(caller.get().reveal()).isEqualTo(next);
        }
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void forwardJumpWithinTheBoundIsServedOnlyUpToTheExpiry() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(clock);
        endpoint.enqueue(Response.token(accessToken(), LIFETIME), Response.token(accessToken(), LIFETIME));
        TokenManager manager = manager(scheduler);
        Future<AccessToken> first = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        AccessToken token = scheduler.runUntilDone(first);
        Instant usableUntil = token.expiresAt().minus(SKEW);

        // An injected clock is read on every call: at the expiry itself the token is no longer served.
        clock.advance(Duration.between(clock.instant(), usableUntil));
        assertThatThrownBy(() -> manager.token(Duration.ZERO)).isInstanceOf(TokenRefreshException.class);
        assertThat(manager.expiresAt()).contains(token.expiresAt());
    }

    @Test
    void backwardJumpCausesNoEarlyRefreshAndNoBurst() throws Exception {
        MonotonicScheduler scheduler = new MonotonicScheduler();
        String old = accessToken();
        endpoint.enqueue(Response.token(old, LIFETIME), Response.token(accessToken(), LIFETIME));
        TokenManager manager = manager(scheduler);
        AccessToken token = first(manager, scheduler);
        assertThat(scheduler.armed()).hasSize(1);

        // The clock is set back 2 h: the token is still served, by many callers, with no request.
        clock.set(clock.instant().minus(Duration.ofHours(2)));
        List<Future<AccessToken>> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(threads.submit(() -> manager.token(Duration.ZERO)));
        }
        for (Future<AccessToken> caller : callers) {
            assertThat(caller.get(30, TimeUnit.SECONDS)).isSameAs(token);
        }
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);

        // The monotonic timer fires when its delay has elapsed; by the clock that is 2 h early: re-armed, no request.
        Duration firstDelay = scheduler.armed().get(0);
        scheduler.fireTimers();
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(scheduler.armed()).containsExactly(firstDelay.plusHours(2));
        assertThat(manager.token(Duration.ZERO)).isSameAs(token);

        // When that timer fires, the clock has reached the refresh instant: exactly one refresh.
        clock.advance(firstDelay.plusHours(2));
        scheduler.fireTimers();
        assertThat(endpoint.requestCount()).isEqualTo(2);
        assertThat(manager.token(Duration.ZERO)).isNotSameAs(token);
    }
}
