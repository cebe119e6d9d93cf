package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.bigledger.BigLedgerApiException;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerOAuth;
import com.bigledger.auth.bigledger.ForbiddenException;
import com.bigledger.auth.bigledger.InvalidCompanyException;
import com.bigledger.auth.bigledger.UnauthorizedException;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * User info is where people put credentials ({@code https://user:password@host}): every public type that takes a
 * URI either refuses one with user info, without quoting it, or shows it without its user info, in
 * {@code toString} and in exception messages alike. The caught exceptions go through {@code LeakAssertions}.
 */
class UriUserInfoIsNeverShownTest {

    private final String password = Canary.value("");

    private URI withUserInfo(String rest) {
        return URI.create("https://client:" + password + "@" + rest);
    }

    @Test
    void buildersRefuseUserInfoWithoutQuotingIt() {
        List<Throwable> refused = new ArrayList<>();
        refused.add(catchThrowable(() -> OAuthClient.builder().tokenEndpoint(withUserInfo("auth.example/token"))));
        refused.add(catchThrowable(() -> AuthorizationRequest.builder()
                .authorizationEndpoint(withUserInfo("auth.example/authorize"))));
        refused.add(catchThrowable(() -> BigLedgerAuth.builder().baseUrl(withUserInfo("api.example/v1"))));
        refused.add(catchThrowable(() -> BigLedgerOAuth.builder()
                .authorizationServer(withUserInfo("auth.example"))));

        assertThat(refused).hasSize(4).allSatisfy(thrown -> assertThat(thrown)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user info"));
    }

    @Test
    void redirectUrisAreShownWithoutUserInfo() {
        AuthorizationRequest request = AuthorizationRequest.builder()
                .authorizationEndpoint(URI.create("https://auth.example/authorize")).clientId("app")
                .redirectUri(withUserInfo("app.example/callback")).build();
        BigLedgerOAuth oauth = BigLedgerOAuth.builder().clientId("app").clientSecret(Canary.secret(""))
                .redirectUri(withUserInfo("app.example/callback")).build();

        assertThat(request.toString()).contains("app.example/callback");
        assertThat(oauth.toString()).contains("app.example/callback");
        assertThat(Canary.leaksIn(request.toString())).as("AuthorizationRequest.toString").isFalse();
        assertThat(Canary.leaksIn(oauth.toString())).as("BigLedgerOAuth.toString").isFalse();
    }

    @Test
    void exceptionsNamingAnEndpointShowItWithoutUserInfo() {
        URI endpoint = withUserInfo("auth.example/token?key=" + Canary.value(""));
        List<Exception> exceptions = List.of(
                new AuthorizationException(endpoint, "access_denied", null, "denied"),
                new TokenRefreshException(endpoint, "I/O error", null, true),
                new ReauthenticationRequiredException(endpoint, "refused", null),
                new InvalidTokenResponseException(endpoint, 200, "not JSON", null),
                new BigLedgerApiException(endpoint, 500, null, null, "failed", null, true),
                new UnauthorizedException(endpoint, 401, null, null, "refused"),
                new ForbiddenException(endpoint, 403, null, null, "forbidden"),
                new InvalidCompanyException(endpoint, 422, null, null, "no such company"));

        assertThat(exceptions).allSatisfy(e -> {
            assertThat(e.getMessage()).contains("auth.example");
            assertThat(Canary.leaksIn(e.getMessage()) || Canary.leaksIn(e.toString()))
                    .as(e.getClass().getSimpleName()).isFalse();
        });
        assertThat(Set.copyOf(exceptions.stream().map(e -> e.getClass()).toList())).hasSize(exceptions.size());
    }
}
