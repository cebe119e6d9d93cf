package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.Secret;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationRequestTest {

    private static final URI AUTHORIZE = URI.create("https://auth.bigledger.com/oauth/authorize");
    private static final URI CALLBACK = URI.create("https://yourapp.example/callback?from=app&x=a%20b");

    private static AuthorizationRequest.Builder request() {
        return AuthorizationRequest.builder().authorizationEndpoint(AUTHORIZE).clientId("my client")
                .redirectUri(CALLBACK);
    }

    @Test
    void theUrlCarriesEveryParameterOfTheBigLedgerDocument() {
        AuthorizationRequest request = request().scopes(Set.of("write:invoices", "read:accounts")).build();

        URI uri = request.uri();
        assertThat(uri.getScheme()).isEqualTo("https");
        assertThat(uri.getHost()).isEqualTo("auth.bigledger.com");
        assertThat(uri.getPath()).isEqualTo("/oauth/authorize");
        assertThat(query(uri)).containsExactly(
                Map.entry("response_type", "code"),
                Map.entry("client_id", "my client"),
                Map.entry("redirect_uri", CALLBACK.toString()),
                Map.entry("scope", "read:accounts write:invoices"),
                Map.entry("state", request.state()),
                Map.entry("code_challenge", request.pkce().challenge()),
                Map.entry("code_challenge_method", "S256"));
    }

    @Test
    void valuesArePercentEncodedWithSpacesAsPercent20() {
        AuthorizationRequest request = request().scopes(Set.of("read:accounts", "admin")).build();

        String raw = request.uri().getRawQuery();
        assertThat(raw).contains("scope=admin%20read%3Aaccounts")
                .contains("client_id=my%20client")
                .contains("redirect_uri=https%3A%2F%2Fyourapp.example%2Fcallback%3Ffrom%3Dapp%26x%3Da%2520b")
                .doesNotContain("+");
    }

    @Test
    void theEndpointsOwnQueryIsKept() {
        AuthorizationRequest request = AuthorizationRequest.builder()
                .authorizationEndpoint(URI.create("https://login.example/authorize?tenant=acme"))
                .clientId("c").redirectUri(CALLBACK).build();

        assertThat(request.uri().getRawQuery()).startsWith("tenant=acme&response_type=code&");
    }

    @Test
    void withoutScopesTheScopeParameterIsLeftOut() {
        assertThat(query(request().build().uri())).doesNotContainKey("scope");
    }

    @Test
    void theStateIsFreshBase64UrlOfAtLeast128Bits() {
        Set<String> states = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            AuthorizationRequest request = request().build();
            byte[] decoded = Base64.getUrlDecoder().decode(request.state());
            assertThat(decoded.length * 8).isGreaterThanOrEqualTo(128);
            assertThat(request.state()).matches("[A-Za-z0-9_-]+");
            states.add(request.state());
        }
        assertThat(states).hasSize(100);
    }

    @Test
    void eachRequestGetsItsOwnPkceUnlessOneIsGiven() {
        Pkce pkce = Pkce.of(Secret.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

        assertThat(request().build().pkce().challenge()).isNotEqualTo(request().build().pkce().challenge());
        assertThat(query(request().pkce(pkce).build().uri()))
                .containsEntry("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void extraParametersAreAddedButReservedOnesRefused() {
        AuthorizationRequest request = request().parameter("prompt", "consent").parameter("login_hint", "a@b.c")
                .build();

        assertThat(query(request.uri())).containsEntry("prompt", "consent").containsEntry("login_hint", "a@b.c");
        assertThatThrownBy(() -> request().parameter("state", "mine")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> request().parameter("code_challenge_method", "plain"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> request().parameter("prompt", "a").parameter("prompt", "b"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theEndpointMustBeHttpsUnlessLoopbackIsAllowed() {
        URI local = URI.create("http://127.0.0.1:8080/authorize");

        assertThatThrownBy(() -> AuthorizationRequest.builder().authorizationEndpoint(local).clientId("c")
                .redirectUri(CALLBACK).build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowInsecureLoopback");
        assertThatThrownBy(() -> AuthorizationRequest.builder()
                .authorizationEndpoint(URI.create("http://auth.example/authorize")).clientId("c")
                .redirectUri(CALLBACK).allowInsecureLoopback(true).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("must use https");
        assertThat(AuthorizationRequest.builder().authorizationEndpoint(local).clientId("c").redirectUri(CALLBACK)
                .allowInsecureLoopback(true).build().uri().getPort()).isEqualTo(8080);
    }

    @Test
    void aNativeAppsLoopbackOrPrivateSchemeRedirectIsAccepted() {
        assertThat(request().build().redirectUri()).isEqualTo(CALLBACK);
        assertThat(AuthorizationRequest.builder().authorizationEndpoint(AUTHORIZE).clientId("c")
                .redirectUri(URI.create("com.example.app:/oauth2redirect")).build().redirectUri().getScheme())
                .isEqualTo("com.example.app");
        assertThatThrownBy(() -> AuthorizationRequest.builder().redirectUri(URI.create("https://app.example/cb#x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fragment");
        assertThatThrownBy(() -> AuthorizationRequest.builder().redirectUri(URI.create("/relative")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingOptionsAreNamed() {
        assertThatThrownBy(() -> AuthorizationRequest.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("authorizationEndpoint clientId redirectUri");
    }

    @Test
    void toStringShowsNeitherStateNorVerifier() {
        AuthorizationRequest request = request().build();

        assertThat(request.toString()).doesNotContain(request.state())
                .doesNotContain(request.pkce().verifier().reveal())
                .contains("auth.bigledger.com");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
