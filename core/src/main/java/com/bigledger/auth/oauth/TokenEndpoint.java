package com.bigledger.auth.oauth;

import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.HttpExchange;
import com.bigledger.auth.internal.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of an {@link OAuthClient} after defaults are applied, and one token request made with them: sent
 * through {@link HttpExchange}, its success body parsed into a {@link TokenResponse}, its error mapped by
 * {@link TokenErrors}. Immutable and thread-safe.
 */
final class TokenEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthClient.class);

    final URI tokenEndpoint;
    final URI shownEndpoint;
    final String clientId;
    final Secret clientSecret;
    final ClientAuthentication clientAuthentication;
    final RequestFormat requestFormat;
    final HttpClient httpClient;
    final Duration requestTimeout;
    final Duration maxRetryAfter;
    final Duration overallTimeout;
    final int maxResponseBytes;
    final String userAgent;
    final Clock clock;
    final Duration defaultExpiresIn;

    /** The options of {@link OAuthClient.Builder} as set, each {@code null} until it is. */
    static final class Settings {
        URI tokenEndpoint;
        String clientId;
        Secret clientSecret;
        ClientAuthentication clientAuthentication;
        RequestFormat requestFormat;
        HttpClient httpClient;
        Duration connectTimeout;
        Duration requestTimeout;
        Duration maxRetryAfter;
        Boolean allowInsecureLoopback;
        Integer maxResponseBytes;
        String userAgent;
        Clock clock;
        Duration defaultExpiresIn;

        /** Returns a duration option's value if it is not {@code null}, positive, and the option is not set yet. */
        static Duration positive(Duration current, String option, Duration d) {
            return positive(option, Options.set(current, option, d));
        }

        static Duration positive(String option, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be positive: " + d);
            }
            return d;
        }

        static int maxResponseBytes(int maxResponseBytes) {
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
            }
            return maxResponseBytes;
        }

        static Duration defaultExpiresIn(Duration defaultExpiresIn) {
            positive("defaultExpiresIn", defaultExpiresIn);
            if (defaultExpiresIn.compareTo(TokenResponse.MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("defaultExpiresIn must be at most " + TokenResponse.MAX_LIFETIME
                        + ": " + defaultExpiresIn);
            }
            return defaultExpiresIn;
        }
    }

    private TokenEndpoint(Settings s, ClientAuthentication clientAuthentication, HttpClient httpClient,
            Duration connectTimeout) {
        this.tokenEndpoint = s.tokenEndpoint;
        this.shownEndpoint = Endpoints.shown(s.tokenEndpoint);
        this.clientId = s.clientId;
        this.clientSecret = s.clientSecret;
        this.clientAuthentication = clientAuthentication;
        this.requestFormat = s.requestFormat != null ? s.requestFormat : RequestFormat.FORM;
        this.httpClient = httpClient;
        this.requestTimeout = s.requestTimeout != null ? s.requestTimeout : OAuthClient.DEFAULT_REQUEST_TIMEOUT;
        this.maxRetryAfter = s.maxRetryAfter != null ? s.maxRetryAfter : OAuthClient.DEFAULT_MAX_RETRY_AFTER;
        // The JDK and the body reader time out first; this bound is the safety net behind them.
        this.overallTimeout = connectTimeout.plus(requestTimeout.multipliedBy(2)).plusSeconds(1);
        this.maxResponseBytes = s.maxResponseBytes != null ? s.maxResponseBytes
                : OAuthClient.DEFAULT_MAX_RESPONSE_BYTES;
        this.userAgent = s.userAgent != null ? s.userAgent : OAuthClient.DEFAULT_USER_AGENT;
        this.clock = s.clock != null ? s.clock : Clock.systemUTC();
        this.defaultExpiresIn = s.defaultExpiresIn;
    }

    /**
     * Checks the options together and applies the defaults.
     *
     * @throws IllegalStateException if a required option is missing, the endpoint's transport is not allowed, or
     *     options conflict; the message names them
     */
    static TokenEndpoint of(Settings s) {
        List<String> missing = new ArrayList<>();
        if (s.tokenEndpoint == null) {
            missing.add("tokenEndpoint");
        }
        if (s.clientId == null) {
            missing.add("clientId");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("OAuthClient needs " + String.join(" and ", missing));
        }
        Endpoints.checkTransport("tokenEndpoint", s.tokenEndpoint, Boolean.TRUE.equals(s.allowInsecureLoopback));

        ClientAuthentication auth = s.clientAuthentication;
        if (auth == null) {
            auth = s.clientSecret == null ? ClientAuthentication.NONE
                    : s.requestFormat == RequestFormat.JSON ? ClientAuthentication.CLIENT_SECRET_POST
                    : ClientAuthentication.CLIENT_SECRET_BASIC;
        }
        if (auth == ClientAuthentication.NONE && s.clientSecret != null) {
            throw new IllegalStateException("clientAuthentication NONE conflicts with clientSecret: a public"
                    + " client has no secret; remove one of them");
        }
        if (auth != ClientAuthentication.NONE && s.clientSecret == null) {
            throw new IllegalStateException("clientAuthentication " + auth + " needs clientSecret");
        }

        HttpClient client = s.httpClient;
        Duration connect;
        if (client != null) {
            if (s.connectTimeout != null) {
                throw new IllegalStateException("connectTimeout " + s.connectTimeout + " conflicts with httpClient:"
                        + " set the connect timeout on the HttpClient you pass");
            }
            if (client.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalStateException("httpClient follows redirects (" + client.followRedirects()
                        + "): a token request must not be redirected; build it with"
                        + " followRedirects(HttpClient.Redirect.NEVER)");
            }
            connect = client.connectTimeout().orElse(OAuthClient.DEFAULT_CONNECT_TIMEOUT);
        } else if (s.connectTimeout == null || s.connectTimeout.equals(OAuthClient.DEFAULT_CONNECT_TIMEOUT)) {
            client = SharedHttpClient.INSTANCE;
            connect = OAuthClient.DEFAULT_CONNECT_TIMEOUT;
        } else {
            client = newHttpClient(s.connectTimeout);
            connect = s.connectTimeout;
        }
        return new TokenEndpoint(s, auth, client, connect);
    }

    /** Starts a request of {@code grantType} with the client's id and authentication. */
    TokenRequest request(String grantType) {
        return new TokenRequest(this, grantType);
    }

    /** Sends a token request and reads its response; see {@link OAuthClient} for the failures. */
    TokenResponse execute(TokenRequest r, Set<String> requestedScopes) {
        HttpRequest request = r.toHttp(tokenEndpoint, requestTimeout, userAgent, requestFormat);
        HttpExchange response = HttpExchange.send(handler -> httpClient.sendAsync(request, handler),
                maxResponseBytes, OAuthClient.HARD_MAX_SUCCESS_BYTES, requestTimeout, overallTimeout,
                HttpExchange.seconds(requestTimeout));
        if (response.failed()) {
            TokenRefreshException failure = new TokenRefreshException(tokenEndpoint, response.failure(),
                    response.cause(), response.retryable());
            LOG.debug("Token request ({} grant) failed: {}", r.grantType, failure.getMessage());
            throw failure;
        }
        int status = response.status();
        LOG.debug("Token request ({} grant) to {}: HTTP {}", r.grantType, shownEndpoint, status);
        if (status < 100 || status > 599) {
            throw new TokenRefreshException(tokenEndpoint, "the endpoint answered with an invalid HTTP status ("
                    + status + ")", null, true);
        }
        if (response.success()) {
            if (response.tooLarge()) {
                throw new InvalidTokenResponseException(tokenEndpoint, status,
                        "the response body is larger than " + maxResponseBytes + " bytes",
                        recoverRefreshToken(response, requestedScopes));
            }
            try {
                return TokenBodies.parseSuccess(shownEndpoint.toString(), response.bytes(), response.contentType(),
                        requestedScopes, defaultExpiresIn);
            } catch (TokenBodies.Problem p) {
                throw new InvalidTokenResponseException(tokenEndpoint, status, p.getMessage(), p.refreshToken());
            }
        }
        throw TokenErrors.of(this, r, response);
    }

    /**
     * From a success body refused for its size: the well-formed {@code refresh_token} it holds, if any. The server
     * has already retired the one it was sent, so this one must not be lost with the rest of the response.
     */
    private Secret recoverRefreshToken(HttpExchange response, Set<String> requestedScopes) {
        byte[] bytes = response.bytes();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return TokenBodies.parseSuccess(shownEndpoint.toString(), bytes, response.contentType(), requestedScopes)
                    .refreshToken().orElse(null);
        } catch (TokenBodies.Problem p) {
            return p.refreshToken();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static HttpClient newHttpClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** One HTTP client, with its selector thread, for every OAuthClient on the defaults. */
    private static final class SharedHttpClient {
        static final HttpClient INSTANCE = newHttpClient(OAuthClient.DEFAULT_CONNECT_TIMEOUT);
    }
}
