package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What each grant puts on the wire, for each client authentication method and body format. */
class OAuthClientRequestTest {

    private static final String CLIENT_ID = "tm-client";
    private static final URI REDIRECT = URI.create("https://yourapp.example/callback?app=1");

    private FakeTokenEndpoint endpoint;
    private String clientSecret;
    private String accessToken;

    @BeforeEach
    void start() {
        endpoint = FakeTokenEndpoint.start();
        clientSecret = FakeSecrets.clientSecret();
        accessToken = FakeSecrets.accessToken();
        endpoint.enqueue(Response.token(accessToken, 3600));
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private OAuthClient.Builder client() {
        return OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true).clientId(CLIENT_ID);
    }

    @Test
    void clientCredentialsWithBasicSendsTheCredentialsInTheHeaderOnly() {
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).build();

        TokenResponse token = client.clientCredentials(Set.of("write:invoices", "read:accounts"));

        assertThat(token.accessToken()).isEqualTo(Secret.of(accessToken));
        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(FakeTokenEndpoint.PATH);
        assertThat(request.header("Content-Type")).hasValue("application/x-www-form-urlencoded");
        assertThat(request.header("Accept")).hasValue("application/json");
        assertThat(request.header("User-Agent")).hasValue(OAuthClient.DEFAULT_USER_AGENT);
        assertThat(request.basicCredentials()).hasValue(List.of(CLIENT_ID, clientSecret));
        assertThat(request.params()).containsExactly(
                entry("grant_type", "client_credentials"),
                entry("scope", "read:accounts write:invoices"));
    }

    @Test
    void clientCredentialsWithPostSendsTheCredentialsInTheBodyOnly() {
        OAuthClient client = client().clientSecret(Secret.of(clientSecret))
                .clientAuthentication(ClientAuthentication.CLIENT_SECRET_POST).build();

        client.clientCredentials(Set.of("api.read"));

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.params()).containsExactly(
                entry("grant_type", "client_credentials"),
                entry("client_id", CLIENT_ID),
                entry("client_secret", clientSecret),
                entry("scope", "api.read"));
    }

    @Test
    void noScopesLeavesTheScopeParameterOut() {
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).build();

        client.clientCredentials(Set.of());

        assertThat(endpoint.takeRequest().params()).containsOnlyKeys("grant_type");
    }

    @Test
    void scopesAreSentSortedWhateverTheSetOrder() {
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).build();
        endpoint.enqueue(Response.token(FakeSecrets.accessToken(), 3600));
        Set<String> ordered = new LinkedHashSet<>(List.of("b", "c", "a"));

        client.clientCredentials(ordered);
        client.clientCredentials(Set.of("c", "a", "b"));

        assertThat(endpoint.takeRequest().params()).containsEntry("scope", "a b c");
        assertThat(endpoint.takeRequest().params()).containsEntry("scope", "a b c");
    }

    @Test
    void basicCredentialsAreFormEncodedBeforeBase64() {
        String awkwardSecret = Canary.remember("p:a+s s%/&=" + FakeSecrets.random() + "é");
        OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("client:with space").clientSecret(Secret.of(awkwardSecret)).build();

        client.clientCredentials(Set.of());

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.basicCredentials()).hasValue(List.of("client:with space", awkwardSecret));
        String base64 = request.header("Authorization").orElseThrow().substring("Basic ".length());
        String decoded = new String(java.util.Base64.getDecoder().decode(base64),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(decoded).startsWith("client%3Awith+space:");
    }

    @Test
    void refreshWithBasicSendsTheRefreshTokenAndScopes() {
        String refreshToken = FakeSecrets.refreshToken();
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).build();

        client.refresh(Secret.of(refreshToken), Set.of("read:accounts"));

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.basicCredentials()).hasValue(List.of(CLIENT_ID, clientSecret));
        assertThat(request.params()).containsExactly(
                entry("grant_type", "refresh_token"),
                entry("refresh_token", refreshToken),
                entry("scope", "read:accounts"));
    }

    @Test
    void refreshByAPublicClientSendsOnlyItsId() {
        String refreshToken = FakeSecrets.refreshToken();
        OAuthClient client = client().build();

        client.refresh(Secret.of(refreshToken), Set.of());

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.params()).containsExactly(
                entry("grant_type", "refresh_token"),
                entry("client_id", CLIENT_ID),
                entry("refresh_token", refreshToken));
    }

    @Test
    void refreshInJsonMatchesTheBigLedgerDocument() {
        String refreshToken = FakeSecrets.refreshToken();
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).requestFormat(RequestFormat.JSON)
                .build();

        client.refresh(Secret.of(refreshToken), Set.of());

        RecordedRequest request = endpoint.takeRequest();
        assertThat(client.clientAuthentication()).isEqualTo(ClientAuthentication.CLIENT_SECRET_POST);
        assertThat(request.header("Content-Type")).hasValue("application/json");
        assertThat(request.header("Accept")).hasValue("application/json");
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.params()).containsExactly(
                entry("grant_type", "refresh_token"),
                entry("client_id", CLIENT_ID),
                entry("client_secret", clientSecret),
                entry("refresh_token", refreshToken));
    }

    @Test
    void codeExchangeInJsonMatchesTheBigLedgerDocument() {
        String code = FakeSecrets.code();
        Pkce pkce = Pkce.create();
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).requestFormat(RequestFormat.JSON)
                .build();

        client.exchangeCode(code, REDIRECT, pkce.verifier());

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.params()).containsExactly(
                entry("grant_type", "authorization_code"),
                entry("client_id", CLIENT_ID),
                entry("client_secret", clientSecret),
                entry("code", code),
                entry("redirect_uri", REDIRECT.toString()),
                entry("code_verifier", pkce.verifier().reveal()));
        assertThat(request.body()).startsWith("{\"grant_type\":\"authorization_code\",\"client_id\":");
    }

    @Test
    void codeExchangeWithBasicSendsCodeRedirectAndVerifier() {
        String code = FakeSecrets.code();
        Pkce pkce = Pkce.create();
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).build();

        client.exchangeCode(code, REDIRECT, pkce.verifier());

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.basicCredentials()).hasValue(List.of(CLIENT_ID, clientSecret));
        assertThat(request.params()).containsExactly(
                entry("grant_type", "authorization_code"),
                entry("code", code),
                entry("redirect_uri", REDIRECT.toString()),
                entry("code_verifier", pkce.verifier().reveal()));
    }

    @Test
    void codeExchangeByAPublicClientSendsItsIdAndTheVerifier() {
        String code = FakeSecrets.code();
        Pkce pkce = Pkce.create();
        OAuthClient client = client().build();

        client.exchangeCode(code, REDIRECT, pkce.verifier());

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.header("Authorization")).isEmpty();
        assertThat(request.params()).containsExactly(
                entry("grant_type", "authorization_code"),
                entry("client_id", CLIENT_ID),
                entry("code", code),
                entry("redirect_uri", REDIRECT.toString()),
                entry("code_verifier", pkce.verifier().reveal()));
    }

    @Test
    void jsonWithBasicKeepsTheCredentialsInTheHeader() {
        String refreshToken = FakeSecrets.refreshToken();
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).requestFormat(RequestFormat.JSON)
                .clientAuthentication(ClientAuthentication.CLIENT_SECRET_BASIC).build();

        client.refresh(Secret.of(refreshToken), Set.of("a", "b"));

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.basicCredentials()).hasValue(List.of(CLIENT_ID, clientSecret));
        assertThat(request.params()).containsExactly(
                entry("grant_type", "refresh_token"),
                entry("refresh_token", refreshToken),
                entry("scope", "a b"));
    }

    @Test
    void jsonValuesAreEscaped() {
        String awkwardSecret = Canary.remember("q\"uo\\te\n" + FakeSecrets.random());
        OAuthClient client = client().clientSecret(Secret.of(awkwardSecret)).requestFormat(RequestFormat.JSON)
                .build();

        client.clientCredentials(Set.of());

        assertThat(endpoint.takeRequest().params()).containsEntry("client_secret", awkwardSecret);
    }

    @Test
    void userAgentAndEndpointQueryGoOnTheWire() {
        OAuthClient client = OAuthClient.builder().tokenEndpoint(URI.create(endpoint.uri() + "?tenant=t1"))
                .allowInsecureLoopback(true).clientId(CLIENT_ID).userAgent("MyApp/1.0.0 (https://myapp.example)")
                .build();

        client.refresh(Secret.of(FakeSecrets.refreshToken()), Set.of());

        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.header("User-Agent")).hasValue("MyApp/1.0.0 (https://myapp.example)");
        assertThat(request.query()).hasValue("tenant=t1");
    }

    @Test
    void clientCredentialsIsRefusedToAPublicClientBeforeAnyRequest() {
        OAuthClient client = client().build();

        assertThatThrownBy(() -> client.clientCredentials(Set.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("confidential client");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void invalidScopesAreRefusedBeforeAnyRequest() {
        OAuthClient client = client().clientSecret(Secret.of(clientSecret)).build();

        assertThatThrownBy(() -> client.clientCredentials(Set.of("two words")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two words");
        assertThatThrownBy(() -> client.clientCredentials(Set.of("")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.clientCredentials(Set.of("quo\"te")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void anInvalidVerifierOrEmptyCodeIsRefusedBeforeAnyRequest() {
        OAuthClient client = client().build();
        Secret shortVerifier = Secret.of("too-short");

        assertThatThrownBy(() -> client.exchangeCode(FakeSecrets.code(), REDIRECT, shortVerifier))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("too-short");
        assertThatThrownBy(() -> client.exchangeCode("", REDIRECT, Pkce.create().verifier()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(endpoint.requestCount()).isZero();
    }

    private static java.util.Map.Entry<String, String> entry(String name, String value) {
        return java.util.Map.entry(name, value);
    }
}
