package com.bigledger.auth.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenManagerBuilder;
import com.bigledger.auth.examples.BigLedgerMeters;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BigLedgerMetricsTest {

    private static final long LIFETIME = 3600;

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        endpoint.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private TokenManagerBuilder builder() {
        return TokenManager.builder()
                .client(OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("metrics-client")
                        .clientSecret(Canary.secret("")).allowInsecureLoopback(true).build())
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0)
                .watchdog(Duration.ofHours(2));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private TokenManagerMetrics bind(TokenManager manager) {
        TokenManagerMetrics metrics = track(TokenManagerMetrics.of(manager, "bigledger", Tags.of("app", "billing"),
                clock));
        metrics.bindTo(registry);
        return metrics;
    }

    private AccessToken fetch(TokenManager manager) throws Exception {
        Future<AccessToken> token = threads.submit(() -> manager.token(Duration.ofSeconds(30)));
        return scheduler.runUntilDone(token);
    }

    private double state(String state) {
        return registry.get("bigledger.auth.token.state").tags("manager", "bigledger", "state", state).gauge().value();
    }

    private double failures(String kind) {
        return registry.find("bigledger.auth.token.refresh.failures").tags("kind", kind).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aRefreshIsTimedAndTheStateAndTimeToExpiryFollowTheToken() throws Exception {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        bind(manager);
        assertThat(state("empty")).isEqualTo(1);
        assertThat(registry.get("bigledger.auth.token.time.to.expiry").gauge().value()).isNaN();

        fetch(manager);

        assertThat(registry.get("bigledger.auth.token.refresh").tags("manager", "bigledger", "app", "billing").timer()
                .count()).isEqualTo(1);
        assertThat(state("fresh")).isEqualTo(1);
        assertThat(state("empty")).isZero();
        assertThat(registry.get("bigledger.auth.token.time.to.expiry").gauge().value()).isEqualTo(LIFETIME);
        clock.advance(Duration.ofMinutes(10));
        assertThat(registry.get("bigledger.auth.token.time.to.expiry").gauge().value()).isEqualTo(LIFETIME - 600);
        assertThat(registry.get("bigledger.auth.token.time.to.expiry").gauge().getId().getBaseUnit())
                .isEqualTo("seconds");
    }

    @Test
    void temporaryFailuresAreCountedByKindWithTheirRetries() throws Exception {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        bind(manager);
        fetch(manager);
        endpoint.dispatcher(request -> Response.status(503));

        clock.advance(Duration.ofSeconds(LIFETIME).minusMinutes(6));
        scheduler.runDue();

        assertThat(failures("server_error")).isEqualTo(1);
        assertThat(registry.get("bigledger.auth.token.refresh.retries").counter().count()).isEqualTo(1);
        assertThat(state("stale")).isEqualTo(1);
        endpoint.dispatcher(request -> Response.status(429));
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(failures("rate_limited")).isEqualTo(1);
    }

    @Test
    void aRefusedGrantCountsAsReauthenticationRequiredAndSetsTheState() {
        endpoint.enqueue(Response.oauthError(400, "invalid_grant", "Refresh token revoked"));
        TokenManager manager = track(builder().refreshToken(Canary.secret("blg_oauth_rt_")).build());
        bind(manager);

        assertThatThrownBy(() -> fetch(manager)).cause().isInstanceOf(ReauthenticationRequiredException.class);

        assertThat(failures("reauthentication_required")).isEqualTo(1);
        assertThat(state("reauthentication_required")).isEqualTo(1);
    }

    @Test
    void aRotatedRefreshTokenWrittenBackIsCounted() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("bigledger/refresh_token", Canary.secret("blg_oauth_rt_"));
        CredentialVault vault = track(CredentialVault.builder().source(store).discoverSources(false).build());
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), LIFETIME, Canary.value("blg_oauth_rt_")));
        TokenManager manager = track(builder().refreshToken(vault, ref).build());
        bind(manager);

        fetch(manager);

        assertThat(registry.get("bigledger.auth.token.write.backs").tags("outcome", "success").counter().count())
                .isEqualTo(1);
    }

    @Test
    void closingTheBinderStopsCountingAndNoTagCarriesATokenOrSecret() throws Exception {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), LIFETIME),
                Response.token(Canary.value("blg_oauth_at_"), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        TokenManagerMetrics metrics = bind(manager);
        AccessToken first = fetch(manager);

        metrics.close();
        manager.invalidate(first);
        fetch(manager);

        assertThat(registry.get("bigledger.auth.token.refresh").timer().count()).isEqualTo(1);
        for (Meter meter : registry.getMeters()) {
            assertThat(Canary.leaksIn(meter.getId().toString())).as(meter.getId().getName()).isFalse();
        }
        assertThat(metrics.toString()).contains("manager=bigledger");
    }

    @Test
    void theReadmeExampleBindsBothBinders() throws Exception {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), LIFETIME));
        TokenManager manager = track(builder().clientCredentials().build());
        CredentialVault vault = track(CredentialVault.builder().discoverSources(false)
                .source(new InMemoryCredentialSource("mem")).build());

        BigLedgerMeters.bind(registry, manager, vault);
        fetch(manager);

        assertThat(registry.get("bigledger.auth.token.refresh").tags("manager", "bigledger").timer().count())
                .isEqualTo(1);
    }

    @Test
    void storeLoadsAreTimedByOutcomeAndFailuresCountedByKindAndScheme() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("bigledger/api_key", Canary.secret("blg_live_sk_"));
        CredentialVault vault = track(CredentialVault.builder().source(store).discoverSources(false).clock(clock)
                .scheduler(scheduler).build());
        CredentialVaultMetrics metrics = track(CredentialVaultMetrics.of(vault, "bigledger"));
        metrics.bindTo(registry);

        scheduler.runUntilDone(threads.submit(() -> vault.handle(List.of(CredentialRef.parse("mem:absent"), ref))
                .get(Duration.ofSeconds(30))));
        store.down(true);
        vault.invalidate(ref);
        scheduler.runDue();

        assertThat(registry.get("bigledger.auth.credential.load").tags("vault", "bigledger", "scheme", "mem",
                "outcome", "success").timer().count()).isEqualTo(1);
        assertThat(registry.get("bigledger.auth.credential.load").tags("outcome", "failure").timer().count())
                .isEqualTo(2);
        assertThat(registry.get("bigledger.auth.credential.load.failures").tags("kind", "not_found").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("bigledger.auth.credential.load.failures").tags("kind", "unavailable").counter()
                .count()).isEqualTo(1);
        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertThat(tag.getValue()).doesNotContain("bigledger/api_key").doesNotContain("absent");
            }
        }
    }
}
