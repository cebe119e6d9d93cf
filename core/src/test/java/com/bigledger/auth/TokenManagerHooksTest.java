package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.internal.StandardErrorCapture;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.oauth.TokenSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenManagerHooks}, the manager's side of its refreshing value: how one request is counted by the circuit
 * breaker, the cool-down after a round of retries, what an unusable answer or an {@code Error} leaves behind, how
 * {@code close()} waits for a running refresh, and what the log says of failed refreshes and throwing listeners.
 */
class TokenManagerHooksTest extends ManagerFixture {

    private static final long LIFETIME = 3600;
    private static final URI SOURCE_ENDPOINT = URI.create("https://hooks.example.test/oauth/token");
    private static final String UNUSABLE = "{\"token_type\":\"Bearer\",\"expires_in\":3600}";

    /** An {@code Error} made on purpose (as "unable to create native thread" would be, in production). */
    private static final class InjectedError extends Error {
        private static final long serialVersionUID = 1L;

        InjectedError() {
            super("injected on purpose");
        }
    }

    private OAuthClient client() {
        return OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("hooks-test")
                .clientSecret(Canary.secret("cs_")).allowInsecureLoopback(true).build();
    }

    private TokenManagerBuilder builder() {
        return onFakeTime(new TokenListener() {
            @Override
            public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutive,
                    boolean served) {
                events.add("failed " + failure.getClass().getSimpleName());
            }
        }).client(client());
    }

    private static String accessToken() {
        return Canary.value("blg_oauth_at_");
    }

    /** One refresh with no caller waiting for it: the caller gives up at once, the refresh runs on this thread. */
    private void refreshOnce(TokenManager manager) {
        assertThat(catchThrowable(() -> manager.token(Duration.ZERO))).isInstanceOf(BigLedgerAuthException.class);
        scheduler.runDue();
    }

    /** Starts a refresh on another thread and returns once its request, held until {@code release}, is out. */
    private Future<Integer> refreshHeldUntil(TokenManager manager, CountDownLatch release) {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME).holdUntil(release));
        manager.refreshNow();
        Future<Integer> refresh = threads.submit(scheduler::runDue);
        endpoint.takeRequest();
        return refresh;
    }

    /** A test's steps, which may throw. */
    private interface Steps {
        void run() throws Exception;
    }

    /** What {@code action} logged (the test logger writes to {@code System.err}); still shown there too. */
    private static String logOf(Steps action) throws Exception {
        try (StandardErrorCapture log = new StandardErrorCapture()) {
            action.run();
            return log.text();
        }
    }

    private static List<String> linesWith(String log, String text) {
        return log.lines().filter(line -> line.contains(text)).toList();
    }

    // The circuit breaker's count of one request.

    @Test
    void temporaryFailureIsCountedOnceByTheBreakerAsAFastFailure() {
        endpoint.dispatcher(request -> Response.status(503));
        TokenManager manager = track(builder().clientCredentials().build());

        refreshOnce(manager);

        CircuitBreaker.Metrics metrics = manager.circuitBreaker().getMetrics();
        assertThat(metrics.getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(metrics.getNumberOfSuccessfulCalls()).isZero();
        assertThat(metrics.getNumberOfSlowCalls()).isZero();
    }

    @Test
    void unusableAnswerIsCountedOnceByTheBreakerAsAFastCallAndReportedAsUnusable() {
        endpoint.dispatcher(request -> Response.json(200, UNUSABLE));
        TokenManager manager = track(builder().clientCredentials().build());

        refreshOnce(manager);

        CircuitBreaker.Metrics metrics = manager.circuitBreaker().getMetrics();
        assertThat(metrics.getNumberOfBufferedCalls()).isEqualTo(1);
        assertThat(metrics.getNumberOfSlowCalls()).isZero();
        assertThat(events).containsExactly("failed InvalidTokenResponseException");
    }

    @Test
    void unusableAnswerThatRotatedTheRefreshTokenStillHasTheNewOneWrittenBack() {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("rt", Canary.secret("blg_oauth_rt_"));
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        String rotated = Canary.value("blg_oauth_rt_");
        endpoint.dispatcher(request -> Response.json(200, "{\"refresh_token\":\"" + rotated
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        TokenManager manager = track(builder().refreshToken(vault, ref).build());

        refreshOnce(manager);

        assertThat(events).containsExactly("failed InvalidTokenResponseException");
        assertThat(store.load(ref).secret().reveal()).isEqualTo(rotated);
        manager.close();
        vault.close();
    }

    @Test
    void whenARoundOfRetriesGivesUpTheNextRoundStartsAfterTheCoolDown() {
        endpoint.dispatcher(request -> Response.status(503));
        List<Duration> retries = new CopyOnWriteArrayList<>();
        TokenManager manager = track(onFakeTime(new TokenListener() {
            @Override
            public void retryScheduled(String name, Duration delay, int consecutive) {
                retries.add(delay);
            }
        }).client(client()).clientCredentials()
                .retry(new RetrySettings(2, Duration.ofSeconds(1), 1.0, 0.0, Duration.ofSeconds(1)))
                .retryCooldown(Duration.ofMinutes(1)).circuitBreaker(CircuitBreakerSettings.disabled()).build());

        refreshOnce(manager);
        scheduler.advance(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofMinutes(1));

        assertThat(endpoint.requestCount()).isEqualTo(3);
        assertThat(retries).containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(1));
    }

    @Test
    void sourceThatThrowsAnErrorGivesTheHalfOpenBreakersTrialBack() {
        AtomicInteger calls = new AtomicInteger();
        TokenSource source = new TokenSource() {
            @Override
            public TokenResponse fetch(Request request) {
                if (calls.incrementAndGet() == 1) {
                    throw new InjectedError();
                }
                return TokenResponse.builder().accessToken(Canary.secret("vendor_at_"))
                        .expiresIn(Duration.ofSeconds(LIFETIME)).build();
            }

            @Override
            public Optional<URI> endpoint() {
                return Optional.of(SOURCE_ENDPOINT);
            }
        };
        TokenManager manager = track(onFakeTime(new TokenListener() { }).tokenSource(source).build());
        // Half open: one trial request is let through.
        manager.circuitBreaker().transitionToOpenState();
        manager.circuitBreaker().transitionToHalfOpenState();

        assertThat(catchThrowable(() -> manager.token(Duration.ZERO))).isInstanceOf(BigLedgerAuthException.class);
        // The load's worker sees the Error itself (here the scheduler's thread, which is this one).
        assertThat(catchThrowable(scheduler::runDue)).isInstanceOf(InjectedError.class);
        scheduler.runDue();

        // The trial was not used up by the call that died: the next refresh makes it.
        manager.refreshNow();
        scheduler.runDue();

        assertThat(calls).hasValue(2);
        assertThat(manager.token(Duration.ZERO).reveal()).startsWith("vendor_at_");
        assertThat(manager.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    // close() and a refresh still running.

    @Test
    void closeWaitsForTheRunningRefreshSoThatItsRotatedRefreshTokenIsWrittenFirst() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("rt", Canary.secret("blg_oauth_rt_"));
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        String rotated = Canary.value("blg_oauth_rt_");
        CountDownLatch release = new CountDownLatch(1);
        endpoint.enqueue(Response.token(accessToken(), LIFETIME, rotated).holdUntil(release));
        TokenManager manager = track(builder().refreshToken(vault, ref).closeTimeout(Duration.ofHours(1)).build());
        Future<AccessToken> caller = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        scheduler.awaitQueued(1);
        Future<Integer> refresh = threads.submit(scheduler::runDue);
        endpoint.takeRequest();

        String log = logOf(() -> {
            Future<String> storedOnceClosed = threads.submit(() -> {
                manager.close();
                return store.load(ref).secret().reveal();
            });
            // The waiting caller fails once close() has begun; only then is the answer released.
            assertThat(catchThrowable(caller::get)).hasCauseInstanceOf(IllegalStateException.class);
            release.countDown();
            assertThat(storedOnceClosed.get(30, TimeUnit.SECONDS)).isEqualTo(rotated);
        });

        refresh.get(30, TimeUnit.SECONDS);
        assertThat(linesWith(log, "closed while a refresh was still running")).isEmpty();
        vault.close();
    }

    @Test
    void closeStopsWaitingForARunningRefreshOnceTheCloseTimeoutIsOver() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TokenManager manager = track(builder().clientCredentials().closeTimeout(Duration.ofMillis(1)).build());
        Future<Integer> refresh = refreshHeldUntil(manager, release);

        threads.submit(manager::close).get(30, TimeUnit.SECONDS);

        assertThat(refresh.isDone()).isFalse();
        assertThat(manager.state()).isEqualTo(TokenManager.State.CLOSED);
        release.countDown();
        refresh.get(30, TimeUnit.SECONDS);
    }

    @Test
    void ofTwoClosesDuringARunningRefreshOneWaitsForItAndTheOtherReturnsAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TokenManager manager = track(builder().clientCredentials().closeTimeout(Duration.ofHours(1)).build());
        Future<Integer> refresh = refreshHeldUntil(manager, release);

        CompletableFuture<Void> first = CompletableFuture.runAsync(manager::close, threads);
        CompletableFuture<Void> second = CompletableFuture.runAsync(manager::close, threads);
        CompletableFuture.anyOf(first, second).get(30, TimeUnit.SECONDS);

        // The one that closed the manager waits for the refresh, held until released; the other found it closed.
        assertThat(first.isDone() && second.isDone()).isFalse();
        release.countDown();
        CompletableFuture.allOf(first, second).get(30, TimeUnit.SECONDS);
        refresh.get(30, TimeUnit.SECONDS);
    }

    @Test
    void interruptedCloseStopsWaitingForTheRunningRefreshAndKeepsItsInterrupt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TokenManager manager = track(builder().clientCredentials().closeTimeout(Duration.ofHours(1)).build());
        Future<Integer> refresh = refreshHeldUntil(manager, release);

        Future<Boolean> interrupted = threads.submit(() -> {
            Thread.currentThread().interrupt();
            manager.close();
            return Thread.currentThread().isInterrupted();
        });

        assertThat(interrupted.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refresh.isDone()).isFalse();
        release.countDown();
        refresh.get(30, TimeUnit.SECONDS);
    }

    // The log.

    @Test
    void failedRefreshIsLoggedAsAWarningThatSaysWhetherTheTokenIsStillServed() throws Exception {
        endpoint.enqueue(Response.status(503), Response.token(accessToken(), LIFETIME), Response.status(503));
        TokenManager manager = track(builder().clientCredentials().build());

        String log = logOf(() -> {
            refreshOnce(manager);
            scheduler.advance(Duration.ofMinutes(1));
            assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
            manager.refreshNow();
            scheduler.runDue();
        });

        List<String> failures = linesWith(log, "refresh failed");
        assertThat(failures).hasSize(2).allMatch(line -> line.contains("WARN"));
        assertThat(failures.get(0)).contains("refresh failed (1 in a row): ")
                .doesNotContain("the current token is still served");
        assertThat(failures.get(1)).contains("refresh failed (1 in a row), the current token is still served: ");
    }

    @Test
    void refreshThatRotatedTheRefreshTokenSaysSoInTheDebugLog() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME, Canary.value("blg_oauth_rt_")),
                Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().refreshToken(Canary.secret("blg_oauth_rt_")).build());

        String log = logOf(() -> {
            refreshOnce(manager);
            manager.refreshNow();
            scheduler.runDue();
        });

        List<String> refreshes = linesWith(log, "new access token");
        assertThat(refreshes).hasSize(2);
        assertThat(refreshes.get(0)).endsWith(", refresh token rotated");
        assertThat(refreshes.get(1)).doesNotContain("rotated");
    }

    @Test
    void listenerThatThrowsIsReportedAtWarningLevelOnceAndThenAtDebugLevel() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().addListener(new TokenListener() {
            @Override
            public void refreshStarted(String name, boolean served) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                throw new Error("listener error");
            }
        }).build());

        String log = logOf(() -> refreshOnce(manager));

        List<String> reports = linesWith(log, "a token listener");
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).contains("WARN").contains(IllegalStateException.class.getName());
        assertThat(reports.get(1)).doesNotContain("WARN").contains(Error.class.getName());
        assertThat(manager.token(Duration.ZERO)).isNotNull();
    }
}
