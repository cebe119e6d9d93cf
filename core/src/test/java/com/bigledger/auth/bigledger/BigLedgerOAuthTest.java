package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.AuthorizationException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BigLedgerOAuthTest extends BigLedgerApiFixture {

    private static final String TOKEN = "/oauth/token";

    private final String clientSecret = Canary.value("");

    private BigLedgerOAuth local() {
        api.client("YOUR_CLIENT_ID", clientSecret, CALLBACK);
        return BigLedgerOAuth.builder().authorizationServer(api.authorizationServer()).allowInsecureLoopback(true)
                .clientId("YOUR_CLIENT_ID").clientSecret(Secret.of(clientSecret)).redirectUri(CALLBACK).build();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The user's browser: follows the authorization URL to the server, which approves and redirects. */
    private static URI approve(URI authorizationUrl) throws Exception {
        HttpResponse<Void> response = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(authorizationUrl).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(302);
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

    @Test
    void theAuthorizationUrlIsTheDocumentsStepOne() {
        BigLedgerOAuth oauth = BigLedgerOAuth.builder().clientId("YOUR_CLIENT_ID").clientSecret(Canary.secret(""))
                .redirectUri(CALLBACK).build();

        AuthorizationRequest request = oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_ACCOUNTS,
                BigLedgerScopes.WRITE_INVOICES));

        URI uri = request.uri();
        assertThat(uri.getScheme() + "://" + uri.getHost() + uri.getPath())
                .isEqualTo("https://auth.bigledger.com/oauth/authorize");
        Map<String, String> query = query(uri);
        assertThat(query.keySet()).containsExactly("response_type", "client_id", "redirect_uri", "scope", "state",
                "code_challenge", "code_challenge_method");
        assertThat(query).containsEntry("response_type", "code")
                .containsEntry("client_id", "YOUR_CLIENT_ID")
                .containsEntry("redirect_uri", "https://yourapp.com/callback")
                .containsEntry("scope", "read:accounts write:invoices")
                .containsEntry("state", request.state())
                .containsEntry("code_challenge", request.pkce().challenge())
                .containsEntry("code_challenge_method", "S256");
    }

    @Test
    void bothEnvironmentsUseTheDocumentedAuthorizationServer() {
        for (BigLedgerEnvironment environment : BigLedgerEnvironment.values()) {
            BigLedgerOAuth oauth = BigLedgerOAuth.builder().environment(environment).clientId("c")
                    .clientSecret(Canary.secret("")).redirectUri(CALLBACK).build();
            assertThat(oauth.authorizationEndpoint()).hasToString("https://auth.bigledger.com/oauth/authorize");
            assertThat(oauth.tokenEndpoint()).hasToString("https://auth.bigledger.com/oauth/token");
            assertThat(environment.authorizationServer()).hasToString("https://auth.bigledger.com");
        }
    }

    @Test
    void theAuthorizationServerCanBeOverriddenButOnlyOverHttps() {
        BigLedgerOAuth oauth = BigLedgerOAuth.builder().authorizationServer(URI.create("https://login.example.com/"))
                .clientId("c").clientSecret(Canary.secret("")).redirectUri(CALLBACK).build();

        assertThat(oauth.tokenEndpoint()).hasToString("https://login.example.com/oauth/token");
        assertThat(oauth.client().tokenEndpoint()).isEqualTo(oauth.tokenEndpoint());
        assertThatThrownBy(() -> BigLedgerOAuth.builder().authorizationServer(URI.create("http://login.example.com"))
                .allowInsecureLoopback(true).clientId("c").clientSecret(Canary.secret("")).redirectUri(CALLBACK)
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must use https");
    }

    @Test
    void theCodeExchangeIsTheDocumentsJsonBody() throws Exception {
        BigLedgerOAuth oauth = local();
        AuthorizationRequest request = oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_ACCOUNTS,
                BigLedgerScopes.WRITE_INVOICES));
        URI callback = approve(request.uri());

        TokenResponse tokens = oauth.exchange(callback, request);

        RecordedRequest exchange = api.requests(TOKEN).get(0);
        assertThat(exchange.method()).isEqualTo("POST");
        assertThat(exchange.header("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("application/json"));
        assertThat(exchange.header("Authorization")).isEmpty();
        assertThat(exchange.params().keySet()).containsExactly("grant_type", "client_id", "client_secret", "code",
                "redirect_uri", "code_verifier");
        assertThat(exchange.params()).containsEntry("grant_type", "authorization_code")
                .containsEntry("client_id", "YOUR_CLIENT_ID")
                .containsEntry("client_secret", clientSecret)
                .containsEntry("redirect_uri", "https://yourapp.com/callback")
                .containsEntry("code_verifier", request.pkce().verifier().reveal());
        assertThat(tokens.accessToken().knownPrefix()).contains("blg_oauth_at_");
        assertThat(tokens.refreshToken().flatMap(Secret::knownPrefix)).contains("blg_oauth_rt_");
        assertThat(tokens.expiresIn()).isEqualTo(BigLedgerOAuth.ACCESS_TOKEN_LIFETIME);
        assertThat(tokens.scopes()).containsExactlyInAnyOrder("read:accounts", "write:invoices");
    }

    @Test
    void aForgedCallbackIsRefusedBeforeAnyTokenRequest() throws Exception {
        BigLedgerOAuth oauth = local();
        AuthorizationRequest request = oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_ACCOUNTS));
        AuthorizationRequest other = oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_ACCOUNTS));
        URI callback = approve(other.uri());

        assertThatThrownBy(() -> oauth.exchange(callback, request)).isInstanceOf(AuthorizationException.class);
        assertThat(api.requests(TOKEN)).isEmpty();
    }

    @Test
    void aWrongClientSecretRequiresReauthentication() throws Exception {
        api.client("YOUR_CLIENT_ID", clientSecret, CALLBACK);
        BigLedgerOAuth oauth = BigLedgerOAuth.builder().authorizationServer(api.authorizationServer())
                .allowInsecureLoopback(true).clientId("YOUR_CLIENT_ID").clientSecret(Canary.secret(""))
                .redirectUri(CALLBACK).build();
        AuthorizationRequest request = oauth.authorizationRequest(Set.of());
        URI callback = approve(request.uri());

        assertThatThrownBy(() -> oauth.exchange(callback, request))
                .isInstanceOf(ReauthenticationRequiredException.class)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("UNAUTHORIZED");
    }

    @Test
    void refreshIsTheDocumentsJsonBodyAndTheRotatedTokenIsWrittenBack() {
        BigLedgerOAuth oauth = local();
        String first = api.issueRefreshToken(COMPANY, "read:accounts");
        CredentialRef ref = store.put("bigledger/refresh-token", Secret.of(first));
        try (TokenManager tokens = oauth.tokenManager().refreshToken(vault, ref).build()) {
            Instant before = Instant.now();
            AccessToken token = tokens.token();
            Instant after = Instant.now();

            assertThat(token.reveal()).isEqualTo(api.accessTokens().get(0));
            assertThat(token.expiresAt()).isBetween(before.plus(Duration.ofHours(1)), after.plus(Duration.ofHours(1)));
            RecordedRequest refresh = api.requests(TOKEN).get(0);
            assertThat(refresh.params().keySet()).containsExactly("grant_type", "client_id", "client_secret",
                    "refresh_token");
            assertThat(refresh.params()).containsEntry("grant_type", "refresh_token")
                    .containsEntry("client_id", "YOUR_CLIENT_ID")
                    .containsEntry("client_secret", clientSecret)
                    .containsEntry("refresh_token", first);
            String rotated = api.refreshTokens().get(1);
            assertThat(rotated).startsWith("blg_oauth_rt_");
            assertThat(api.isLive(first)).isFalse();
            assertThat(store.load(ref).secret().reveal()).isEqualTo(rotated);
        }
    }

    @Test
    void theTokenManagerUsesTheStoredRefreshTokenAfterTheCodeExchange() throws Exception {
        BigLedgerOAuth oauth = local();
        AuthorizationRequest request = oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_REPORTS));
        TokenResponse exchanged = oauth.exchange(approve(request.uri()), request);
        CredentialRef ref = CredentialRef.of("mem", "users/42/bigledger-refresh-token");
        vault.write(ref, exchanged.refreshToken().orElseThrow(), Optional.empty());

        try (TokenManager tokens = oauth.tokenManager().refreshToken(vault, ref).build()) {
            BigLedgerHttpClient client = BigLedgerHttpClient.create(BigLedgerAuth.builder().tokenManager(tokens)
                    .baseUrl(api.baseUrl()).allowInsecureLoopback(true).build());

            VerifyResult result = client.verify();

            assertThat(result.company().orElseThrow().id()).isEqualTo(COMPANY);
            assertThat(result.permissions()).containsExactly("read:reports");
            assertThat(store.load(ref).secret().reveal()).isEqualTo(api.refreshTokens().get(1));
        }
    }

    @Test
    void aRequestOfAnotherClientIsRefused() {
        BigLedgerOAuth oauth = BigLedgerOAuth.builder().clientId("one").clientSecret(Canary.secret(""))
                .redirectUri(CALLBACK).build();
        BigLedgerOAuth other = BigLedgerOAuth.builder().clientId("two").clientSecret(Canary.secret(""))
                .redirectUri(CALLBACK).build();
        AuthorizationRequest request = other.authorizationRequest(Set.of());

        assertThatThrownBy(() -> oauth.exchange(URI.create("https://yourapp.com/callback?code=x&state=y"), request))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theClientIdAndRedirectUriAreRequired() {
        assertThatThrownBy(() -> BigLedgerOAuth.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clientId")
                .hasMessageContaining("redirectUri");
    }

    @Test
    void toStringNeverShowsTheClientSecret() {
        BigLedgerOAuth oauth = local();

        assertThat(oauth.toString()).contains("YOUR_CLIENT_ID").doesNotContain(clientSecret);
        assertThat(oauth.client().toString()).doesNotContain(clientSecret);
    }

    @Test
    void theScopeConstantsAreTheDocumentsTable() {
        assertThat(BigLedgerScopes.DOCUMENTED).containsExactlyInAnyOrder("read:accounts", "write:accounts",
                "read:invoices", "write:invoices", "read:customers", "write:customers", "read:inventory",
                "write:inventory", "read:reports", "admin");
    }
}
