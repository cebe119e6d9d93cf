package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The retry and circuit breaker are set with the library's own value types: their ranges are checked with errors
 * that name the setting, equal settings share one breaker, and each setting changes what the manager does.
 */
class TokenManagerResilienceSettingsTest {

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final List<TokenManager> managers = new ArrayList<>();

    @AfterEach
    void stop() {
        managers.forEach(TokenManager::close);
        endpoint.close();
    }

    private TokenManager manager(RetrySettings retry, CircuitBreakerSettings breaker) {
        TokenManager manager = TokenManager.builder()
                .client(OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("settings-test")
                        .clientSecret(Canary.secret("cs_")).allowInsecureLoopback(true).build())
                .clientCredentials()
                .clock(clock)
                .scheduler(scheduler)
                .retry(retry)
                .circuitBreaker(breaker)
                .build();
        managers.add(manager);
        return manager;
    }

    @Test
    void outOfRangeRetrySettingsAreRefusedNamingTheSetting() {
        Duration second = Duration.ofSeconds(1);
        assertThatIllegalArgumentException().isThrownBy(() -> new RetrySettings(0, second, 2, 0, second))
                .withMessageContaining("maxAttempts");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetrySettings(3, Duration.ZERO, 2, 0, second))
                .withMessageContaining("initialBackoff");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetrySettings(3, second, 0.5, 0, second))
                .withMessageContaining("multiplier");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetrySettings(3, second, Double.NaN, 0, second))
                .withMessageContaining("multiplier");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetrySettings(3, second, 2, 1.0, second))
                .withMessageContaining("randomization");
        assertThatIllegalArgumentException().isThrownBy(() -> new RetrySettings(3, second, 2, 0,
                Duration.ofMillis(10))).withMessageContaining("maxBackoff");
    }

    @Test
    void outOfRangeBreakerSettingsAreRefusedNamingTheSetting() {
        CircuitBreakerSettings defaults = CircuitBreakerSettings.defaults();
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withWindow(0, 1, 50))
                .withMessageContaining("windowSize");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withWindow(5, 6, 50))
                .withMessageContaining("minimumRequests");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withWindow(5, 5, 0))
                .withMessageContaining("failureRatePercent");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withWindow(5, 5, 100.5f))
                .withMessageContaining("failureRatePercent");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withOpenDuration(Duration.ofSeconds(-1), 1))
                .withMessageContaining("openDuration");
        assertThatIllegalArgumentException().isThrownBy(() -> defaults.withOpenDuration(Duration.ofSeconds(1), 0))
                .withMessageContaining("trialRequests");
    }

    @Test
    void settingsAreValuesSoEqualOnesShareOneBreaker() {
        endpoint.dispatcher(request -> Response.status(503));
        RetrySettings once = new RetrySettings(1, Duration.ofSeconds(1), 2.0, 0.0, Duration.ofSeconds(1));
        TokenManager first = manager(once, CircuitBreakerSettings.defaults().withWindow(2, 2, 50));
        TokenManager second = manager(RetrySettings.defaults().withMaxAttempts(1).withRandomization(0.0)
                .withBackoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1)),
                CircuitBreakerSettings.defaults().withWindow(2, 2, 50));
        TokenManager different = manager(once, CircuitBreakerSettings.defaults().withWindow(3, 3, 50));

        first.refreshNow();
        scheduler.runDue();
        first.refreshNow();
        scheduler.runDue();

        assertThat(endpoint.requestCount()).isEqualTo(2);
        assertThat(first.circuitState()).isEqualTo(TokenManager.CircuitState.OPEN);
        assertThat(second.circuitState()).isEqualTo(TokenManager.CircuitState.OPEN);
        assertThat(different.circuitState()).isEqualTo(TokenManager.CircuitState.CLOSED);
    }

    @Test
    void maxAttemptsBoundsOneRoundOfRetries() {
        endpoint.dispatcher(request -> Response.status(503));
        TokenManager manager = manager(RetrySettings.defaults().withMaxAttempts(3), CircuitBreakerSettings.disabled());

        manager.refreshNow();
        // The round's three attempts, each after its backoff; the cool-down (30 s) is not reached in 20 s.
        for (int i = 0; i < 40; i++) {
            scheduler.advance(Duration.ofMillis(500));
        }

        assertThat(endpoint.requestCount()).isEqualTo(3);
    }

    @Test
    void aDisabledBreakerLetsEveryRequestThrough() {
        endpoint.dispatcher(request -> Response.status(503));
        TokenManager manager = manager(RetrySettings.none(), CircuitBreakerSettings.disabled());
        assertThat(manager.circuitState()).isEqualTo(TokenManager.CircuitState.DISABLED);

        for (int i = 0; i < 12; i++) {
            manager.refreshNow();
            scheduler.runDue();
        }

        assertThat(endpoint.requestCount()).isEqualTo(12);
        assertThat(manager.circuitState()).isEqualTo(TokenManager.CircuitState.DISABLED);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(RetrySettings.defaults()).isEqualTo(new RetrySettings(4, Duration.ofMillis(500), 2.0, 0.5,
                Duration.ofSeconds(30)));
        assertThat(CircuitBreakerSettings.defaults()).isEqualTo(new CircuitBreakerSettings(10, 5, 50f,
                Duration.ofSeconds(20), 1, true));
        assertThat(CircuitBreakerSettings.disabled().enabled()).isFalse();
        assertThat(RetrySettings.none().maxAttempts()).isEqualTo(1);
    }
}
