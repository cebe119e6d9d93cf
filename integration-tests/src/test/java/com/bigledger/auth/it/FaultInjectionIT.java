package com.bigledger.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.it.FaultProxy.Fault;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fault of {@link FaultProxy} between {@link TokenManager} and Spring Authorization Server, while the cached
 * token is FRESH (a forced refresh), STALE (the refresh-ahead refresh) and EXPIRED (a caller waits): two faulty
 * attempts, then the proxy heals. The manager keeps serving the valid token while it has one, sends one request per
 * attempt, backs off (never sooner than a {@code Retry-After}), and gets a new token the server accepts once healed.
 *
 * <p>The manager's time is a fake clock and its work runs on a fake scheduler; the server's tokens live 10 minutes
 * of real time, far longer than a scenario. Real time is spent only by the delay fault, bounded by the client's
 * request timeout.
 */
class FaultInjectionIT {

    private static final int FAULTY_ATTEMPTS = 2;
    /**
     * The client's request timeout: the delay fault outlasts it. Long enough for a healthy request on a loaded
     * machine (the server's code paths are warmed up first), or a healthy attempt would time out into a retry.
     */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PATIENT = Duration.ofSeconds(60);

    enum Phase { FRESH, STALE, EXPIRED }

    private static AuthServer server;

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Events events = new Events();
    private FaultProxy proxy;
    private TokenManager manager;

    @BeforeAll
    static void startServerAndWarmUp() throws Exception {
        server = AuthServer.shared();
        // The first requests of a JVM load classes on both sides and can take seconds on a busy machine: make them
        // here, with a patient client, rather than inside a scenario's short request timeout.
        try (FaultProxy warmUp = new FaultProxy(server.base())) {
            OAuthClient patient = server.client("proxy-client", warmUp.uri("/oauth2/token")).build();
            for (int i = 0; i < 3; i++) {
                Canary.remember(patient.clientCredentials(Set.of("api.read")).accessToken().reveal());
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (manager != null) {
            manager.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    static Stream<Arguments> matrix() {
        return Arrays.stream(Fault.values())
                .flatMap(fault -> Arrays.stream(Phase.values()).map(phase -> Arguments.of(fault, phase)));
    }

    @ParameterizedTest(name = "{0} while {1}")
    @MethodSource("matrix")
    void managerServesWhatItCanRetriesOneRequestPerAttemptAndRecovers(Fault fault, Phase phase) throws Exception {
        proxy = new FaultProxy(server.base());
        manager = TokenManager.builder()
                .client(server.client("proxy-client", proxy.uri("/oauth2/token"))
                        .requestTimeout(REQUEST_TIMEOUT)
                        .build())
                .clientCredentials()
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0)
                .watchdog(Duration.ofHours(2))
                .addListener(events)
                .build();
        AccessToken first = fetch();
        assertThat(proxy.requests()).isEqualTo(1);
        assertThat(server.isActive(first.value())).isTrue();

        proxy.failNext(fault, FAULTY_ATTEMPTS);
        Future<AccessToken> patient = null;
        switch (phase) {
            case FRESH:
                for (int i = 0; i < 100; i++) {
                    assertThat(manager.token(Duration.ZERO)).isSameAs(first);
                }
                assertThat(proxy.requests()).as("a fresh token costs no request").isEqualTo(1);
                assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
                manager.refreshNow();
                scheduler.runDue();
                break;
            case STALE:
                // The refresh-ahead point is half the 10-minute lifetime, without jitter.
                scheduler.advance(Duration.ofMinutes(5));
                break;
            case EXPIRED:
                scheduler.advance(Duration.ofMinutes(10));
                assertThat(manager.state()).isEqualTo(TokenManager.State.EXPIRED);
                assertThat(proxy.requests()).isEqualTo(1);
                patient = threads.submit(() -> manager.token(PATIENT));
                runDueUntil(() -> events.failed.get() >= 1);
                break;
            default:
                throw new AssertionError(phase);
        }

        for (int failed = 1; failed <= FAULTY_ATTEMPTS; failed++) {
            assertThat(proxy.requests()).as("one request per attempt").isEqualTo(1 + failed);
            assertThat(events.failed.get()).isEqualTo(failed);
            assertThat(events.failures.get(failed - 1)).isInstanceOf(TokenRefreshException.class);
            assertThat(events.failures.get(failed - 1).retryable()).as("%s is temporary", fault).isTrue();
            assertThat(events.reauthentications).isEmpty();
            assertThat(events.retries).hasSize(failed);
            Duration delay = events.retries.get(failed - 1);
            assertThat(delay).as("backs off").isPositive();
            if (fault.hasRetryAfter()) {
                assertThat(delay).isGreaterThanOrEqualTo(Duration.ofSeconds(FaultProxy.RETRY_AFTER_SECONDS));
            }
            if (phase == Phase.EXPIRED) {
                assertThat(patient).isNotDone();
            } else {
                assertThat(manager.token(Duration.ZERO)).as("the valid token is still served").isSameAs(first);
                assertThat(server.isActive(first.value())).isTrue();
            }
            // Nothing is sent before the backoff has passed.
            scheduler.advance(delay.minusMillis(1));
            assertThat(proxy.requests()).isEqualTo(1 + failed);
            scheduler.advance(Duration.ofMillis(1));
        }

        assertThat(proxy.pendingFaults()).isZero();
        assertThat(proxy.requests()).as("healed: one more request").isEqualTo(2 + FAULTY_ATTEMPTS);
        AccessToken healed = phase == Phase.EXPIRED ? patient.get(30, TimeUnit.SECONDS) : manager.token(Duration.ZERO);
        Canary.remember(healed.reveal());
        assertThat(healed.value()).isNotEqualTo(first.value());
        assertThat(server.isActive(healed.value())).isTrue();
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
        assertThat(events.succeeded.get()).isEqualTo(2);
    }

    /**
     * Runs the scheduler's due work until {@code condition} holds: a caller on another thread queues its refresh at
     * a moment the test cannot see. A bounded poll for readiness; the fake clock does not move.
     */
    private void runDueUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the refresh was not queued within 30 s");
            }
            if (scheduler.runDue() == 0) {
                LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
            }
        }
    }

    private AccessToken fetch() throws Exception {
        Future<AccessToken> fetched = threads.submit(() -> manager.token(PATIENT));
        runDueUntil(fetched::isDone);
        AccessToken token = fetched.get();
        Canary.remember(token.reveal());
        return token;
    }
}
