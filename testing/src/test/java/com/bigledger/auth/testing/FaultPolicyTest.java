package com.bigledger.auth.testing;

import static com.bigledger.auth.testing.LeakAssertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.FakeTokenEndpoint.RotatingIssuer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault policies fail the requests their rule selects, over real HTTP, and pass the others to the dispatcher. */
class FaultPolicyTest {

    private FakeTokenEndpoint endpoint;
    private RotatingIssuer issuer;
    private OAuthClient client;

    @BeforeEach
    void start() {
        endpoint = FakeTokenEndpoint.start();
        String clientSecret = Canary.value("cs_");
        issuer = new RotatingIssuer("fp-client", clientSecret, 60);
        client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true).clientId("fp-client")
                .clientSecret(Secret.of(clientSecret)).build();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /** Sends {@code count} client-credentials requests and returns which of them failed (1-based). */
    private List<Integer> failedOf(int count) {
        List<Integer> failed = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            try {
                TokenResponse response = client.clientCredentials(Set.of());
                assertThat(response.accessToken().isDestroyed()).isFalse();
            } catch (TokenRefreshException e) {
                failed.add(i);
            }
        }
        return failed;
    }

    @Test
    void firstRequestsFailThenTheDispatcherAnswers() {
        FaultPolicy.Dispatcher dispatcher = FaultPolicy.firstRequests(2, () -> Response.status(503)).otherwise(issuer);
        endpoint.dispatcher(dispatcher);

        assertThat(failedOf(4)).containsExactly(1, 2);
        assertThat(dispatcher.faults()).isEqualTo(2);
        assertThat(dispatcher.requests()).isEqualTo(4);
        assertThat(issuer.accessTokens()).hasSize(2);
    }

    @Test
    void everyNthRequestFailsByDroppingTheConnection() {
        FaultPolicy.Dispatcher dispatcher = FaultPolicy.everyNthRequest(3, Response::disconnect).otherwise(issuer);
        endpoint.dispatcher(dispatcher);

        assertThat(failedOf(7)).containsExactly(3, 6);
        assertThat(dispatcher.faults()).isEqualTo(2);
    }

    @Test
    void theSameSeedFailsTheSameRequests() {
        FaultPolicy.Dispatcher first = FaultPolicy.randomly(0.5, 42, () -> Response.status(500)).otherwise(issuer);
        endpoint.dispatcher(first);
        List<Integer> firstRun = failedOf(12);
        FaultPolicy.Dispatcher second = FaultPolicy.randomly(0.5, 42, () -> Response.status(500)).otherwise(issuer);
        endpoint.dispatcher(second);

        assertThat(failedOf(12)).isEqualTo(firstRun);
        assertThat(first.faults()).isEqualTo(firstRun.size());
    }

    @Test
    void scriptedResponsesComeFirstAndAreNotCounted() {
        FaultPolicy.Dispatcher dispatcher = FaultPolicy.firstRequests(1, () -> Response.status(503)).otherwise(issuer);
        endpoint.dispatcher(dispatcher).enqueue(Response.token(Canary.value("blg_oauth_at_"), 60));

        assertThat(failedOf(3)).containsExactly(2);
        assertThat(dispatcher.requests()).isEqualTo(2);
        assertThat(issuer.accessTokens()).hasSize(1);
    }

    @Test
    void aRuleOutOfRangeIsRefusedWithTheValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> FaultPolicy.firstRequests(-1, () -> Response.status(503)))
                .withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> FaultPolicy.everyNthRequest(0, Response::disconnect))
                .withMessageContaining("0");
        assertThatIllegalArgumentException().isThrownBy(() -> FaultPolicy.randomly(1.5, 1, Response::disconnect))
                .withMessageContaining("1.5");
    }
}
