package com.bigledger.auth.it;

import com.bigledger.auth.Secret;
import com.bigledger.auth.it.server.AuthServerApp;
import com.bigledger.auth.it.server.RevokingAuthorizationService;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Authorization Server, started once per test JVM on 127.0.0.1 and a random port, configured by
 * {@code authserver.yml}. Client secrets and the user's password are {@link Canary} values made at start-up. Spring
 * closes the server from its JVM shutdown hook when the test run ends. Thread-safe.
 */
public final class AuthServer {

    /** The form-login user of the authorization-code flow. */
    public static final String USER = "alice";
    /** Registered in {@code authserver.yml} for {@code tm-client}. */
    public static final URI REDIRECT_URI = URI.create("http://127.0.0.1:9999/callback");

    private static final String PREFIX = "spring.security.oauth2.authorizationserver.client.";
    private static AuthServer shared;

    private final ConfigurableApplicationContext context;
    private final URI base;
    private final Map<String, Secret> clientSecrets;
    private final Secret password;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private AuthServer() {
        Map<String, Object> properties = new HashMap<>();
        Map<String, Secret> secrets = new HashMap<>();
        for (String client : new String[] {"cc-client", "tm-client", "proxy-client", "login-client", "fleet-client",
                "exchange-client"}) {
            Secret secret = Canary.secret("");
            secrets.put(client, secret);
            properties.put(PREFIX + client + ".registration.client-secret", "{noop}" + secret.reveal());
        }
        password = Canary.secret("");
        properties.put("spring.security.user.password", password.reveal());
        properties.put("spring.config.name", "authserver");
        context = new SpringApplicationBuilder(AuthServerApp.class)
                .properties(properties)
                .run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        base = URI.create("http://127.0.0.1:" + port);
        clientSecrets = Map.copyOf(secrets);
    }

    /**
     * Returns the server of this JVM, starting it on first use (about 3 s).
     *
     * @return the running server
     */
    public static synchronized AuthServer shared() {
        if (shared == null) {
            shared = new AuthServer();
        }
        return shared;
    }

    /** The server's base address, {@code http://127.0.0.1:PORT}. */
    public URI base() {
        return base;
    }

    /** {@code /oauth2/token}. */
    public URI tokenEndpoint() {
        return base.resolve("/oauth2/token");
    }

    /** {@code /oauth2/authorize}. */
    public URI authorizationEndpoint() {
        return base.resolve("/oauth2/authorize");
    }

    /** The secret registered for {@code clientId}. */
    public Secret clientSecret(String clientId) {
        return clientSecrets.get(clientId);
    }

    /** The server's authorization store, with refresh-token reuse detection for the {@code fleet-} clients. */
    public RevokingAuthorizationService authorizations() {
        return context.getBean(RevokingAuthorizationService.class);
    }

    /** The form-login user's password. */
    public Secret password() {
        return password;
    }

    /** A client of {@code clientId} with its real secret, sending form bodies and HTTP Basic, to {@code endpoint}. */
    public OAuthClient.Builder client(String clientId, URI endpoint) {
        return client(clientId, endpoint, clientSecret(clientId));
    }

    /** A client of {@code clientId} that presents {@code secret}, sending form bodies and HTTP Basic. */
    public OAuthClient.Builder client(String clientId, URI endpoint, Secret secret) {
        return OAuthClient.builder()
                .tokenEndpoint(endpoint)
                .clientId(clientId)
                .clientSecret(secret)
                .clientAuthentication(ClientAuthentication.CLIENT_SECRET_BASIC)
                .allowInsecureLoopback(true)
                .connectTimeout(Duration.ofSeconds(5));
    }

    /** A client of {@code clientId} to this server's token endpoint. */
    public OAuthClient.Builder client(String clientId) {
        return client(clientId, tokenEndpoint());
    }

    /**
     * Asks the server, through token introspection (RFC 7662) as {@code cc-client}, whether a token is active.
     *
     * @param token the access or refresh token
     * @return whether the server says it is active
     */
    public boolean isActive(Secret token) {
        String credentials = Base64.getEncoder().encodeToString(("cc-client:" + clientSecret("cc-client").reveal())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/oauth2/introspect"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token="
                        + URLEncoder.encode(token.reveal(), StandardCharsets.UTF_8)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("introspection answered " + response.statusCode());
            }
            return response.body().replace(" ", "").contains("\"active\":true");
        } catch (IOException e) {
            throw new IllegalStateException("introspection failed: " + e.getClass().getName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
