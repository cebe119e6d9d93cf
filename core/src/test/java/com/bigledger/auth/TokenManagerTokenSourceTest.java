package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.oauth.TokenSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TokenManagerTokenSourceTest extends ManagerFixture {

    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final URI ENDPOINT = URI.create("https://auth.example.test/oauth/token");

    /** A source that names its endpoint, so that the manager needs no client. */
    private static TokenSource named(TokenSource source) {
        return new TokenSource() {
            @Override
            public TokenResponse fetch(Request request) throws IOException {
                return source.fetch(request);
            }

            @Override
            public Optional<URI> endpoint() {
                return Optional.of(ENDPOINT);
            }
        };
    }

    private static TokenResponse token(String accessToken) {
        return TokenResponse.builder().accessToken(Secret.of(accessToken)).expiresIn(LIFETIME).build();
    }

    private TokenManagerBuilder builder(TokenSource source) {
        return onFakeTime(new TokenListener() {
            @Override
            public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutive,
                    boolean served) {
                events.add("failed " + failure.getClass().getSimpleName() + " retryable="
                        + failure.retryable());
            }

            @Override
            public void reauthenticationRequired(String manager, ReauthenticationRequiredException e) {
                events.add("reauthenticate");
            }
        }).tokenSource(named(source));
    }

    @Test
    void aCustomSourceIsRefreshedAheadOfExpiryWhileItsTokenIsStillServed() throws Exception {
        List<TokenSource.Request> requests = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        TokenManager manager = track(builder(request -> {
            requests.add(request);
            if (requests.size() == 2) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return token(Canary.value("vendor_at_"));
        }).scopes(Set.of("ledger.read")).build());
        AccessToken first = fetch(manager);
        assertThat(requests.get(0).previous()).isEmpty();
        assertThat(requests.get(0).refreshToken()).isEmpty();
        assertThat(requests.get(0).scopes()).containsExactly("ledger.read");

        // The larger of 5 minutes and 10% of an hour is 6 minutes before expiry.
        clock.advance(LIFETIME.minusMinutes(6));
        assertServesTheOldTokenWhileTheRefreshIsOut(manager, first, () -> requests.size() >= 2, release);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).previous()).containsSame(first);
        assertThat(manager.tokenEndpoint()).isEqualTo(ENDPOINT);
        assertThat(manager.toString()).contains("TOKEN_SOURCE").doesNotContain(first.reveal());
    }

    @Test
    void twoHundredCallersOnAnExpiredTokenOfACustomSourceCauseOneCall() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TokenManager manager = track(builder(request -> {
            calls.incrementAndGet();
            return token(Canary.value("vendor_at_"));
        }).build());
        AccessToken first = fetch(manager);
        scheduler.advance(LIFETIME);
        assertThat(manager.state()).isEqualTo(TokenManager.State.EXPIRED);

        int callers = 200;
        List<Future<AccessToken>> results = Callers.startAll(threads, callers,
                () -> manager.token(Duration.ofSeconds(60)));
        AccessToken second = scheduler.runUntilDone(results.get(0));
        assertThat(second).isNotSameAs(first);
        for (Future<AccessToken> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(second);
        }
        assertThat(calls).hasValue(2);
    }

    @Test
    void anIoFailureOfASourceIsRetriedAndTheNextAttemptSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TokenManager manager = track(builder(request -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("connection reset");
            }
            return token(Canary.value("vendor_at_"));
        }).build());

        Future<AccessToken> result = threads.submit(() -> manager.token(Duration.ofSeconds(60)));
        scheduler.awaitQueued(1);
        scheduler.runDue();
        assertThat(calls).hasValue(1);
        // The default retry waits at most 750 ms before its second attempt.
        scheduler.advance(Duration.ofSeconds(2));
        AccessToken token = result.get(30, TimeUnit.SECONDS);

        assertThat(token.reveal()).startsWith("vendor_at_");
        assertThat(calls).hasValue(2);
        manager.close();
        assertThat(events).containsExactly("failed TokenRefreshException retryable=true");
    }

    @Test
    void anUnexpectedExceptionOfASourceIsNotRetriedAndItsMessageIsNotShown() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        TokenManager manager = track(builder(request -> {
            calls.incrementAndGet();
            throw new IllegalArgumentException("the source's own words");
        }).build());

        Future<AccessToken> result = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> scheduler.runUntilDone(result))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .cause().hasMessageContaining("the token source threw java.lang.IllegalArgumentException")
                .hasMessageNotContaining("the source's own words");

        assertThat(calls).hasValue(1);
        manager.close();
        assertThat(events).containsExactly("failed TokenRefreshException retryable=false");
    }

    @Test
    void aRefusalFromASourceRequiresReauthentication() throws Exception {
        TokenManager manager = track(builder(request -> {
            throw new ReauthenticationRequiredException(ENDPOINT, 400, "invalid_grant", null, "assertion refused");
        }).build());

        Future<AccessToken> result = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> scheduler.runUntilDone(result))
                .hasCauseInstanceOf(ReauthenticationRequiredException.class);

        assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
        manager.close();
        assertThat(events).containsExactly("failed ReauthenticationRequiredException retryable=false",
                "reauthenticate");
    }

    @Test
    void aSourceGivenAStoredRefreshTokenHasItsRotationWrittenBack() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        String initial = Canary.value("vendor_rt_");
        CredentialRef ref = store.put("vendor", Secret.of("{\"refresh_token\":\"" + initial + "\"}"))
                .withField("refresh_token");
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        List<Optional<Secret>> presented = new CopyOnWriteArrayList<>();
        List<String> issued = new CopyOnWriteArrayList<>();
        TokenManager manager = track(builder(request -> {
            presented.add(request.refreshToken());
            String next = Canary.value("vendor_rt_");
            issued.add(next);
            return TokenResponse.builder().accessToken(Secret.of(Canary.value("vendor_at_"))).expiresIn(LIFETIME)
                    .refreshToken(Secret.of(next)).build();
        }).refreshToken(vault, ref).build());

        AccessToken first = fetch(manager);
        assertThat(store.load(ref).secret().reveal()).isEqualTo(issued.get(0));
        manager.invalidate(first);
        fetch(manager);

        assertThat(presented).containsExactly(Optional.of(Secret.of(initial)), Optional.of(Secret.of(issued.get(0))));
        assertThat(store.load(ref).secret().reveal()).isEqualTo(issued.get(1));
        assertThat(manager.toString()).contains("TOKEN_SOURCE+REFRESH_TOKEN");
        vault.close();
    }

    @Test
    void aSourceWithoutAnEndpointNeedsAClientAndConflictsWithClientCredentials() {
        assertThatThrownBy(() -> TokenManager.builder().tokenSource(request -> token("x")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("client(OAuthClient)")
                .hasMessageContaining("TokenSource.endpoint()");
        assertThatThrownBy(() -> TokenManager.builder().clientCredentials().tokenSource(request -> token("x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: CLIENT_CREDENTIALS and TOKEN_SOURCE");
        assertThatThrownBy(() -> TokenManager.builder().tokenSource(request -> token("x"))
                .tokenSource(request -> token("y")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two grants: TOKEN_SOURCE and TOKEN_SOURCE");
        assertThatThrownBy(() -> TokenManager.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a client");

        OAuthClient client = OAuthClient.builder().tokenEndpoint(ENDPOINT).clientId("c").build();
        TokenManager manager = track(TokenManager.builder().client(client).tokenSource(request -> token("x"))
                .build());
        assertThat(manager.tokenEndpoint()).isEqualTo(ENDPOINT);
    }
}
