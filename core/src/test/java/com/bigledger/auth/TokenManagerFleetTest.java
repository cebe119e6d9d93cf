package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Fleet mode: managers standing for separate processes share one token record in a compare-and-set store. */
class TokenManagerFleetTest extends FleetFixture<InMemoryCredentialSource> {

    TokenManagerFleetTest() {
        super(Function.identity());
    }

    private TokenManager manager(CredentialRef at) {
        return recordManager(at, new TokenListener() {
            @Override
            public void leaseTaken(String m, CredentialRef r, Instant until, boolean takenOver) {
                events.add(takenOver ? "lease taken over" : "lease taken");
            }

            @Override
            public void recordAdopted(String m, CredentialRef r, long generation, boolean accessToken) {
                events.add("adopted " + generation + (accessToken ? " with access token" : ""));
            }

            @Override
            public void writeBackConflictMerged(String m, CredentialRef r, Optional<String> version) {
                events.add("merged");
            }

            @Override
            public void refreshStarted(String m, boolean tokenStillServed) {
                events.add("refresh started");
            }

            @Override
            public void reauthenticationRequired(String m, ReauthenticationRequiredException e) {
                events.add("reauthenticate");
            }
        });
    }

    @Test
    void eightManagersMakeOneTokenRequestPerExpiry() throws Exception {
        endpoint.dispatcher(issuer);
        storeIssuedRefreshToken();
        List<TokenManager> fleet = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fleet.add(manager(record));
        }

        int cycles = 5;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            for (TokenManager manager : fleet) {
                AccessToken token = fetch(manager);
                assertThat(token.reveal()).isEqualTo(issuer.accessTokens().get(cycle - 1));
            }
            assertThat(endpoint.requestCount()).isEqualTo(cycle);
            assertThat(stored(record).generation).isEqualTo(cycle + 1);
            assertThat(issuer.isLive(stored(record).refreshToken.reveal())).isTrue();
            // Past every manager's refresh-ahead instant: each one's timer fires and its refresh runs.
            scheduler.advance(Duration.ofSeconds(LIFETIME).minusMinutes(4));
        }
        assertThat(endpoint.requestCount()).isBetween(cycles, cycles + 1);
        // Events are honest: a refresh started is a token request, not a manager reading the record.
        assertThat(events.stream().filter("refresh started"::equals).count()).isEqualTo(endpoint.requestCount());
        assertThat(events).doesNotContain("reauthenticate", "lease taken over");
        assertThat(events.stream().filter(e -> e.endsWith("with access token")).count()).isGreaterThanOrEqualTo(
                7L * cycles);
    }

    @Test
    void aHolderThatNeverReleasesIsTakenOverAfterItsLeaseAndStillOneRequestIsMade() throws Exception {
        endpoint.dispatcher(issuer);
        Secret refresh = Secret.of(issuer.issueRefreshToken());
        // A process took the lease and died before its request: its lease stays in the record.
        Instant until = clock.instant().plusSeconds(90);
        store.put("token_record", TokenRecord.ofRefreshToken(1, refresh)
                .withLease(new TokenRecord.Lease("4242/dead", until)).encode());
        TokenManager manager = manager(record);

        Future<AccessToken> token = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        for (int step = 0; step < 2000 && !token.isDone(); step++) {
            scheduler.advance(Duration.ofMillis(100));
            if (step % 50 == 0) {
                // Lets the caller's thread start its load before the clock moves on.
                scheduler.runUntilDone(threads.submit(() -> null));
            }
        }
        assertThat(token.get().reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(clock.instant()).isAfterOrEqualTo(until);
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(events).contains("lease taken over");
        assertThat(stored(record).generation).isEqualTo(2);
        assertThat(stored(record).lease).isNull();
    }

    @Test
    void anInvalidatedAccessTokenIsNeverAdoptedAgainFromTheRecordWhileAnotherProcessHoldsTheLease()
            throws Exception {
        endpoint.dispatcher(issuer);
        Secret refresh = Secret.of(issuer.issueRefreshToken());
        Secret rejected = Canary.secret("blg_oauth_at_");
        Instant issued = clock.instant();
        store.put("token_record", new TokenRecord(2, refresh, rejected, issued, issued.plusSeconds(LIFETIME),
                java.util.Set.of(), null).encode());
        TokenManager manager = manager(record);
        AccessToken seen = fetch(manager);
        assertThat(seen.value()).isEqualTo(rejected);
        assertThat(endpoint.requestCount()).isZero();

        // The API refuses the token. Another process saw the same refusal and took the lease, then died: the record
        // keeps the refused token until the lease runs out and this manager takes over.
        Instant until = clock.instant().plusSeconds(90);
        store.put("token_record", new TokenRecord(2, refresh, rejected, issued, issued.plusSeconds(LIFETIME),
                java.util.Set.of(), new TokenRecord.Lease("4242/dead", until)).encode());
        assertThat(manager.invalidate(seen)).isTrue();
        Future<AccessToken> token = threads.submit(() -> manager.token(Duration.ofSeconds(120)));
        for (int step = 0; step < 2000 && !token.isDone(); step++) {
            scheduler.advance(Duration.ofMillis(100));
            if (step % 10 == 0) {
                // Lets the caller's thread start its load before the clock moves on.
                scheduler.runUntilDone(threads.submit(() -> null));
            }
        }

        assertThat(token.get().value()).isNotEqualTo(rejected);
        assertThat(token.get().reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(clock.instant()).isAfterOrEqualTo(until);
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(manager.token().value()).isNotEqualTo(rejected);
    }

    @Test
    void invalidGrantWithANewerGenerationStoredIsAdoptedNotReportedAsReauthentication() throws Exception {
        TokenManager.storeRefreshToken(vault, record, Canary.secret("blg_oauth_rt_"));
        String theirAccessToken = Canary.value("blg_oauth_at_");
        endpoint.dispatcher(request -> {
            // Another process rotated the grant just before: it stored generation 2 and the server refuses ours.
            store.put("token_record", new TokenRecord(2, Canary.secret("blg_oauth_rt_"),
                    Secret.of(theirAccessToken), clock.instant(), clock.instant().plusSeconds(LIFETIME),
                    java.util.Set.of(), null).encode());
            return Response.oauthError(400, "invalid_grant", "refresh token already used");
        });
        TokenManager manager = manager(record);

        assertThat(fetch(manager).reveal()).isEqualTo(theirAccessToken);
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(events).contains("adopted 2").doesNotContain("reauthenticate");
    }

    @Test
    void writeConflictFromAnotherFieldOfTheSecretIsMergedAndTheRecordWritten() throws Exception {
        endpoint.dispatcher(issuer);
        String oldClientSecret = Canary.value("cs_");
        store.put("bigledger", Secret.of("{\"client_secret\":\"" + oldClientSecret + "\"}"));
        CredentialRef field = CredentialRef.of("mem", "bigledger").withField("token_record");
        TokenManager.storeRefreshToken(vault, field, Secret.of(issuer.issueRefreshToken()));
        String newClientSecret = Canary.value("cs_");
        endpoint.dispatcher(request -> {
            // While the holder's request is out, someone rotates the client secret in the same secret.
            store.write(CredentialRef.of("mem", "bigledger").withField("client_secret"),
                    Secret.of(newClientSecret), Optional.empty());
            return issuer.apply(request);
        });
        TokenManager manager = manager(field);

        assertThat(fetch(manager).reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(stored(field).generation).isEqualTo(2);
        assertThat(issuer.isLive(stored(field).refreshToken.reveal())).isTrue();
        assertThat(store.load(CredentialRef.of("mem", "bigledger").withField("client_secret")).secret().reveal())
                .isEqualTo(newClientSecret);
        assertThat(events).contains("merged");
    }

    @Test
    void closeDuringTheHoldersRefreshWaitsAndWritesTheNewRecord() throws Exception {
        TokenManager.storeRefreshToken(vault, record, Canary.secret("blg_oauth_rt_"));
        String rotated = Canary.value("blg_oauth_rt_");
        CountDownLatch release = new CountDownLatch(1);
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), LIFETIME, rotated).holdUntil(release));
        TokenManager manager = manager(record);

        threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        Future<?> closing = threads.submit(() -> {
            endpoint.takeRequest();
            manager.close();
            return null;
        });
        threads.submit(() -> {
            while (manager.state() != TokenManager.State.CLOSED) {
                Thread.onSpinWait();
            }
            release.countDown();
            return null;
        });
        scheduler.runUntilDone(closing);

        assertThat(stored(record).generation).isEqualTo(2);
        assertThat(stored(record).refreshToken.reveal()).isEqualTo(rotated);
        assertThat(stored(record).lease).isNull();
    }

    @Test
    void aStoreWithoutCompareAndSetIsRefusedAtBuild() {
        CredentialSource readOnly = new CredentialSource() {
            @Override
            public String scheme() {
                return "ro";
            }

            @Override
            public VersionedSecret load(CredentialRef ref) {
                throw new CredentialNotFoundException(ref, "nothing");
            }
        };
        CredentialVault plain = CredentialVault.builder().source(readOnly).discoverSources(false).build();
        CredentialRef at = CredentialRef.of("ro", "token_record");

        assertThatThrownBy(() -> TokenManager.builder()
                .client(OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId(CLIENT_ID)
                        .allowInsecureLoopback(true).build())
                .tokenRecord(plain, at).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ro:token_record").hasMessageContaining("compare-and-set");
        plain.close();
    }

    @Test
    void aHandEditedRecordGivesATypedErrorNamingTheReferenceNotTheContent() throws Exception {
        String pasted = Canary.value("blg_oauth_rt_");
        store.put("token_record", Secret.of("{\"bigledger_token_record\":1,\"generation\":\"three\","
                + "\"refresh_token\":\"" + pasted + "\"}"));
        TokenManager manager = manager(record);

        Future<AccessToken> token = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        assertThatThrownBy(() -> scheduler.runUntilDone(token))
                .hasMessageContaining("mem:token_record").hasMessageContaining("generation")
                .hasMessageNotContaining(pasted)
                .cause().isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID));
        assertThat(endpoint.requestCount()).isZero();
    }
}
