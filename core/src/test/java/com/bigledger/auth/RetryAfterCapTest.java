package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A server's Retry-After is honoured up to a cap; a value beyond it never wedges the manager. */
class RetryAfterCapTest extends ManagerFixture {

    private final List<Duration> retries = new CopyOnWriteArrayList<>();

    private TokenManager manager(OAuthClient.Builder client) {
        TokenListener recordsRetries = new TokenListener() {
            @Override
            public void retryScheduled(String name, Duration delay, int consecutive) {
                retries.add(delay);
            }
        };
        return track(onFakeTime(recordsRetries)
                .client(client.tokenEndpoint(endpoint.uri()).clientId("test-client").clientSecret(Canary.secret(""))
                        .allowInsecureLoopback(true).build())
                .clientCredentials()
                .build());
    }

    private String farDate() {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().plus(Duration.ofDays(365 * 300))
                .atOffset(ZoneOffset.UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999999", "far date"})
    void retryAfterBeyondTheCapIsIgnoredAndTheManagerRecovers(String retryAfter) throws Exception {
        String value = retryAfter.equals("far date") ? farDate() : retryAfter;
        endpoint.enqueue(Response.status(503).header("Retry-After", value),
                Response.token(Canary.value("blg_oauth_at_"), 3600));
        TokenManager tokens = manager(OAuthClient.builder());

        Future<AccessToken> token = threads.submit(() -> tokens.token(Duration.ofSeconds(30)));
        scheduler.awaitQueued(1);
        scheduler.runDue();
        assertThat(retries).hasSize(1);
        assertThat(retries.get(0)).isLessThanOrEqualTo(Duration.ofSeconds(60));
        scheduler.advance(Duration.ofSeconds(60));

        assertThat(scheduler.runUntilDone(token).reveal()).startsWith("blg_oauth_at_");
        assertThat(endpoint.requestCount()).isEqualTo(2);
    }

    @Test
    void retryAfterWithinTheCapIsHonoured() throws Exception {
        endpoint.enqueue(Response.status(503).header("Retry-After", "45"),
                Response.token(Canary.value("blg_oauth_at_"), 3600));
        TokenManager tokens = manager(OAuthClient.builder());

        Future<AccessToken> token = threads.submit(() -> tokens.token(Duration.ofSeconds(90)));
        scheduler.awaitQueued(1);
        scheduler.runDue();

        assertThat(retries).containsExactly(Duration.ofSeconds(45));
        scheduler.advance(Duration.ofSeconds(45));
        assertThat(scheduler.runUntilDone(token).reveal()).startsWith("blg_oauth_at_");
    }

    @Test
    void capIsConfigurable() throws Exception {
        endpoint.enqueue(Response.status(503).header("Retry-After", "45"),
                Response.token(Canary.value("blg_oauth_at_"), 3600));
        TokenManager tokens = manager(OAuthClient.builder().maxRetryAfter(Duration.ofSeconds(10)));

        Future<AccessToken> token = threads.submit(() -> tokens.token(Duration.ofSeconds(90)));
        scheduler.awaitQueued(1);
        scheduler.runDue();

        assertThat(retries).hasSize(1);
        assertThat(retries.get(0)).isLessThan(Duration.ofSeconds(45));
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(scheduler.runUntilDone(token).reveal()).startsWith("blg_oauth_at_");
    }
}
