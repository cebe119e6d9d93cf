package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the builder accepts, its defaults, and the conflicts it refuses. */
class OAuthClientBuilderTest {

    private static final URI HTTPS = URI.create("https://auth.bigledger.com/oauth/token");

    private static OAuthClient.Builder confidential() {
        return OAuthClient.builder().tokenEndpoint(HTTPS).clientId("tm-client")
                .clientSecret(Secret.of(FakeSecrets.clientSecret()));
    }

    @Test
    void aSecretMeansBasicForFormAndPostForJson() {
        assertThat(confidential().build().clientAuthentication()).isEqualTo(ClientAuthentication.CLIENT_SECRET_BASIC);
        assertThat(confidential().build().requestFormat()).isEqualTo(RequestFormat.FORM);
        assertThat(confidential().requestFormat(RequestFormat.JSON).build().clientAuthentication())
                .isEqualTo(ClientAuthentication.CLIENT_SECRET_POST);
    }

    @Test
    void noSecretMeansAPublicClient() {
        OAuthClient client = OAuthClient.builder().tokenEndpoint(HTTPS).clientId("spa").build();

        assertThat(client.clientAuthentication()).isEqualTo(ClientAuthentication.NONE);
        assertThat(client.clientId()).isEqualTo("spa");
        assertThat(client.tokenEndpoint()).isEqualTo(HTTPS);
    }

    @Test
    void toStringShowsNoSecret() {
        String secret = FakeSecrets.clientSecret();
        OAuthClient client = OAuthClient.builder().tokenEndpoint(HTTPS).clientId("tm-client")
                .clientSecret(Secret.of(secret)).build();

        assertThat(client.toString()).doesNotContain(secret).contains("tm-client", HTTPS.toString(),
                "CLIENT_SECRET_BASIC", "FORM");
    }

    @Test
    void missingOptionsAreNamed() {
        assertThatThrownBy(() -> OAuthClient.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tokenEndpoint and clientId");
        assertThatThrownBy(() -> OAuthClient.builder().tokenEndpoint(HTTPS).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientId");
    }

    @Test
    void anOptionSetTwiceFailsAtOnceNamingItsValue() {
        assertThatThrownBy(() -> confidential().tokenEndpoint(HTTPS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tokenEndpoint is already set (to " + HTTPS + ")");
        assertThatThrownBy(() -> confidential().requestTimeout(Duration.ofSeconds(1))
                .requestTimeout(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("requestTimeout is already set (to PT1S)");
        assertThatThrownBy(() -> confidential().allowInsecureLoopback(false).allowInsecureLoopback(true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowInsecureLoopback");
    }

    @Test
    void aSecretSetTwiceIsNotShown() {
        String secret = FakeSecrets.clientSecret();
        OAuthClient.Builder builder = OAuthClient.builder().clientSecret(Secret.of(secret));

        assertThatThrownBy(() -> builder.clientSecret(Secret.of(FakeSecrets.clientSecret())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clientSecret is already set")
                .hasMessageNotContaining(secret);
    }

    @Test
    void theClientKeepsItsOwnCopyOfTheSecret() throws java.io.IOException {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Secret callers = Secret.of(FakeSecrets.clientSecret());
        OAuthClient client = OAuthClient.builder()
                .tokenEndpoint(URI.create("http://127.0.0.1:" + closedPort + "/token"))
                .allowInsecureLoopback(true).clientId("c").clientSecret(callers).build();

        callers.destroy();

        // The request is built (the secret read) before the connection is refused.
        assertThatThrownBy(() -> client.clientCredentials(java.util.Set.of()))
                .isInstanceOf(com.bigledger.auth.TokenRefreshException.class)
                .hasMessageContaining("I/O error");
    }

    @Test
    void noneWithASecretConflicts() {
        assertThatThrownBy(() -> confidential().clientAuthentication(ClientAuthentication.NONE).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clientAuthentication NONE conflicts with clientSecret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST"})
    void aSecretMethodWithoutASecretConflicts(ClientAuthentication method) {
        assertThatThrownBy(() -> OAuthClient.builder().tokenEndpoint(HTTPS).clientId("c")
                .clientAuthentication(method).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("clientAuthentication " + method + " needs clientSecret");
    }

    @Test
    void aConnectTimeoutWithACallersHttpClientConflicts() {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        assertThatThrownBy(() -> confidential().httpClient(http).connectTimeout(Duration.ofSeconds(3)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connectTimeout PT3S conflicts with httpClient");
    }

    @Test
    void aCallersHttpClientThatFollowsRedirectsIsRefused() {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThatThrownBy(() -> confidential().httpClient(http).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("httpClient follows redirects (NORMAL)");
    }

    @Test
    void httpIsRefusedWithoutTheLoopbackFlag() {
        assertThatThrownBy(() -> OAuthClient.builder().tokenEndpoint(URI.create("http://127.0.0.1:8080/token"))
                .clientId("c").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowInsecureLoopback(true)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://auth.bigledger.com/oauth/token", "http://10.0.0.8/token",
        "http://localhost.evil.example/token", "http://127.0.0.1.nip.io/token"})
    void httpToAnotherHostIsRefusedEvenWithTheFlag(String uri) {
        assertThatThrownBy(() -> OAuthClient.builder().tokenEndpoint(URI.create(uri)).clientId("c")
                .allowInsecureLoopback(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must use https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9/token", "http://127.8.9.10/token", "http://localhost:9/token",
        "http://LOCALHOST/token", "http://[::1]:9/token"})
    void httpToALoopbackHostIsAllowedWithTheFlag(String uri) {
        OAuthClient client = OAuthClient.builder().tokenEndpoint(URI.create(uri)).clientId("c")
                .allowInsecureLoopback(true).build();

        assertThat(client.tokenEndpoint()).isEqualTo(URI.create(uri));
    }

    @Test
    void httpsNeedsNoFlag() {
        assertThat(OAuthClient.builder().tokenEndpoint(URI.create("HTTPS://auth.example/token")).clientId("c")
                .build().tokenEndpoint().getHost()).isEqualTo("auth.example");
    }

    @Test
    void userInfoInTheEndpointIsRefusedWithoutBeingShown() {
        String password = FakeSecrets.clientSecret();

        assertThatThrownBy(() -> OAuthClient.builder()
                .tokenEndpoint(URI.create("https://client:" + password + "@auth.example/token")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user info")
                .hasMessageNotContaining(password);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "ftp://auth.example/token", "https://auth.example/token#frag",
        "mailto:auth@example.com", "https:///token"})
    void endpointsThatAreNotHttpsUrlsAreRefused(String uri) {
        assertThatThrownBy(() -> OAuthClient.builder().tokenEndpoint(URI.create(uri)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tokenEndpoint");
    }

    @Test
    void badValuesAreRefusedAtOnce() {
        assertThatThrownBy(() -> OAuthClient.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthClient.builder().requestTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthClient.builder().maxResponseBytes(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthClient.builder().clientId(""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthClient.builder().clientId("a\nb"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthClient.builder().userAgent("App/1\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OAuthClient.builder().tokenEndpoint(null))
                .isInstanceOf(NullPointerException.class).hasMessage("tokenEndpoint");
    }
}
