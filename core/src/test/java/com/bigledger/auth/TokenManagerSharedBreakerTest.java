package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Managers on one token endpoint share one circuit breaker: a fleet of managers against a failing identity provider
 * opens one breaker, not one each. Managers on another endpoint keep their own.
 */
class TokenManagerSharedBreakerTest {

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final FakeTokenEndpoint failing = FakeTokenEndpoint.start();
    private final FakeTokenEndpoint healthy = FakeTokenEndpoint.start();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<TokenManager> managers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        managers.forEach(TokenManager::close);
        failing.close();
        healthy.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private TokenManager manager(FakeTokenEndpoint endpoint) {
        TokenManager manager = TokenManager.builder()
                .client(OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("shared-breaker")
                        .clientSecret(Canary.secret("cs_")).allowInsecureLoopback(true).build())
                .clientCredentials()
                .clock(clock)
                .scheduler(scheduler)
                .build();
        managers.add(manager);
        return manager;
    }

    @Test
    void managersOnOneEndpointShareTheBreakerAndOthersDoNot() throws Exception {
        failing.dispatcher(request -> Response.status(503));
        healthy.dispatcher(request -> Response.token(Canary.value("blg_oauth_at_"), 3600));
        TokenManager first = manager(failing);
        TokenManager second = manager(failing);
        TokenManager elsewhere = manager(healthy);

        // Five failed requests, all through the first manager: the default breaker's minimum, all failed.
        for (int i = 0; i < 5; i++) {
            first.refreshNow();
            scheduler.runDue();
        }
        assertThat(failing.requestCount()).isEqualTo(5);
        assertThat(first.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        // The second manager never sent a request, and its breaker is the same open one: it sends none either.
        assertThat(second.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        second.refreshNow();
        scheduler.runDue();
        assertThat(failing.requestCount()).isEqualTo(5);

        // Another endpoint's managers are not affected.
        assertThat(elsewhere.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        Future<AccessToken> token = threads.submit(() -> elsewhere.token(Duration.ofSeconds(30)));
        assertThat(scheduler.runUntilDone(token).expiresAt()).isAfter(clock.instant());
        assertThat(healthy.requestCount()).isEqualTo(1);
    }
}
