package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures below HTTP: refused and dropped connections, cut-off bodies, timeouts, interruption. */
class OAuthClientTransportTest {

    private FakeTokenEndpoint endpoint;
    private String clientSecret;
    private String refreshToken;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        endpoint = FakeTokenEndpoint.start();
        clientSecret = FakeSecrets.clientSecret();
        refreshToken = FakeSecrets.refreshToken();
    }

    @AfterEach
    void stop() {
        release.countDown();
        endpoint.close();
    }

    private OAuthClient client(URI uri, Duration requestTimeout) {
        return OAuthClient.builder().tokenEndpoint(uri).allowInsecureLoopback(true).clientId("tm-client")
                .clientSecret(Secret.of(clientSecret)).requestTimeout(requestTimeout).build();
    }

    private TokenRefreshException refreshFails(OAuthClient client) {
        return catchThrowableOfType(TokenRefreshException.class,
                () -> client.refresh(Secret.of(refreshToken), Set.of()));
    }

    @Test
    void aRefusedConnectionIsARetryableIoError() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/oauth/token");
        }

        TokenRefreshException e = refreshFails(client(closed, Duration.ofSeconds(30)));

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.getCause()).isInstanceOf(IOException.class);
        assertThat(e.getMessage()).contains(closed.toString(), "I/O error");
        FakeSecrets.assertLeaksNothing(e, clientSecret, refreshToken);
    }

    @Test
    void aDroppedConnectionIsARetryableIoError() {
        endpoint.enqueue(Response.disconnect());

        TokenRefreshException e = refreshFails(client(endpoint.uri(), Duration.ofSeconds(30)));

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.getCause()).isInstanceOf(IOException.class);
    }

    @Test
    void aBodyCutOffBeforeItsContentLengthIsARetryableIoError() {
        String accessToken = FakeSecrets.accessToken();
        endpoint.enqueue(Response.cutOff(200, 500, "{\"access_token\":\"" + accessToken + "\",\"token_"));

        TokenRefreshException e = refreshFails(client(endpoint.uri(), Duration.ofSeconds(30)));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getCause()).isInstanceOf(IOException.class);
        FakeSecrets.assertLeaksNothing(e, accessToken, refreshToken, clientSecret);
    }

    @Test
    void noResponseWithinTheRequestTimeoutIsARetryableTimeout() {
        endpoint.enqueue(Response.token(FakeSecrets.accessToken(), 3600).holdUntil(release));

        TokenRefreshException e = refreshFails(client(endpoint.uri(), Duration.ofMillis(200)));

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.getCause()).isInstanceOfAny(HttpTimeoutException.class, TimeoutException.class);
        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutToo() {
        String accessToken = FakeSecrets.accessToken();
        endpoint.enqueue(Response.token(accessToken, 3600).stallBodyAfter(10, release));

        TokenRefreshException e = refreshFails(client(endpoint.uri(), Duration.ofMillis(200)));

        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("body did not arrive");
        assertThat(e.getCause()).isInstanceOf(TimeoutException.class);
        FakeSecrets.assertLeaksNothing(e, accessToken);
    }

    @Test
    void anInterruptedCallFailsAtOnceAndKeepsTheInterrupt() {
        endpoint.enqueue(Response.token(FakeSecrets.accessToken(), 3600).holdUntil(release));
        OAuthClient client = client(endpoint.uri(), Duration.ofSeconds(30));

        Thread.currentThread().interrupt();
        TokenRefreshException e;
        try {
            e = refreshFails(client);
        } finally {
            assertThat(Thread.interrupted()).as("interrupt flag kept").isTrue();
        }

        assertThat(e.retryable()).isFalse();
        assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
        assertThat(e.getMessage()).contains("interrupted");
    }

    @Test
    void aCallersHttpClientIsUsed() {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").httpClient(http).build();
        String accessToken = FakeSecrets.accessToken();
        endpoint.enqueue(Response.token(accessToken, 60));

        TokenResponse token = client.refresh(Secret.of(refreshToken), Set.of());

        assertThat(token.accessToken()).isEqualTo(Secret.of(accessToken));
        assertThat(endpoint.takeRequest().header("Upgrade")).isEmpty();
    }
}
