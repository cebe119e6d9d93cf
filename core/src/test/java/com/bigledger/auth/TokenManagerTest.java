package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenManagerTest extends ManagerFixture {

    private static final long LIFETIME = 3600;

    private OAuthClient client() {
        return OAuthClient.builder()
                .tokenEndpoint(endpoint.uri())
                .clientId("test-client")
                .clientSecret(Canary.secret(""))
                .allowInsecureLoopback(true)
                .build();
    }

    private TokenManagerBuilder builder() {
        return onFakeTime(new TokenListener() {
            @Override
            public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutive,
                    boolean served) {
                events.add("failed " + failure.getClass().getSimpleName() + " retryable="
                        + failure.retryable() + " served=" + served);
            }

            @Override
            public void retryScheduled(String manager, Duration delay, int consecutive) {
                events.add("retry");
            }

            @Override
            public void reauthenticationRequired(String manager, ReauthenticationRequiredException e) {
                events.add("reauthenticate");
            }

            @Override
            public void writeBackFailed(String manager, CredentialRef ref, RuntimeException e,
                    Duration retryIn) {
                events.add("write-back failed");
            }
        }).client(client());
    }

    private static String accessToken() {
        return Canary.value("blg_oauth_at_");
    }

    @Test
    void freshTokenIsServedFromCacheWithoutRequests() throws Exception {
        String value = accessToken();
        endpoint.enqueue(Response.token(value, LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());

        AccessToken token = fetch(manager);
        assertThat(token.reveal()).isEqualTo(value);
        assertThat(token.expiresAt()).isEqualTo(clock.instant().plusSeconds(LIFETIME));
        for (int i = 0; i < 1000; i++) {
            assertThat(manager.token(Duration.ZERO)).isSameAs(token);
        }
        assertThat(manager.asStringSupplier().get()).isSameAs(manager.asStringSupplier().get());
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
        assertThat(manager.toString()).doesNotContain(value);
        assertThat(token.toString()).doesNotContain(value).contains("blg_oauth_at_");
    }

    @Test
    void aListenerAddedAfterBuildHearsRefreshesUntilRemovedAndExpiryIsReadWithoutBlocking() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME), Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        List<Instant> heard = new CopyOnWriteArrayList<>();
        AutoCloseable registration = manager.addListener(new TokenListener() {
            @Override
            public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                heard.add(expiresAt);
            }
        });
        assertThat(manager.expiresAt()).isEmpty();

        AccessToken first = fetch(manager);

        assertThat(manager.expiresAt()).contains(first.expiresAt());
        assertThat(heard).containsExactly(first.expiresAt());
        registration.close();
        manager.invalidate(first);
        AccessToken second = fetch(manager);
        assertThat(second).isNotSameAs(first);
        assertThat(manager.expiresAt()).contains(second.expiresAt());
        assertThat(heard).hasSize(1);
    }

    @Test
    void fiveHundredTwelveCallersOnAnExpiredTokenCauseOneRequest() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME), Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        AccessToken first = fetch(manager);

        // The machine slept past the expiry: the first timer to fire finds the token expired and drops it.
        scheduler.advance(Duration.ofSeconds(LIFETIME));
        assertThat(manager.state()).isEqualTo(TokenManager.State.EXPIRED);
        assertThatThrownBy(() -> manager.token(Duration.ZERO)).isInstanceOf(TokenRefreshException.class);

        int callers = 512;
        List<Future<AccessToken>> results = Callers.startAll(threads, callers,
                () -> manager.token(Duration.ofSeconds(60)));
        scheduler.runDue();
        AccessToken second = results.get(0).get(30, TimeUnit.SECONDS);
        assertThat(second).isNotSameAs(first);
        for (Future<AccessToken> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(second);
        }
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void refreshStartsAheadOfExpiryAndNoCallerWaitsForIt() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        AccessToken first = fetch(manager);

        CountDownLatch release = new CountDownLatch(1);
        endpoint.enqueue(Response.token(accessToken(), LIFETIME).holdUntil(release));
        // The larger of 5 minutes and 10% of an hour is 6 minutes before expiry.
        clock.advance(Duration.ofSeconds(LIFETIME).minusMinutes(6));
        assertServesTheOldTokenWhileTheRefreshIsOut(manager, first, () -> endpoint.requestCount() >= 2, release);
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void failingEndpointWithAnExpiredTokenMakesOneRequestPerAttemptForTwoHundredWaiters() throws Exception {
        endpoint.dispatcher(request -> Response.status(503));
        TokenManager manager = track(builder().clientCredentials().build());
        int callers = 200;
        List<Future<Throwable>> results = Callers.startAllCatching(threads, callers,
                () -> manager.token(Duration.ofSeconds(2)));
        scheduler.awaitQueued(1);
        scheduler.runDue();
        assertThat(endpoint.requestCount()).isEqualTo(1);
        for (int attempt = 2; attempt <= 4; attempt++) {
            scheduler.advance(Duration.ofSeconds(30));
            assertThat(endpoint.requestCount()).isEqualTo(attempt);
        }
        for (Future<Throwable> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(TokenRefreshException.class)
                    .hasMessageContaining("no access token within 2s");
        }
    }

    @Test
    void temporaryFailuresKeepTheValidTokenServedWithBackoffNotOneAttemptPerCall() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        AccessToken token = fetch(manager);
        endpoint.dispatcher(request -> Response.status(500));

        clock.advance(Duration.ofSeconds(LIFETIME).minusMinutes(6));
        scheduler.runDue();
        assertThat(endpoint.requestCount()).isEqualTo(2);
        for (int i = 0; i < 10_000; i++) {
            assertThat(manager.token(Duration.ZERO)).isSameAs(token);
        }
        assertThat(endpoint.requestCount()).isEqualTo(2);
        assertThat(events).contains("failed TokenRefreshException retryable=true served=true", "retry");
    }

    @Test
    void invalidGrantStopsRefreshingAndRequiresReauthentication() throws Exception {
        String refreshToken = Canary.value("blg_oauth_rt_");
        endpoint.enqueue(Response.oauthError(400, "invalid_grant", "Refresh token revoked"));
        TokenManager manager = track(builder().refreshToken(Secret.of(refreshToken)).build());

        assertThatThrownBy(() -> fetch(manager))
                .cause()
                .isInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageNotContaining(refreshToken);
        assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
        assertThat(events).contains("reauthenticate");
        scheduler.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> manager.token(Duration.ZERO)).isInstanceOf(ReauthenticationRequiredException.class);
        assertThat(endpoint.requestCount()).isEqualTo(1);

        endpoint.enqueue(Response.token(accessToken(), LIFETIME));
        manager.refreshNow();
        scheduler.runDue();
        assertThat(manager.token(Duration.ZERO)).isNotNull();
        assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
    }

    @Test
    void aThousandInvalidationsOfOneSeenTokenCauseOneRefresh() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME), Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        AccessToken seen = fetch(manager);

        List<Future<Boolean>> invalidations = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            invalidations.add(threads.submit(() -> manager.invalidate(seen.reveal())));
        }
        for (Future<Boolean> invalidation : invalidations) {
            invalidation.get(30, TimeUnit.SECONDS);
        }
        scheduler.runDue();
        assertThat(endpoint.requestCount()).isEqualTo(2);
        AccessToken next = manager.token(Duration.ZERO);
        assertThat(next).isNotSameAs(seen);
        assertThat(manager.invalidate(seen)).isFalse();
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void tenRotationsAreEachWrittenBackBeforeTheTokenIsHandedOut() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        String initial = Canary.value("blg_oauth_rt_");
        CredentialRef ref = store.put("bigledger", Secret.of("{\"refresh_token\":\"" + initial + "\"}"))
                .withField("refresh_token");
        // The vault runs its loads on real threads: the fake scheduler's only thread is busy running the refresh.
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        List<String> issued = new CopyOnWriteArrayList<>();
        issued.add(initial);
        AtomicInteger writesSeenBeforeHandOut = new AtomicInteger();
        endpoint.dispatcher(request -> {
            String presented = request.params().get("refresh_token");
            if (!presented.equals(issued.get(issued.size() - 1))) {
                return Response.oauthError(400, "invalid_grant", "refresh token already used");
            }
            String next = Canary.value("blg_oauth_rt_");
            issued.add(next);
            return Response.token(accessToken(), LIFETIME, next);
        });
        TokenManager manager = track(builder().refreshToken(vault, ref).build());

        for (int rotation = 1; rotation <= 10; rotation++) {
            AccessToken token = rotation == 1 ? fetch(manager) : manager.token(Duration.ZERO);
            if (rotation > 1) {
                assertThat(manager.invalidate(token)).isTrue();
                token = fetch(manager);
            }
            VersionedSecret stored = store.load(ref);
            if (stored.secret().reveal().equals(issued.get(issued.size() - 1))) {
                writesSeenBeforeHandOut.incrementAndGet();
            }
            assertThat(stored.version()).contains(Integer.toString(rotation + 1));
        }
        assertThat(writesSeenBeforeHandOut).hasValue(10);
        assertThat(issued).hasSize(11);
        assertThat(endpoint.requestCount()).isEqualTo(10);
        vault.close();
    }

    @Test
    void failedWriteBackKeepsTheRotatedTokenInMemoryAndRetriesTheWrite() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        String initial = Canary.value("blg_oauth_rt_");
        CredentialRef ref = store.put("rt", Secret.of(initial));
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        String rotated = Canary.value("blg_oauth_rt_");
        String rotatedAgain = Canary.value("blg_oauth_rt_");
        endpoint.enqueue(Response.token(accessToken(), LIFETIME, rotated),
                Response.token(accessToken(), LIFETIME, rotatedAgain));
        TokenManager manager = track(builder().refreshToken(vault, ref).build());

        // The refresh token is read (and cached by the vault) before the store goes down; the write then fails.
        vault.resolve(ref);
        store.down(true);
        AccessToken token = fetch(manager);
        assertThat(token).isNotNull();
        assertThat(events).contains("write-back failed");

        // The next refresh uses the rotated token held in memory.
        manager.invalidate(token);
        scheduler.runDue();
        assertThat(endpoint.requests().get(1).params().get("refresh_token")).isEqualTo(rotated);

        store.down(false);
        scheduler.advance(Duration.ofMinutes(10));
        assertThat(store.load(ref).secret().reveal()).isEqualTo(rotatedAgain);
        assertThat(store.load(ref).version()).contains("2");
        vault.close();
    }

    @Test
    void writeBackConflictFromAnotherFieldIsMergedAndTheRotatedTokenWritten() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        String initial = Canary.value("blg_oauth_rt_");
        String clientSecret = Canary.value("cs_");
        CredentialRef whole = store.put("bigledger", Secret.of("{\"refresh_token\":\"" + initial
                + "\",\"client_secret\":\"" + clientSecret + "\"}"));
        CredentialRef ref = whole.withField("refresh_token");
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        String rotated = Canary.value("blg_oauth_rt_");
        endpoint.enqueue(Response.token(accessToken(), LIFETIME, rotated));
        List<String> merged = new CopyOnWriteArrayList<>();
        TokenManager manager = track(builder().refreshToken(vault, ref).addListener(new TokenListener() {
            @Override
            public void writeBackConflictMerged(String manager, CredentialRef at, java.util.Optional<String> version) {
                merged.add(at + "@" + version.orElse("-"));
            }
        }).build());

        // The refresh token is read at version 1; then another writer changes another field of the same secret.
        vault.resolve(ref);
        String newClientSecret = Canary.value("cs_");
        store.write(whole.withField("client_secret"), Secret.of(newClientSecret), java.util.Optional.empty());
        fetch(manager);

        assertThat(store.load(ref).secret().reveal()).isEqualTo(rotated);
        assertThat(store.load(whole.withField("client_secret")).secret().reveal()).isEqualTo(newClientSecret);
        assertThat(merged).containsExactly(ref + "@3");
        vault.close();
    }

    @Test
    void writeBackConflictWithANewerTokenFromAnotherWriterKeepsTheStoredOneAndReportsIt() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("bigledger", Secret.of("{\"refresh_token\":\"" + Canary.value("blg_oauth_rt_")
                + "\"}")).withField("refresh_token");
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        endpoint.enqueue(Response.token(accessToken(), LIFETIME, Canary.value("blg_oauth_rt_")));
        List<String> conflicts = new CopyOnWriteArrayList<>();
        TokenManager manager = track(builder().refreshToken(vault, ref).addListener(new TokenListener() {
            @Override
            public void writeBackConflict(String manager, CredentialRef at, java.util.Optional<String> version) {
                conflicts.add(version.orElse("-"));
            }
        }).build());

        vault.resolve(ref);
        String theirs = Canary.value("blg_oauth_rt_");
        store.write(ref, Secret.of(theirs), java.util.Optional.empty());
        fetch(manager);

        assertThat(store.load(ref).secret().reveal()).isEqualTo(theirs);
        assertThat(conflicts).containsExactly("2");
        vault.close();
    }

    @Test
    void closeDuringARefreshWaitsForItAndWritesTheRotatedTokenBack() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("rt", Secret.of(Canary.value("blg_oauth_rt_")));
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        String rotated = Canary.value("blg_oauth_rt_");
        CountDownLatch release = new CountDownLatch(1);
        endpoint.enqueue(Response.token(accessToken(), LIFETIME, rotated).holdUntil(release));
        TokenManager manager = track(builder().refreshToken(vault, ref).build());

        Future<AccessToken> caller = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        Future<?> closing = threads.submit(() -> {
            endpoint.takeRequest();
            manager.close();
            return null;
        });
        Future<?> releasing = threads.submit(() -> {
            // close() has begun once the state says so; the response is held until then.
            while (manager.state() != TokenManager.State.CLOSED) {
                Thread.onSpinWait();
            }
            release.countDown();
            return null;
        });
        scheduler.runUntilDone(closing);
        releasing.get();

        assertThat(store.load(ref).secret().reveal()).isEqualTo(rotated);
        assertThatThrownBy(caller::get).hasCauseInstanceOf(IllegalStateException.class);
        vault.close();
    }

    @Test
    void closedManagerFailsFast() throws Exception {
        endpoint.enqueue(Response.token(accessToken(), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        fetch(manager);
        manager.close();
        assertThatThrownBy(manager::token).isInstanceOf(IllegalStateException.class);
        assertThat(manager.state()).isEqualTo(TokenManager.State.CLOSED);
    }
}
