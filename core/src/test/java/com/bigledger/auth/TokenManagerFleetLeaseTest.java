package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fleet mode around the lease: two managers of one process contending for it, the lease lost between taking it and
 * the double check, too little of it left to send a request, a store that keeps changing the record, the new
 * record's write meeting a takeover or a newer generation, and the shared circuit breaker's bookkeeping when the
 * holder refreshes (successes, failures, an open breaker, a request that dies with an {@code Error}).
 *
 * <p>The store is the in-memory one behind a {@link ScriptedStore}, which can make the next writes conflict (another
 * writer rewrote the record first) or run something right after a write lands (another process acting, the clock
 * moving on).
 */
class TokenManagerFleetLeaseTest extends FleetFixture<TokenManagerFleetLeaseTest.ScriptedStore> {

    private static final String OTHER = "4242/other";

    private final ScriptedStore scripted = source;

    TokenManagerFleetLeaseTest() {
        super(ScriptedStore::new);
    }

    /** The in-memory store, with writes that can be made to conflict and actions run right after a write lands. */
    static final class ScriptedStore extends CompareAndSetMemoryStore {
        /** How many of the next writes find that another writer rewrote the entry first. */
        final AtomicInteger conflicts = new AtomicInteger();
        /** Run once, right after the next write that lands. */
        volatile Runnable afterNextWrite;

        ScriptedStore(InMemoryCredentialSource delegate) {
            super(delegate);
        }

        @Override
        public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
            writes.incrementAndGet();
            if (conflicts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                // Another writer wrote the same content first: only the version moved.
                delegate.put(ref.path(), delegate.load(ref).secret());
            }
            WriteResult result = delegate.write(ref, value, expectedVersion);
            Runnable after = afterNextWrite;
            if (result.isWritten() && after != null) {
                afterNextWrite = null;
                after.run();
            }
            return result;
        }
    }

    /** The JDK's client, but the first request dies with an {@link InjectedError} before it is sent. */
    private static final class FirstRequestDies extends ForwardingHttpClient {
        final AtomicBoolean died = new AtomicBoolean();

        FirstRequestDies() {
            super(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build());
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
                throws IOException, InterruptedException {
            if (died.compareAndSet(false, true)) {
                throw new InjectedError();
            }
            return delegate.send(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler) {
            if (died.compareAndSet(false, true)) {
                throw new InjectedError();
            }
            return delegate.sendAsync(request, handler);
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push) {
            if (died.compareAndSet(false, true)) {
                throw new InjectedError();
            }
            return delegate.sendAsync(request, handler, push);
        }
    }

    /** An {@code Error} made on purpose (as "unable to create native thread" would be, in production). */
    private static final class InjectedError extends Error {
        private static final long serialVersionUID = 1L;

        InjectedError() {
            super("injected on purpose");
        }
    }

    private TokenManagerBuilder builder(OAuthClient client, FakeScheduler on, List<String> log) {
        return onFakeTime(on, new TokenListener() {
            @Override
            public void leaseTaken(String m, CredentialRef r, Instant until, boolean takenOver) {
                log.add(takenOver ? "lease taken over" : "lease taken");
            }

            @Override
            public void leaseLost(String m, CredentialRef r) {
                log.add("lease lost");
            }

            @Override
            public void refreshStarted(String m, boolean tokenStillServed) {
                log.add("refresh started");
            }

            @Override
            public void refreshFailed(String m, BigLedgerAuthException failure, int consecutiveFailures,
                    boolean tokenStillServed) {
                log.add("failed: " + failure.getMessage());
            }

            @Override
            public void writeBackSucceeded(String m, CredentialRef r, Optional<String> version) {
                log.add("written");
            }

            @Override
            public void writeBackConflictMerged(String m, CredentialRef r, Optional<String> version) {
                log.add("merged");
            }

            @Override
            public void writeBackFailed(String m, CredentialRef r, RuntimeException failure,
                    Duration retryIn) {
                log.add("write failed");
            }

            @Override
            public void recordAdopted(String m, CredentialRef r, long generation, boolean accessToken) {
                log.add("adopted " + generation);
            }
        }).client(client).tokenRecord(vault, record);
    }

    private TokenManager manager() {
        return track(builder(client().build(), scheduler, events).build());
    }

    /** A manager over a freshly issued refresh token in the record, with the endpoint answering as {@code answer}. */
    private TokenManager managerAnswering(Function<FakeTokenEndpoint.RecordedRequest, Response> answer) {
        storeIssuedRefreshToken();
        endpoint.dispatcher(answer);
        return manager();
    }

    private long count(String event) {
        return events.stream().filter(event::equals).count();
    }

    private void assertNoTimerWithin(Duration window) {
        assertThat(scheduler.queuedDelays()).allSatisfy(delay -> assertThat(delay).isGreaterThan(window));
    }

    // Two managers of one process.

    @Test
    void aSecondManagerOfTheSameProcessWaitsForTheHoldersRecordInsteadOfTakingItsLease() throws Exception {
        storeIssuedRefreshToken();
        CountDownLatch firstRequestIn = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger requests = new AtomicInteger();
        endpoint.dispatcher(request -> {
            if (requests.incrementAndGet() == 1) {
                firstRequestIn.countDown();
                try {
                    answer.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return issuer.apply(request);
        });
        FakeScheduler secondScheduler = new FakeScheduler(clock);
        List<String> secondEvents = new CopyOnWriteArrayList<>();
        TokenManager first = manager();
        TokenManager second = track(builder(client().build(), secondScheduler, secondEvents).build());

        Future<?> firstLoad;
        String holder;
        try {
            assertThat(catchThrowable(() -> first.token(Duration.ZERO))).isInstanceOf(BigLedgerAuthException.class);
            firstLoad = threads.submit(scheduler::runDue);
            // A liveness bound, not a timing assertion: the first request arrives.
            assertThat(firstRequestIn.await(30, TimeUnit.SECONDS)).isTrue();
            holder = stored().lease.holder;

            // The first manager's request is out, under its lease: the second one, in the same process, must see
            // that lease as another's.
            loadOnce(second, secondScheduler);

            assertThat(requests.get()).isEqualTo(1);
            assertThat(secondEvents).doesNotContain("lease taken", "lease taken over", "refresh started");
            assertThat(stored().lease.holder).isEqualTo(holder);
        } finally {
            answer.countDown();
        }
        firstLoad.get(30, TimeUnit.SECONDS);
        assertThat(holder).startsWith(ProcessHandle.current().pid() + "/");
        assertThat(stored().generation).isEqualTo(2);
        assertThat(stored().lease).isNull();

        // The second manager looks at the record again after the poll interval and adopts the first one's token.
        secondScheduler.advance(Duration.ofMillis(200));
        assertThat(second.token(Duration.ZERO).reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(first.token(Duration.ZERO).reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(requests.get()).isEqualTo(1);
        assertThat(secondEvents).contains("adopted 2").doesNotContain("lease taken", "refresh started");
    }

    // The lease lost or too short.

    @Test
    void leaseTakenOverBetweenTakingItAndTheDoubleCheckIsReportedLostAndNoRequestIsSent() throws Exception {
        String refresh = storeIssuedRefreshToken();
        endpoint.dispatcher(issuer);
        TokenManager manager = manager();
        // Right after this manager's lease write lands, another process writes its own lease over it.
        scripted.afterNextWrite = () -> store.put("token_record", TokenRecord.ofRefreshToken(1, Secret.of(refresh))
                .withLease(new TokenRecord.Lease(OTHER, clock.instant().plusSeconds(90))).encode());

        loadOnce(manager, scheduler);

        assertThat(events).containsSubsequence("lease taken", "lease lost");
        assertThat(events).doesNotContain("refresh started");
        assertThat(endpoint.requestCount()).isZero();
        assertThat(stored().lease.holder).isEqualTo(OTHER);
        assertThat(stored().generation).isEqualTo(1);
        assertThat(issuer.isLive(refresh)).isTrue();
    }

    @Test
    void leaseWithExactlyTheRequestTimeoutLeftAtTheDoubleCheckIsUsedForTheRequest() throws Exception {
        storeIssuedRefreshToken();
        endpoint.dispatcher(issuer);
        Duration requestTimeout = Duration.ofSeconds(10);
        TokenManager manager = track(builder(client().requestTimeout(requestTimeout).build(), scheduler, events)
                .leaseTtl(requestTimeout.plusSeconds(1)).build());
        // The store is slow: the lease write lands a second later by the clock, leaving exactly the request timeout.
        scripted.afterNextWrite = () -> clock.advance(Duration.ofSeconds(1));

        loadOnce(manager, scheduler);

        assertThat(count("lease taken")).isEqualTo(1);
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(stored().generation).isEqualTo(2);
        assertThat(manager.token(Duration.ZERO).reveal()).isEqualTo(issuer.accessTokens().get(0));
    }

    @Test
    void leaseWithLessThanTheRequestTimeoutLeftAtTheDoubleCheckIsTakenAfreshBeforeTheRequest() throws Exception {
        storeIssuedRefreshToken();
        endpoint.dispatcher(issuer);
        Duration requestTimeout = Duration.ofSeconds(10);
        TokenManager manager = track(builder(client().requestTimeout(requestTimeout).build(), scheduler, events)
                .leaseTtl(requestTimeout.plusSeconds(1)).build());
        scripted.afterNextWrite = () -> clock.advance(Duration.ofMillis(1001));

        loadOnce(manager, scheduler);

        assertThat(count("lease taken")).isEqualTo(2);
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(stored().generation).isEqualTo(2);
        assertThat(stored().lease).isNull();
    }

    @Test
    void recordThatChangesAtEveryLeaseWriteMakesTheLoadGiveUpAfterSixteenRoundsWithoutARequest() throws Exception {
        TokenManager manager = managerAnswering(issuer);
        int before = scripted.writes.get();
        scripted.conflicts.set(16);

        loadOnce(manager, scheduler);

        assertThat(scripted.writes.get() - before).isEqualTo(16);
        assertThat(endpoint.requestCount()).isZero();
        assertThat(events).doesNotContain("lease taken");
        assertThat(events).anyMatch(e -> e.startsWith("failed: ") && e.contains("kept changing"));
    }

    @Test
    void recordThatChangesAtFifteenLeaseWritesStillGetsTheLeaseOnTheSixteenth() throws Exception {
        TokenManager manager = managerAnswering(issuer);
        scripted.conflicts.set(15);

        loadOnce(manager, scheduler);

        assertThat(count("lease taken")).isEqualTo(1);
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(stored().generation).isEqualTo(2);
    }

    // The new record's write.

    @Test
    void writeThatConflictsAsOftenAsMergesAllowedStillLandsMerged() throws Exception {
        TokenManager manager = managerAnswering(request -> {
            // While the holder's request is out, other writers keep rewriting the secret.
            scripted.conflicts.set(RefreshTokenWriteBack.MAX_MERGES);
            return issuer.apply(request);
        });

        AccessToken token = fetch(manager);

        assertThat(events).contains("merged").doesNotContain("written", "write failed", "lease lost");
        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(2);
        assertThat(after.accessToken.reveal()).isEqualTo(token.reveal());
        assertThat(issuer.isLive(after.refreshToken.reveal())).isTrue();
        assertThat(after.lease).isNull();
    }

    @Test
    void writeThatConflictsMoreOftenThanMergesAllowedIsRetriedLater() throws Exception {
        TokenManager manager = managerAnswering(request -> {
            scripted.conflicts.set(RefreshTokenWriteBack.MAX_MERGES + 1);
            return issuer.apply(request);
        });

        AccessToken token = fetch(manager);

        assertThat(events).contains("write failed").doesNotContain("written", "merged");
        assertThat(stored().generation).isEqualTo(1);
        scheduler.advance(Duration.ofMillis(1200));
        assertThat(stored().generation).isEqualTo(2);
        assertThat(stored().accessToken.reveal()).isEqualTo(token.reveal());
        assertThat(events).contains("written");
    }

    @Test
    void leaseTakenOverDuringTheRequestIsReportedLostAndTheNewerRecordIsStillWritten() throws Exception {
        String refresh = storeIssuedRefreshToken();
        endpoint.dispatcher(request -> {
            // The holder stalled past its lease: another process took it over but has not written yet.
            store.put("token_record", TokenRecord.ofRefreshToken(1, Secret.of(refresh))
                    .withLease(new TokenRecord.Lease(OTHER, clock.instant().plusSeconds(90))).encode());
            return issuer.apply(request);
        });
        TokenManager manager = manager();

        AccessToken token = fetch(manager);

        assertThat(events).containsSubsequence("lease taken", "lease lost", "written");
        assertThat(events).doesNotContain("merged", "write failed");
        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(2);
        assertThat(after.accessToken.reveal()).isEqualTo(token.reveal());
        assertThat(issuer.isLive(after.refreshToken.reveal())).isTrue();
        assertThat(after.lease).isNull();
    }

    @Test
    void newerGenerationWrittenDuringTheRequestIsKeptAndTheOwnRecordDropped() throws Exception {
        storeIssuedRefreshToken();
        Secret theirRefresh = Canary.secret("blg_oauth_rt_");
        Secret theirAccess = Canary.secret("blg_oauth_at_");
        endpoint.dispatcher(request -> {
            store.put("token_record", new TokenRecord(2, theirRefresh, theirAccess, clock.instant(),
                    clock.instant().plusSeconds(LIFETIME), Set.of(), null).encode());
            return issuer.apply(request);
        });
        TokenManager manager = manager();

        AccessToken token = fetch(manager);

        assertThat(token.reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(events).containsSubsequence("lease taken", "lease lost");
        assertThat(events).doesNotContain("written", "merged", "write failed");
        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(2);
        assertThat(after.refreshToken).isEqualTo(theirRefresh);
        assertThat(after.accessToken).isEqualTo(theirAccess);
        // Nothing is left to retry: no timer before the token's own refresh.
        assertNoTimerWithin(Duration.ofMinutes(10));
    }

    @Test
    void pendingRecordWrittenByTheNextRefreshCancelsItsRetry() throws Exception {
        storeIssuedRefreshToken();
        String kept = Canary.value("blg_oauth_rt_");
        AtomicInteger requests = new AtomicInteger();
        // A server that does not insist on rotation: it accepts the refresh token the store still holds.
        endpoint.dispatcher(request -> {
            if (requests.incrementAndGet() == 1) {
                store.down(true);
            }
            return Response.token(Canary.value("blg_oauth_at_"), LIFETIME, kept);
        });
        TokenManager manager = manager();
        fetch(manager);
        assertThat(events).contains("write failed");
        store.down(false);

        manager.refreshNow();
        scheduler.runDue();

        // The refresh wrote the pending record first and adopted its still-valid access token: no second request.
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(stored().generation).isEqualTo(2);
        assertThat(stored().refreshToken.reveal()).isEqualTo(kept);
        assertThat(stored().accessToken.reveal()).isEqualTo(manager.token(Duration.ZERO).reveal());
        assertNoTimerWithin(Duration.ofMinutes(10));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(count("written")).isEqualTo(1);
    }

    @Test
    void refreshWhileTheNewRecordIsStillUnwrittenWritesItFirstAndNeverPresentsTheRetiredRefreshToken() throws Exception {
        storeIssuedRefreshToken();
        AtomicInteger requests = new AtomicInteger();
        endpoint.dispatcher(request -> {
            if (requests.incrementAndGet() == 1) {
                store.down(true);
            }
            return issuer.apply(request);
        });
        TokenManager manager = manager();
        fetch(manager);
        assertThat(events).contains("write failed");
        store.down(false);

        // Before the write's retry is due, the token is refreshed again (here on demand; the refresh timer or an
        // invalidated token does the same).
        manager.refreshNow();
        scheduler.runDue();

        // That refresh wrote the pending record first, and adopted its still-valid access token.
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(stored().generation).isEqualTo(2);
        assertThat(issuer.isLive(stored().refreshToken.reveal())).isTrue();
        // The next request, once the API refuses that token, presents the rotated refresh token.
        AccessToken first = manager.token(Duration.ZERO);
        assertThat(manager.invalidate(first)).isTrue();
        fetch(manager);

        assertThat(endpoint.requestCount()).isEqualTo(2);
        String presented = endpoint.requests().get(1).params().get("refresh_token");
        assertThat(presented.equals(issuer.refreshTokens().get(0)))
                .as("the second request presents the retired refresh token still in the store").isFalse();
        assertThat(presented.equals(issuer.refreshTokens().get(1)))
                .as("the second request presents the rotated refresh token the manager holds").isTrue();
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
        assertThat(manager.token(Duration.ZERO).reveal()).isEqualTo(issuer.accessTokens().get(1));
        assertThat(stored().generation).isEqualTo(3);
    }

    @Test
    void refreshWhileTheNewRecordStillCannotBeWrittenSendsNothingAndKeepsServingTheToken() throws Exception {
        TokenManager manager = managerAnswering(request -> {
            store.down(true);
            return issuer.apply(request);
        });
        AccessToken served = fetch(manager);
        assertThat(events).contains("write failed");

        // The store is still down when the token is refreshed again: no request with the store's retired token.
        manager.refreshNow();
        scheduler.runDue();

        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(manager.token(Duration.ZERO).reveal()).isEqualTo(served.reveal());
        assertThat(manager.state()).isNotEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
        store.down(false);
        manager.close();
        assertThat(stored().generation).isEqualTo(2);
        assertThat(issuer.isLive(stored().refreshToken.reveal())).isTrue();
    }

    @Test
    void closeWithARecordRetryPendingWritesTheRecordAndLeavesNoTimerBehind() throws Exception {
        TokenManager manager = managerAnswering(request -> {
            store.down(true);
            return issuer.apply(request);
        });
        fetch(manager);
        assertThat(events).contains("write failed");
        store.down(false);

        manager.close();
        scheduler.runDue();

        assertThat(stored().generation).isEqualTo(2);
        scheduler.assertNoMoreTasks();
    }

    // The shared circuit breaker, in fleet mode.

    @Test
    void successfulRefreshAsHolderIsCountedOnceByTheBreakerAsAFastSuccess() throws Exception {
        TokenManager manager = managerAnswering(issuer);

        fetch(manager);

        CircuitBreaker.Metrics metrics = manager.circuitBreaker().getMetrics();
        assertThat(metrics.getNumberOfSuccessfulCalls()).isEqualTo(1);
        assertThat(metrics.getNumberOfFailedCalls()).isZero();
        assertThat(metrics.getNumberOfSlowCalls()).isZero();
    }

    @Test
    void temporaryFailureOfTheHoldersRequestIsCountedOnceByTheBreakerAsAFastFailure() throws Exception {
        TokenManager manager = managerAnswering(
                request -> Response.oauthError(503, "temporarily_unavailable", "try later"));

        loadOnce(manager, scheduler);

        CircuitBreaker.Metrics metrics = manager.circuitBreaker().getMetrics();
        assertThat(metrics.getNumberOfFailedCalls()).isEqualTo(1);
        assertThat(metrics.getNumberOfSuccessfulCalls()).isZero();
        assertThat(metrics.getNumberOfSlowCalls()).isZero();
    }

    @Test
    void refusedRefreshTokenIsCountedByTheBreakerAsAnAnswerNotAFailure() throws Exception {
        TokenManager manager = managerAnswering(
                request -> Response.oauthError(400, "invalid_grant", "refresh token revoked"));

        loadOnce(manager, scheduler);

        // The breaker records temporary failures only: a refusal is the endpoint working.
        CircuitBreaker.Metrics metrics = manager.circuitBreaker().getMetrics();
        assertThat(metrics.getNumberOfBufferedCalls()).isEqualTo(1);
        assertThat(metrics.getNumberOfFailedCalls()).isZero();
        assertThat(metrics.getNumberOfSlowCalls()).isZero();
        assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
    }

    @Test
    void unusableAnswerIsCountedOnceByTheBreakerAsAFastCall() throws Exception {
        TokenManager manager = managerAnswering(
                request -> Response.json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600}"));

        loadOnce(manager, scheduler);

        CircuitBreaker.Metrics metrics = manager.circuitBreaker().getMetrics();
        assertThat(metrics.getNumberOfBufferedCalls()).isEqualTo(1);
        assertThat(metrics.getNumberOfSlowCalls()).isZero();
        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void openBreakerGivesTheLeaseBackAtOnceAndSendsNothing() throws Exception {
        String refresh = storeIssuedRefreshToken();
        endpoint.dispatcher(issuer);
        TokenManager manager = manager();
        manager.circuitBreaker().transitionToOpenState();

        loadOnce(manager, scheduler);

        assertThat(endpoint.requestCount()).isZero();
        assertThat(events).contains("lease taken").doesNotContain("refresh started");
        assertThat(events).anyMatch(e -> e.startsWith("failed: ") && e.contains("circuit breaker is open"));
        TokenRecord after = stored();
        assertThat(after.lease).isNull();
        assertThat(after.generation).isEqualTo(1);
        assertThat(after.refreshToken.reveal()).isEqualTo(refresh);
    }

    @Test
    void requestThatDiesWithAnErrorGivesTheHalfOpenBreakersTrialBack() throws Exception {
        storeIssuedRefreshToken();
        endpoint.dispatcher(issuer);
        FirstRequestDies http = new FirstRequestDies();
        TokenManager manager = track(builder(client().httpClient(http).build(), scheduler, events).build());
        // Half open: one trial request is let through.
        manager.circuitBreaker().transitionToOpenState();
        manager.circuitBreaker().transitionToHalfOpenState();

        assertThat(catchThrowable(() -> manager.token(Duration.ZERO))).isInstanceOf(BigLedgerAuthException.class);
        // The load's worker sees the Error itself (here the scheduler's thread, which is this one).
        assertThat(catchThrowable(scheduler::runDue)).isInstanceOf(InjectedError.class);
        scheduler.runDue();
        assertThat(http.died).isTrue();
        assertThat(endpoint.requestCount()).isZero();

        // The trial was not used up by the request that never went out: the next refresh sends it.
        manager.refreshNow();
        scheduler.runDue();

        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(events).doesNotContain("lease taken over");
        assertThat(manager.token(Duration.ZERO).reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(manager.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
