package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fleet mode when the refresh or the record's write-back fails: the lease is given back at once, a rotated refresh
 * token that came with an unusable answer is still written, and a write-back that failed is retried until it lands.
 */
class TokenManagerFleetFaultTest extends FleetFixture<InMemoryCredentialSource> {

    TokenManagerFleetFaultTest() {
        super(Function.identity());
    }

    private TokenManager manager() {
        return recordManager(record, new TokenListener() {
            @Override
            public void leaseTaken(String m, CredentialRef r, Instant until, boolean takenOver) {
                events.add("lease taken");
            }

            @Override
            public void writeBackSucceeded(String m, CredentialRef r, Optional<String> version) {
                events.add("written");
            }

            @Override
            public void writeBackFailed(String m, CredentialRef r, RuntimeException failure,
                    Duration retryIn) {
                events.add("write failed, retry in " + retryIn);
            }

            @Override
            public void refreshSucceeded(String m, Duration took, Instant expiresAt, boolean rotated) {
                events.add("refreshed, expires " + expiresAt + (rotated ? ", rotated" : ""));
            }
        });
    }

    @Test
    void refreshThatFailsGivesTheLeaseBackAtOnce() throws Exception {
        String refresh = storeIssuedRefreshToken();
        endpoint.dispatcher(request -> Response.oauthError(503, "temporarily_unavailable", "try later"));
        TokenManager manager = manager();

        loadOnce(manager, scheduler);

        assertThat(events).contains("lease taken");
        TokenRecord after = stored();
        assertThat(after.lease).isNull();
        assertThat(after.generation).isEqualTo(1);
        assertThat(after.refreshToken.reveal()).isEqualTo(refresh);
    }

    @Test
    void unusableAnswerThatRotatedTheRefreshTokenStillWritesTheNewOne() throws Exception {
        storeIssuedRefreshToken();
        String rotated = Canary.value("blg_oauth_rt_");
        endpoint.dispatcher(request -> Response.json(200, "{\"refresh_token\":\"" + rotated
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        TokenManager manager = manager();

        loadOnce(manager, scheduler);

        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(2);
        assertThat(after.refreshToken.reveal()).isEqualTo(rotated);
        assertThat(after.accessToken).isNull();
        assertThat(after.lease).isNull();
    }

    @Test
    void unusableAnswerWithoutARefreshTokenGivesTheLeaseBack() throws Exception {
        String refresh = storeIssuedRefreshToken();
        endpoint.dispatcher(request -> Response.json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600}"));
        TokenManager manager = manager();

        loadOnce(manager, scheduler);

        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(1);
        assertThat(after.refreshToken.reveal()).isEqualTo(refresh);
        assertThat(after.lease).isNull();
    }

    @Test
    void writeBackThatFailsIsRetriedUntilTheRecordIsWritten() throws Exception {
        storeIssuedRefreshToken();
        // The store goes down while the token request is answered: the new record cannot be written.
        endpoint.dispatcher(request -> {
            store.down(true);
            return issuer.apply(request);
        });
        TokenManager manager = manager();

        AccessToken token = fetch(manager);

        assertThat(token.reveal()).isEqualTo(issuer.accessTokens().get(0));
        assertThat(events).anyMatch(e -> e.startsWith("write failed, retry in PT"));
        assertThat(events).doesNotContain("written");
        store.down(false);
        assertThat(stored().generation).isEqualTo(1);

        // The first retry is due within 1 s plus 20 % jitter.
        scheduler.advance(Duration.ofMillis(1200));

        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(2);
        assertThat(issuer.isLive(after.refreshToken.reveal())).isTrue();
        assertThat(after.accessToken.reveal()).isEqualTo(token.reveal());
        assertThat(after.lease).isNull();
        assertThat(events).contains("written");
        assertThat(events.stream().filter(e -> e.startsWith("refreshed, expires ")).toList())
                .containsExactly("refreshed, expires " + clock.instant().minusMillis(1200).plusSeconds(LIFETIME)
                        + ", rotated");
    }

    @Test
    void writeBackWhoseRetryTheSchedulerRefusesStillServesTheTokenAndCloseWritesTheRecord() throws Exception {
        storeIssuedRefreshToken();
        endpoint.dispatcher(request -> {
            store.down(true);
            return issuer.apply(request);
        });
        // Timers are refused (a scheduler shutting down, say); work to run now is accepted.
        Scheduler refusingTimers = new Scheduler() {
            @Override
            public Cancellable schedule(Runnable task, Duration delay) {
                if (!delay.isZero() && !delay.isNegative()) {
                    throw new java.util.concurrent.RejectedExecutionException("timers refused on purpose");
                }
                return scheduler.schedule(task, delay);
            }
        };
        TokenManager manager = track(TokenManager.builder()
                .client(client().build())
                .tokenRecord(vault, record).clock(clock).scheduler(refusingTimers).jitter(0)
                .watchdog(Duration.ofHours(2)).build());

        AccessToken token = fetch(manager);

        assertThat(token.reveal()).isEqualTo(issuer.accessTokens().get(0));
        store.down(false);
        assertThat(stored().generation).isEqualTo(1);
        manager.close();
        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(2);
        assertThat(issuer.isLive(after.refreshToken.reveal())).isTrue();
    }

    private static Duration retryIn(String event) {
        return Duration.parse(event.substring("write failed, retry in ".length()));
    }

    @Test
    void writeBackThatFailsTwiceBacksOffAndCloseMakesOneLastTry() throws Exception {
        storeIssuedRefreshToken();
        endpoint.dispatcher(request -> {
            store.down(true);
            return issuer.apply(request);
        });
        TokenManager manager = manager();
        fetch(manager);
        scheduler.advance(Duration.ofMillis(1200));

        List<String> failed = events.stream().filter(e -> e.startsWith("write failed")).toList();
        assertThat(failed).hasSize(2);
        assertThat(retryIn(failed.get(0))).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(retryIn(failed.get(1))).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        store.down(false);
        manager.close();

        assertThat(stored().generation).isEqualTo(2);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(events.stream().filter(e -> e.equals("written")).count()).isEqualTo(1);
    }

    @Test
    void refusedRefreshTokenWithNoNewerGenerationStoredGivesTheLeaseBackAfterOneRequest() throws Exception {
        String refresh = storeIssuedRefreshToken();
        endpoint.dispatcher(request -> Response.oauthError(400, "invalid_grant", "refresh token revoked"));
        TokenManager manager = manager();

        loadOnce(manager, scheduler);

        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(events).contains("lease taken");
        TokenRecord after = stored();
        assertThat(after.generation).isEqualTo(1);
        assertThat(after.lease).isNull();
    }

    @Test
    void storedTokenInItsRefreshWindowIsServedWhileAnotherProcessHoldsTheLease() throws Exception {
        endpoint.dispatcher(issuer);
        Secret refresh = Secret.of(issuer.issueRefreshToken());
        Secret stored = Canary.secret("blg_oauth_at_");
        // Issued long ago: past its refresh instant, so not adopted as is; still valid for 100 s.
        Instant issued = clock.instant().minusSeconds(LIFETIME - 100);
        store.put("token_record", new TokenRecord(3, refresh, stored, issued, issued.plusSeconds(LIFETIME),
                java.util.Set.of(), new TokenRecord.Lease("4242/other", clock.instant().plusSeconds(30))).encode());
        TokenManager manager = manager();

        AccessToken token = fetch(manager);

        assertThat(token.value()).isEqualTo(stored);
        assertThat(token.expiresAt()).isEqualTo(issued.plusSeconds(LIFETIME));
        assertThat(endpoint.requestCount()).isZero();
        assertThat(events).doesNotContain("lease taken");
        assertThat(stored().lease.holder).isEqualTo("4242/other");
    }
}
