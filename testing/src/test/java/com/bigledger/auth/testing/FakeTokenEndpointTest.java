package com.bigledger.auth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.FakeTokenEndpoint.RotatingIssuer;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake token endpoint does what its tests rely on. */
class FakeTokenEndpointTest {

    private FakeTokenEndpoint endpoint;
    private String clientSecret;

    @BeforeEach
    void start() {
        endpoint = FakeTokenEndpoint.start();
        clientSecret = Canary.value("cs_");
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private OAuthClient client(RequestFormat format) {
        return OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true).clientId("tm-client")
                .clientSecret(Secret.of(clientSecret)).requestFormat(format).build();
    }

    @Test
    void aHeldResponseIsRecordedBeforeItIsSent() {
        CountDownLatch release = new CountDownLatch(1);
        String accessToken = Canary.value("blg_oauth_at_");
        endpoint.enqueue(Response.token(accessToken, 60).holdUntil(release));
        OAuthClient client = client(RequestFormat.FORM);

        CompletableFuture<TokenResponse> call = CompletableFuture.supplyAsync(() -> client.clientCredentials(Set.of()));
        FakeTokenEndpoint.RecordedRequest request = endpoint.takeRequest();

        assertThat(request.params()).containsEntry("grant_type", "client_credentials");
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(call).isNotDone();
        release.countDown();
        assertThat(call.join().accessToken()).isEqualTo(Secret.of(accessToken));
    }

    @Test
    void withNothingScriptedItAnswersAServerError() {
        TokenRefreshException e = Assertions.catchThrowableOfType(TokenRefreshException.class,
                () -> client(RequestFormat.FORM).clientCredentials(Set.of()));

        assertThat(e.httpStatus()).hasValue(500);
        assertThat(e.errorDescription()).hasValue("FakeTokenEndpoint: nothing scripted");
    }

    @Test
    void theScriptComesBeforeTheDispatcher() {
        String scripted = Canary.value("blg_oauth_at_");
        String dispatched = Canary.value("blg_oauth_at_");
        endpoint.enqueue(Response.token(scripted, 60)).dispatcher(request -> Response.token(dispatched, 60));
        OAuthClient client = client(RequestFormat.FORM);

        assertThat(client.clientCredentials(Set.of()).accessToken()).isEqualTo(Secret.of(scripted));
        assertThat(client.clientCredentials(Set.of()).accessToken()).isEqualTo(Secret.of(dispatched));
        assertThat(client.clientCredentials(Set.of()).accessToken()).isEqualTo(Secret.of(dispatched));
        assertThat(endpoint.requests()).hasSize(3);
    }

    @Test
    void theRotatingIssuerRotatesAndRefusesAReplayedRefreshToken() {
        RotatingIssuer issuer = new RotatingIssuer("tm-client", clientSecret, 3600);
        endpoint.dispatcher(issuer);
        OAuthClient client = client(RequestFormat.JSON);
        String first = issuer.issueRefreshToken();

        TokenResponse one = client.refresh(Secret.of(first), Set.of());
        TokenResponse two = client.refresh(one.refreshToken().orElseThrow(), Set.of());

        assertThat(issuer.refreshTokens()).hasSize(3);
        assertThat(two.refreshToken()).hasValue(Secret.of(issuer.refreshTokens().get(2)));
        assertThat(issuer.isLive(first)).isFalse();
        assertThat(issuer.accessTokens()).hasSize(2);
        Assertions.assertThatThrownBy(() -> client.refresh(Secret.of(first), Set.of()))
                .isInstanceOf(ReauthenticationRequiredException.class).hasMessageContaining("invalid_grant");
    }

    @Test
    void theRotatingIssuerRefusesTheWrongClientSecret() {
        endpoint.dispatcher(new RotatingIssuer("tm-client", Canary.value("cs_"), 3600));

        Assertions.assertThatThrownBy(() -> client(RequestFormat.FORM).clientCredentials(Set.of()))
                .isInstanceOf(ReauthenticationRequiredException.class).hasMessageContaining("invalid_client");
    }

    @Test
    void otherPathsGet404() {
        OAuthClient elsewhere = OAuthClient.builder().tokenEndpoint(endpoint.baseUri().resolve("/other"))
                .allowInsecureLoopback(true).clientId("c").build();

        TokenRefreshException e = Assertions.catchThrowableOfType(TokenRefreshException.class,
                () -> elsewhere.refresh(Canary.secret("blg_oauth_rt_"), Set.of()));

        assertThat(e.httpStatus()).hasValue(404);
        assertThat(endpoint.takeRequest().path()).isEqualTo("/other");
    }
}
