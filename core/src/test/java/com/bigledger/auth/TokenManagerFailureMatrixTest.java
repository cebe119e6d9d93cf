package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The failure matrix of the token manager: every way a token request can fail, while the token is fresh, stale
 * (the refresh-ahead refresh fails) and expired (callers wait), with the outcome the issue specifies, then recovery
 * once the endpoint heals.
 *
 * <p>Time is the fake clock's; the refresh runs on the test thread in {@link FakeScheduler#runDue()}. Only the
 * waiters of an expired token and the timeout faults spend real time, bounded by {@link #CALLER_DEADLINE} and
 * {@link #SHORT_TIMEOUT}. Every request goes through a real JDK client to 127.0.0.1; the connect faults are made
 * by sending it to a port that refuses connections or never accepts them.
 */
class TokenManagerFailureMatrixTest {

    private static final long LIFETIME = 3600;
    /** The larger of 5 minutes and 10% of an hour, without jitter. */
    private static final Duration REFRESH_AHEAD = Duration.ofMinutes(6);
    private static final Duration EXPIRY_SKEW = Duration.ofSeconds(30);
    /** The default retry's attempts per round, and the cool-down between rounds. */
    private static final int ATTEMPTS_PER_ROUND = 4;
    private static final Duration COOLDOWN = Duration.ofSeconds(30);
    private static final Duration BREAKER_WAIT = Duration.ofSeconds(20);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(7);
    /** The connect timeout of the connect-timeout fault, and the request timeout of the read-timeout fault. */
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(100);
    /**
     * The request timeout of the read-timeout cases. It also bounds the healthy requests of those cases, so it is
     * kept well above what a loaded machine needs to answer on loopback.
     */
    private static final Duration READ_TIMEOUT_LIMIT = Duration.ofMillis(500);
    /** The timeouts of requests to a healthy endpoint: a bound, never reached. */
    private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALLER_DEADLINE = Duration.ofMillis(300);
    private static final Duration PATIENT_DEADLINE = Duration.ofSeconds(30);
    private static final int WAITERS = 32;

    /** Connects here are refused: the port is bound but nothing listens. */
    private static Socket refusingPort;
    /** Connects here time out: it listens, but its accept queue is full and never drained. */
    private static ServerSocket unacceptingPort;
    private static final List<Socket> backlog = new ArrayList<>();
    /** One client for every manager, so that connections are pooled as in production. */
    private static HttpClient http;
    /** The client for the port that never accepts: the only requests with a short connect timeout. */
    private static HttpClient impatient;

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch heldResponses = new CountDownLatch(1);
    private final Recorder recorder = new Recorder();
    private final String refreshToken = Canary.value("blg_oauth_rt_");
    private final String clientSecret = Canary.value("");
    private RoutedHttpClient routed;
    private TokenManager manager;
    private Fault fault;

    @BeforeAll
    static void openDeadPorts() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        refusingPort = new Socket();
        refusingPort.bind(new InetSocketAddress(loopback, 0));
        unacceptingPort = new ServerSocket(0, 1, loopback);
        // Fill the accept queue until a connect is no longer answered: the kernel then drops further SYNs.
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(unacceptingPort.getLocalSocketAddress(), 500);
                backlog.add(s);
            } catch (IOException full) {
                s.close();
                break;
            }
        }
        http = HttpClient.newBuilder()
                .connectTimeout(HEALTHY_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        impatient = HttpClient.newBuilder()
                .connectTimeout(SHORT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @AfterAll
    static void closeDeadPorts() throws IOException {
        for (Socket s : backlog) {
            s.close();
        }
        unacceptingPort.close();
        refusingPort.close();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (manager != null) {
            manager.close();
        }
        heldResponses.countDown();
        endpoint.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /** When the failure happens. */
    enum Phase {
        /** On a forced refresh while the token is fresh. */
        FRESH,
        /** On the refresh-ahead refresh. */
        STALE,
        /** With no valid token: callers wait for the refresh. */
        EXPIRED
    }

    /** What goes wrong, and what the manager must make of it. */
    enum Fault {
        HTTP_500(TokenRefreshException.class, 500, "HTTP 500",
                s -> Response.oauthError(500, "server_error", "backend failed for refresh token " + s.refreshToken)),
        HTTP_502(TokenRefreshException.class, 502, "HTTP 502",
                s -> Response.body(502, "text/html", "<html><body>Bad Gateway</body></html>")),
        HTTP_503(TokenRefreshException.class, 503, "HTTP 503", s -> Response.status(503)),
        HTTP_429_WITH_RETRY_AFTER(TokenRefreshException.class, 429, "HTTP 429",
                s -> Response.oauthError(429, "slow_down", "too many requests")
                        .header("Retry-After", Long.toString(RETRY_AFTER.toSeconds()))),
        CONNECT_REFUSED(TokenRefreshException.class, -1, "I/O error (java.net.ConnectException)", null),
        CONNECT_TIMEOUT(TokenRefreshException.class, -1, "could not connect within the connect timeout", null),
        READ_TIMEOUT(TokenRefreshException.class, -1, "no response within the request timeout",
                s -> Response.token(s.accessToken(), LIFETIME).holdUntil(s.heldResponses)),
        CONNECTION_RESET(TokenRefreshException.class, -1, "I/O error", s -> Response.disconnect()),
        TRUNCATED_BODY(TokenRefreshException.class, -1, "I/O error",
                s -> Response.cutOff(200, 400, "{\"access_token\":\"" + s.accessToken() + "\",\"token_ty")),
        HTML_BODY(InvalidTokenResponseException.class, 200, "HTML page",
                s -> Response.body(200, "text/html", "<html><body>Signed in as " + s.accessToken()
                        + "</body></html>")),
        INVALID_JSON(InvalidTokenResponseException.class, 200, "not valid JSON",
                s -> Response.json(200, "{\"access_token\":\"" + s.accessToken()
                        + "\" \"token_type\":\"Bearer\",\"expires_in\":3600}")),
        MISSING_ACCESS_TOKEN(InvalidTokenResponseException.class, 200, "no access_token",
                s -> Response.json(200, "{\"id_token\":\"" + s.accessToken()
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")),
        EXPIRES_IN_ZERO(InvalidTokenResponseException.class, 200, "expires_in is 0",
                s -> tokenWithExpiresIn(s, "0")),
        EXPIRES_IN_NEGATIVE(InvalidTokenResponseException.class, 200, "expires_in is -60",
                s -> tokenWithExpiresIn(s, "-60")),
        EXPIRES_IN_NOT_A_NUMBER(InvalidTokenResponseException.class, 200, "expires_in is not a number",
                s -> tokenWithExpiresIn(s, "\"soon\"")),
        INVALID_GRANT(ReauthenticationRequiredException.class, 400, "error invalid_grant",
                s -> Response.oauthError(400, "invalid_grant", "refresh token " + s.refreshToken + " was revoked")),
        INVALID_CLIENT(ReauthenticationRequiredException.class, 401, "error invalid_client",
                s -> Response.oauthError(401, "invalid_client", "client secret " + s.clientSecret + " is wrong"));

        final Class<? extends TokenRefreshException> type;
        final int status;
        final String message;
        /** The endpoint's answer, or {@code null} when the request never reaches it. */
        final Function<TokenManagerFailureMatrixTest, Response> response;

        Fault(Class<? extends TokenRefreshException> type, int status, String message,
                Function<TokenManagerFailureMatrixTest, Response> response) {
            this.type = type;
            this.status = status;
            this.message = message;
            this.response = response;
        }

        boolean permanent() {
            return type == ReauthenticationRequiredException.class;
        }

        boolean reachesEndpoint() {
            return response != null;
        }

        private static Response tokenWithExpiresIn(TokenManagerFailureMatrixTest s, String expiresIn) {
            return Response.json(200, "{\"access_token\":\"" + s.accessToken()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
        }
    }

    static Stream<Arguments> matrix() {
        return Arrays.stream(Fault.values())
                .flatMap(fault -> Arrays.stream(Phase.values()).map(phase -> Arguments.of(fault, phase)));
    }

    @ParameterizedTest(name = "{0} while {1}")
    @MethodSource("matrix")
    void failureHasTheSpecifiedOutcomeAndTheManagerRecovers(Fault fault, Phase phase) throws Exception {
        this.fault = fault;
        manager = manager(fault == Fault.READ_TIMEOUT ? READ_TIMEOUT_LIMIT : HEALTHY_TIMEOUT);
        AccessToken first = fetch();
        Instant usableUntil = first.expiresAt().minus(EXPIRY_SKEW);
        assertThat(endpoint.requestCount()).isEqualTo(1);

        breakEndpoint(fault);
        Future<Object> patient = null;
        List<Future<Object>> waiters = List.of();
        switch (phase) {
            case FRESH:
                manager.refreshNow();
                scheduler.runDue();
                break;
            case STALE:
                clock.advance(Duration.ofSeconds(LIFETIME).minus(REFRESH_AHEAD));
                scheduler.runDue();
                break;
            case EXPIRED:
                // The machine slept past the expiry: the first timer to fire drops the token, and sends nothing.
                scheduler.advance(Duration.ofSeconds(LIFETIME));
                assertThat(manager.state()).isEqualTo(TokenManager.State.EXPIRED);
                assertThat(endpoint.requestCount()).isEqualTo(1);
                // One caller starts the refresh and waits through the retries; more join once it has failed.
                patient = call(PATIENT_DEADLINE);
                scheduler.awaitQueued(1);
                scheduler.runDue();
                waiters = startWaiters();
                break;
            default:
                throw new AssertionError(phase);
        }
        assertThat(attempts()).isEqualTo(2);
        assertIsTheFault(recorder.lastFailure(), fault);

        if (fault.permanent()) {
            permanentFailureStopsRefreshing(phase, first, usableUntil, patient, waiters);
        } else {
            temporaryFailureIsRetriedWithBackoff(phase, first, patient, waiters);
        }
        recorder.assertNoSecret();
    }

    @Test
    void invalidatingTheExpiredTokenWhileCallersWaitThroughRetriesStartsAnAttemptForThem() throws Exception {
        manager = manager(HEALTHY_TIMEOUT);
        AccessToken first = fetch();
        endpoint.dispatcher(request -> Response.status(503));
        scheduler.advance(Duration.ofSeconds(LIFETIME));
        Future<Object> patient = call(PATIENT_DEADLINE);
        scheduler.awaitQueued(1);
        scheduler.runDue();
        assertThat(attempts()).isEqualTo(2);

        // A request made with the token just before it expired comes back 401: its caller invalidates it.
        assertThat(manager.invalidate(first)).isTrue();
        scheduler.runDue();
        assertThat(attempts()).as("the load the invalidation asked for").isEqualTo(3);
        // Many 401s for that token: one load.
        assertThat(manager.invalidate(first)).isTrue();
        assertThat(manager.invalidate(first)).isTrue();
        scheduler.runDue();
        assertThat(attempts()).isEqualTo(4);

        // The waiting caller still gets the token once the endpoint heals.
        String healed = heal();
        scheduler.advance(nextRetryDelay());
        assertThat(attempts()).isEqualTo(5);
        assertThat(((AccessToken) patient.get(30, TimeUnit.SECONDS)).reveal()).isEqualTo(healed);
        recorder.assertNoSecret();
    }

    @Test
    void circuitBreakerOpensAfterRepeatedTemporaryFailuresAndHalfOpensAfterItsWait() throws Exception {
        manager = manager(HEALTHY_TIMEOUT);
        AccessToken first = fetch();
        CircuitBreaker breaker = manager.circuitBreaker();
        endpoint.dispatcher(request -> Response.status(500));

        manager.refreshNow();
        scheduler.runDue();
        for (int failures = 1; failures < ATTEMPTS_PER_ROUND; failures++) {
            // One success and fewer than four failures: below the breaker's five-call minimum.
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            scheduler.advance(nextRetryDelay());
            assertThat(endpoint.requestCount()).isEqualTo(failures + 2);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        Instant openedAt = clock.instant();
        int requests = endpoint.requestCount();

        // While it is open, neither a forced refresh nor the retries it schedules send a request.
        manager.refreshNow();
        scheduler.runDue();
        assertThat(recorder.lastFailure()).hasMessageContaining("circuit breaker is open");
        scheduler.advance(BREAKER_WAIT);
        assertThat(clock.instant()).isEqualTo(openedAt.plus(BREAKER_WAIT));
        assertThat(endpoint.requestCount()).isEqualTo(requests);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isGreaterThanOrEqualTo(2);
        assertThat(manager.token(Duration.ZERO)).isSameAs(first);

        // After its wait, the next attempt is one trial request; the breaker is half-open while it runs.
        String healed = accessToken();
        CountDownLatch answer = new CountDownLatch(1);
        endpoint.dispatcher(request -> Response.token(healed, LIFETIME).holdUntil(answer));
        clock.advance(scheduler.queuedDelays().get(0));
        assertThat(clock.instant()).isAfter(openedAt.plus(BREAKER_WAIT));
        Future<Integer> trial = threads.submit(scheduler::runDue);
        awaitRequests(requests + 1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        assertThat(manager.token(Duration.ZERO)).isSameAs(first);
        answer.countDown();
        trial.get(30, TimeUnit.SECONDS);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(manager.token(Duration.ZERO).reveal()).isEqualTo(healed);
        assertThat(endpoint.requestCount()).isEqualTo(requests + 1);
        recorder.assertNoSecret();
    }

    private void temporaryFailureIsRetriedWithBackoff(Phase phase, AccessToken first, Future<Object> patient,
            List<Future<Object>> waiters) throws Exception {
        for (int failures = 1; failures < ATTEMPTS_PER_ROUND; failures++) {
            assertStillServedOrWaitedFor(phase, first);
            Duration delay = nextRetryDelay();
            assertBackoff(fault, failures, delay);
            scheduler.advance(delay.minusMillis(1));
            assertThat(attempts()).as("attempt %d is not due yet", failures + 2).isEqualTo(failures + 1);
            scheduler.advance(Duration.ofMillis(1));
            assertThat(attempts()).as("one request for attempt %d", failures + 2).isEqualTo(failures + 2);
            assertIsTheFault(recorder.lastFailure(), fault);
        }
        assertStillServedOrWaitedFor(phase, first);
        // The round is over: a cool-down, and the breaker opened (one success, four failures).
        assertThat(nextRetryDelay()).isEqualTo(COOLDOWN);
        assertThat(manager.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        Instant openedAt = clock.instant();

        for (Future<Object> waiter : waiters) {
            Object outcome = waiter.get(30, TimeUnit.SECONDS);
            assertThat(outcome).as("a waiter's outcome").isExactlyInstanceOf(TokenRefreshException.class);
            TokenRefreshException error = (TokenRefreshException) outcome;
            assertThat(error).hasMessageContaining("no access token within " + com.bigledger.auth.internal.Durations.format(CALLER_DEADLINE));
            assertThat(error.retryable()).isTrue();
            assertIsTheFault(error.getCause(), fault);
            recorder.assertNoSecretIn(error);
        }
        assertThat(attempts()).as("one request per attempt, however many callers").isEqualTo(ATTEMPTS_PER_ROUND + 1);

        // The endpoint heals: no request while the breaker's wait lasts, then one trial that succeeds and closes it.
        String healed = heal();
        int before = attempts();
        for (int retries = 0; attempts() == before; retries++) {
            assertThat(retries).as("retries before the trial request").isLessThan(3);
            scheduler.advance(nextRetryDelay());
            if (!clock.instant().isAfter(openedAt.plus(BREAKER_WAIT))) {
                assertThat(attempts()).as("requests while the breaker is open").isEqualTo(before);
            }
        }
        assertThat(attempts()).isEqualTo(before + 1);
        assertThat(manager.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(manager.token(Duration.ZERO).reveal()).isEqualTo(healed);
        if (patient != null) {
            assertThat(patient.get(30, TimeUnit.SECONDS)).as("the caller that waited through the retries")
                    .isSameAs(manager.token(Duration.ZERO));
        }
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
        assertThat(recorder.reauthentications).hasValue(0);
    }

    private void permanentFailureStopsRefreshing(Phase phase, AccessToken first, Instant usableUntil,
            Future<Object> patient, List<Future<Object>> waiters) throws Exception {
        ReauthenticationRequiredException refusal = (ReauthenticationRequiredException) recorder.lastFailure();
        assertThat(recorder.reauthentications).hasValue(1);
        assertThat(recorder.retries).isEmpty();

        if (phase == Phase.EXPIRED) {
            // At once, not at their deadlines.
            assertThat(patient.get(30, TimeUnit.SECONDS)).isSameAs(refusal);
            for (Future<Object> waiter : waiters) {
                assertThat(waiter.get(30, TimeUnit.SECONDS)).isSameAs(refusal);
            }
        } else {
            // The token is served, and nothing is sent, until it expires; the state shows the refusal at once.
            for (int i = 0; i < 100; i++) {
                assertThat(manager.token(Duration.ZERO)).isSameAs(first);
            }
            assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
            scheduler.advance(Duration.between(clock.instant(), usableUntil).minusMillis(1));
            assertThat(manager.token(Duration.ZERO)).isSameAs(first);
            scheduler.advance(Duration.ofMillis(1));
        }
        assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
        assertThatThrownBy(() -> manager.token(Duration.ZERO)).isSameAs(refusal);
        assertThatThrownBy(() -> manager.token(CALLER_DEADLINE)).isSameAs(refusal);
        scheduler.advance(Duration.ofHours(2));
        assertThat(attempts()).as("no retry of a refusal").isEqualTo(2);
        assertThat(recorder.reauthentications).hasValue(1);
        assertThat(manager.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        // After an operator fixed the grant, a forced refresh gets a new token.
        String healed = heal();
        manager.refreshNow();
        scheduler.runDue();
        assertThat(attempts()).isEqualTo(3);
        assertThat(manager.token(Duration.ZERO).reveal()).isEqualTo(healed);
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
        assertThat(recorder.reauthentications).hasValue(1);
    }

    /** FRESH and STALE: the token keeps being served without a request. EXPIRED: callers get a typed error. */
    private void assertStillServedOrWaitedFor(Phase phase, AccessToken first) throws InterruptedException {
        int requests = attempts();
        if (phase == Phase.EXPIRED) {
            assertThat(manager.state()).isEqualTo(TokenManager.State.EXPIRED);
            assertThatThrownBy(() -> manager.token(Duration.ZERO))
                    .isExactlyInstanceOf(TokenRefreshException.class)
                    .hasMessageContaining("no access token within 0ms");
        } else {
            for (int i = 0; i < 100; i++) {
                assertThat(manager.token(Duration.ZERO)).isSameAs(first);
            }
            assertThat(manager.state()).isEqualTo(phase == Phase.FRESH
                    ? TokenManager.State.FRESH : TokenManager.State.STALE);
        }
        assertThat(attempts()).isEqualTo(requests);
    }

    /**
     * The default retry: 500 ms doubling per failure, randomized by half either way; never sooner than a
     * {@code Retry-After}.
     */
    private static void assertBackoff(Fault fault, int failures, Duration delay) {
        long base = 500L << (failures - 1);
        if (fault == Fault.HTTP_429_WITH_RETRY_AFTER) {
            assertThat(delay).isEqualTo(RETRY_AFTER);
        } else {
            assertThat(delay.toMillis()).as("backoff after failure %d", failures)
                    .isBetween(base / 2, base * 3 / 2);
        }
    }

    private static void assertIsTheFault(Throwable failure, Fault fault) {
        assertThat(failure).isExactlyInstanceOf(fault.type).hasMessageContaining(fault.message);
        TokenRefreshException typed = (TokenRefreshException) failure;
        assertThat(typed.retryable()).isEqualTo(!fault.permanent());
        if (fault.status < 0) {
            assertThat(typed.httpStatus()).isEmpty();
        } else {
            assertThat(typed.httpStatus()).hasValue(fault.status);
        }
        if (fault == Fault.HTTP_429_WITH_RETRY_AFTER) {
            assertThat(typed.retryAfter()).contains(RETRY_AFTER);
        }
        if (fault == Fault.HTTP_500 || fault == Fault.INVALID_GRANT || fault == Fault.INVALID_CLIENT) {
            // The server echoed a secret in its error description.
            assertThat(typed.errorDescription()).hasValueSatisfying(d -> assertThat(d).contains("[redacted]"));
        }
    }

    /**
     * Requests sent, or for the connect faults, tried: every attempt goes through the routed client once. When the
     * requests reach the endpoint, it must have received exactly as many: no hidden resend.
     */
    private int attempts() throws InterruptedException {
        int sent = routed.sent.get();
        if (fault == null || fault.reachesEndpoint()) {
            // A client that timed out may have given up before the server recorded the request.
            awaitRequests(sent);
            assertThat(endpoint.requestCount()).as("requests received by the endpoint").isEqualTo(sent);
        }
        return sent;
    }

    private Duration nextRetryDelay() {
        List<Duration> queued = scheduler.queuedDelays();
        assertThat(queued).as("a retry is scheduled").isNotEmpty();
        assertThat(queued.get(0)).as("the soonest task is the retry just scheduled").isEqualTo(recorder.lastRetry());
        return queued.get(0);
    }

    private void breakEndpoint(Fault fault) {
        routed.healthy = false;
        switch (fault) {
            case CONNECT_REFUSED:
                routed.divertTo = refusingPort.getLocalPort();
                break;
            case CONNECT_TIMEOUT:
                routed.divertTo = unacceptingPort.getLocalPort();
                break;
            default:
                endpoint.dispatcher(request -> fault.response.apply(this));
                break;
        }
    }

    private String heal() {
        String healed = accessToken();
        endpoint.dispatcher(request -> Response.token(healed, LIFETIME));
        routed.divertTo = 0;
        routed.healthy = true;
        return healed;
    }

    private TokenManager manager(Duration requestTimeout) {
        routed = new RoutedHttpClient();
        OAuthClient client = OAuthClient.builder()
                .tokenEndpoint(endpoint.uri())
                .clientId("matrix-client")
                .clientSecret(Secret.of(clientSecret))
                .allowInsecureLoopback(true)
                .httpClient(routed)
                .requestTimeout(requestTimeout)
                .clock(clock)
                .build();
        return TokenManager.builder()
                .client(client)
                .refreshToken(Secret.of(refreshToken))
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0)
                .watchdog(Duration.ofHours(2))
                .addListener(recorder)
                .build();
    }

    /** Gets the first token on another thread while this one runs the refresh. */
    private AccessToken fetch() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME));
        Future<AccessToken> token = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        return scheduler.runUntilDone(token);
    }

    private List<Future<Object>> startWaiters() throws InterruptedException {
        List<Future<Object>> results = new ArrayList<>();
        for (int i = 0; i < WAITERS; i++) {
            results.add(call(CALLER_DEADLINE));
        }
        return results;
    }

    /** Asks for a token on another thread; the outcome is the token or the exception. */
    private Future<Object> call(Duration deadline) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Future<Object> outcome = threads.submit(() -> {
            started.countDown();
            try {
                return manager.token(deadline);
            } catch (RuntimeException e) {
                return com.bigledger.auth.testing.LeakAssertions.check(e);
            }
        });
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        return outcome;
    }

    private void awaitRequests(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (endpoint.requestCount() < count) {
            assertThat(System.nanoTime() - deadline).as("waiting for request %d", count).isNegative();
            Thread.onSpinWait();
        }
    }

    String accessToken() {
        return Canary.value("blg_oauth_at_");
    }

    /** Records the events, and checks that none of them, nor any failure they carry, shows a secret. */
    private static final class Recorder implements TokenListener {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<BigLedgerAuthException> failures = new CopyOnWriteArrayList<>();
        final List<Duration> retries = new CopyOnWriteArrayList<>();
        final AtomicInteger reauthentications = new AtomicInteger();

        @Override
        public void refreshStarted(String manager, boolean tokenStillServed) {
            texts.add("started " + manager + " " + tokenStillServed);
        }

        @Override
        public void refreshSucceeded(String manager, Duration took, Instant expiresAt, boolean rotated) {
            texts.add("succeeded " + manager + " " + expiresAt + " " + rotated);
        }

        @Override
        public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutive, boolean served) {
            failures.add(failure);
            texts.add("failed " + manager + " " + consecutive + " " + served);
        }

        @Override
        public void retryScheduled(String manager, Duration delay, int consecutive) {
            retries.add(delay);
            texts.add("retry " + manager + " " + delay + " " + consecutive);
        }

        @Override
        public void reauthenticationRequired(String manager, ReauthenticationRequiredException failure) {
            reauthentications.incrementAndGet();
            failures.add(failure);
            texts.add("reauthenticate " + manager);
        }

        BigLedgerAuthException lastFailure() {
            assertThat(failures).as("a failure was reported").isNotEmpty();
            return failures.get(failures.size() - 1);
        }

        Duration lastRetry() {
            assertThat(retries).as("a retry was scheduled").isNotEmpty();
            return retries.get(retries.size() - 1);
        }

        void assertNoSecret() {
            for (String text : texts) {
                assertThat(Canary.leaksIn(text)).as("a secret in an event").isFalse();
            }
            for (BigLedgerAuthException failure : failures) {
                assertNoSecretIn(failure);
            }
        }

        void assertNoSecretIn(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(Canary.leaksIn(t.getMessage()) || Canary.leaksIn(t.toString()))
                        .as("a secret in the message of a %s", t.getClass().getName()).isFalse();
            }
        }
    }

    /**
     * Sends every request through a real JDK client: to the fake endpoint, or while {@link #divertTo} is set, to
     * another port of 127.0.0.1 with no usable server, which is how the connect faults are made without leaving
     * loopback. While the endpoint is {@link #healthy}, a request gets {@link #HEALTHY_TIMEOUT} instead of the
     * OAuth client's short read-timeout fault setting, so that a slow test machine cannot fail a request meant to
     * succeed.
     */
    private static final class RoutedHttpClient extends ForwardingHttpClient {
        final AtomicInteger sent = new AtomicInteger();
        volatile int divertTo;
        volatile boolean healthy = true;

        RoutedHttpClient() {
            super(http);
        }

        private HttpClient client() {
            return divertTo == unacceptingPort.getLocalPort() ? impatient : delegate;
        }

        private HttpRequest route(HttpRequest request) {
            sent.incrementAndGet();
            int port = divertTo;
            if (port == 0 && !healthy) {
                return request;
            }
            HttpRequest.Builder routed = HttpRequest.newBuilder(request, (name, value) -> true);
            if (healthy) {
                routed.timeout(HEALTHY_TIMEOUT);
            }
            if (port != 0) {
                URI uri = request.uri();
                routed.uri(URI.create(uri.getScheme() + "://" + uri.getHost() + ":" + port + uri.getRawPath()));
            }
            return routed.build();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            HttpClient client = client();
            return client.send(route(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler) {
            HttpClient client = client();
            return client.sendAsync(route(request), handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            HttpClient client = client();
            return client.sendAsync(route(request), handler, pushPromiseHandler);
        }
    }
}
