package com.bigledger.auth.oauth;

import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.CappedBody;
import com.bigledger.auth.internal.Endpoints;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client of one OAuth 2.0 token endpoint (RFC 6749 §3.2): gets tokens with the {@code client_credentials},
 * {@code refresh_token} and {@code authorization_code} (with PKCE) grants, over the JDK {@link HttpClient}.
 *
 * <p>It speaks both standard OAuth 2.0 ({@link RequestFormat#FORM}) and the BigLedger token endpoint, which takes
 * a JSON body with the client's id and secret in it ({@link RequestFormat#JSON}):
 *
 * <pre>{@code
 * OAuthClient bigledger = OAuthClient.builder()
 *         .tokenEndpoint(URI.create("https://auth.bigledger.com/oauth/token"))
 *         .requestFormat(RequestFormat.JSON)
 *         .clientId("my-client")
 *         .clientSecret(vault.get(CredentialRef.parse("aws-sm:prod/bigledger#client_secret")))
 *         .build();
 * TokenResponse token = bigledger.refresh(refreshToken, Set.of());
 * }</pre>
 *
 * <p>Every failure is a {@link TokenRefreshException} that names the endpoint and, when there was a response, the
 * HTTP status and error code, and never a secret or token:
 * <ul>
 *   <li>{@link ReauthenticationRequiredException} (not retryable) for {@code invalid_grant}, {@code invalid_client},
 *       {@code unauthorized_client}, BigLedger {@code UNAUTHORIZED}, and any HTTP 401;
 *   <li>{@link InvalidTokenResponseException} (retryable) for a success status without a usable bearer token;
 *   <li>a retryable {@link TokenRefreshException} for I/O errors, timeouts, HTTP 408, 429 and 5xx, and the error
 *       codes {@code temporarily_unavailable} and {@code server_error}, with {@code Retry-After} read on 429 and
 *       503;
 *   <li>a non-retryable {@link TokenRefreshException} for other 4xx responses ({@code invalid_scope},
 *       {@code invalid_request}, …) and redirects, which are never followed.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe; one client serves any number of threads. Each grant method blocks
 * the calling thread on network I/O, for at most the connect timeout plus twice the request timeout (once for the
 * headers, once for the body).
 */
public final class OAuthClient {

    /** The connect timeout when none is set: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The request timeout when none is set: 30 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The longest {@code Retry-After} honoured when no cap is set: 60 seconds. */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(60);

    /** The response size cap when none is set: 64 KiB, ample for a token response with a large JWT. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

    /**
     * How much of a success response above {@linkplain Builder#maxResponseBytes the cap} is still read, only to
     * recover a rotated {@code refresh_token} from it (the response itself is refused): 1 MiB.
     */
    public static final int HARD_MAX_SUCCESS_BYTES = 1024 * 1024;

    /** The {@code User-Agent} when none is set. */
    public static final String DEFAULT_USER_AGENT = "bigledger-auth-java";

    private static final Logger LOG = LoggerFactory.getLogger(OAuthClient.class);

    private static final String REDACTED = "[redacted]";

    private final URI tokenEndpoint;
    private final URI shownEndpoint;
    private final String clientId;
    private final Secret clientSecret;
    private final ClientAuthentication clientAuthentication;
    private final RequestFormat requestFormat;
    private final HttpClient httpClient;
    private final Duration requestTimeout;
    private final Duration maxRetryAfter;
    private final Duration overallTimeout;
    private final int maxResponseBytes;
    private final String userAgent;
    private final Clock clock;
    private final Duration defaultExpiresIn;

    private OAuthClient(Builder b, ClientAuthentication clientAuthentication, HttpClient httpClient,
            Duration connectTimeout) {
        this.tokenEndpoint = b.tokenEndpoint;
        this.shownEndpoint = Endpoints.shown(b.tokenEndpoint);
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.clientAuthentication = clientAuthentication;
        this.requestFormat = b.requestFormat != null ? b.requestFormat : RequestFormat.FORM;
        this.httpClient = httpClient;
        this.requestTimeout = b.requestTimeout != null ? b.requestTimeout : DEFAULT_REQUEST_TIMEOUT;
        this.maxRetryAfter = b.maxRetryAfter != null ? b.maxRetryAfter : DEFAULT_MAX_RETRY_AFTER;
        // The JDK and the body reader time out first; this bound is the safety net behind them.
        this.overallTimeout = connectTimeout.plus(requestTimeout.multipliedBy(2)).plusSeconds(1);
        this.maxResponseBytes = b.maxResponseBytes != null ? b.maxResponseBytes : DEFAULT_MAX_RESPONSE_BYTES;
        this.userAgent = b.userAgent != null ? b.userAgent : DEFAULT_USER_AGENT;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.defaultExpiresIn = b.defaultExpiresIn;
    }

    /**
     * Starts a client.
     *
     * @return a new builder; {@link Builder#tokenEndpoint} and {@link Builder#clientId} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Gets a token for the client itself, with the {@code client_credentials} grant (RFC 6749 §4.4). Blocks on
     * network I/O.
     *
     * @param scopes the scopes to ask for; empty to leave {@code scope} out and get the server's default
     * @return the token; servers issue no refresh token for this grant, as RFC 6749 §4.4.3 recommends
     * @throws NullPointerException if {@code scopes} or an element is {@code null}
     * @throws IllegalArgumentException if a scope is not a valid RFC 6749 scope token
     * @throws IllegalStateException if this is a public client ({@link ClientAuthentication#NONE}), which cannot
     *     use this grant
     * @throws ReauthenticationRequiredException if the server refused the client
     * @throws InvalidTokenResponseException if the server answered with success but no usable token
     * @throws TokenRefreshException for any other failure; see {@link TokenRefreshException#retryable()}
     */
    public TokenResponse clientCredentials(Set<String> scopes) {
        Set<String> checked = Scopes.check(scopes);
        if (clientAuthentication == ClientAuthentication.NONE) {
            throw new IllegalStateException("The client_credentials grant needs a confidential client; client "
                    + clientId + " has no secret (clientAuthentication NONE)");
        }
        Request r = new Request("client_credentials");
        r.scope(checked);
        return execute(r, checked);
    }

    /**
     * Gets a new access token with a refresh token, with the {@code refresh_token} grant (RFC 6749 §6). Blocks on
     * network I/O.
     *
     * <p>A server that rotates refresh tokens retires {@code refreshToken} when it answers: store
     * {@link TokenResponse#refreshToken()} before anything else, and if this method throws
     * {@link InvalidTokenResponseException}, keep its {@link InvalidTokenResponseException#receivedRefreshToken()}.
     *
     * @param refreshToken the refresh token
     * @param scopes the scopes to ask for, a subset of those originally granted; empty to keep them all
     * @return the new token
     * @throws NullPointerException if an argument or a scope is {@code null}
     * @throws IllegalArgumentException if a scope is not a valid RFC 6749 scope token
     * @throws ReauthenticationRequiredException if the refresh token or the client was refused
     * @throws InvalidTokenResponseException if the server answered with success but no usable token
     * @throws TokenRefreshException for any other failure; see {@link TokenRefreshException#retryable()}
     */
    public TokenResponse refresh(Secret refreshToken, Set<String> scopes) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        Set<String> checked = Scopes.check(scopes);
        Request r = new Request("refresh_token");
        r.secret("refresh_token", refreshToken.reveal());
        r.scope(checked);
        return execute(r, checked);
    }

    /**
     * Exchanges an authorization code for tokens, with the {@code authorization_code} grant and its PKCE verifier
     * (RFC 6749 §4.1.3, RFC 7636 §4.5). Blocks on network I/O.
     *
     * <p>{@link AuthorizationResponse#parse} gives the code after checking the callback's state; the redirect URI
     * and verifier come from the {@link AuthorizationRequest}.
     *
     * @param code the authorization code from the callback
     * @param redirectUri the redirect URI sent in the authorization request, exactly
     * @param codeVerifier the PKCE verifier whose challenge was sent in the authorization request
     * @return the tokens
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if the code is empty or the verifier is not a valid RFC 7636 verifier
     * @throws ReauthenticationRequiredException if the code, the verifier or the client was refused
     * @throws InvalidTokenResponseException if the server answered with success but no usable token
     * @throws TokenRefreshException for any other failure; see {@link TokenRefreshException#retryable()}
     */
    public TokenResponse exchangeCode(String code, URI redirectUri, Secret codeVerifier) {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Pkce.checkVerifier(codeVerifier);
        if (code.isEmpty()) {
            throw new IllegalArgumentException("The authorization code is empty");
        }
        Request r = new Request("authorization_code");
        r.secret("code", code);
        r.param("redirect_uri", redirectUri.toString());
        r.secret("code_verifier", codeVerifier.reveal());
        return execute(r, Set.of());
    }

    /**
     * Returns the token endpoint.
     *
     * @return the endpoint, as configured
     */
    public URI tokenEndpoint() {
        return tokenEndpoint;
    }

    /**
     * Returns the request timeout: how long one token request may wait for its response and then its body.
     *
     * @return the timeout
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Returns the overall bound of one token request: connect, response and body, after which it is abandoned.
     *
     * @return the bound
     */
    public Duration overallTimeout() {
        return overallTimeout;
    }

    /**
     * Returns the client id.
     *
     * @return the client id
     */
    public String clientId() {
        return clientId;
    }

    /**
     * Returns how the client authenticates, after defaults are applied.
     *
     * @return the client authentication method
     */
    public ClientAuthentication clientAuthentication() {
        return clientAuthentication;
    }

    /**
     * Returns how request bodies are encoded, after defaults are applied.
     *
     * @return the request format
     */
    public RequestFormat requestFormat() {
        return requestFormat;
    }

    /** Shows the endpoint (without query), the client id and the methods, never the secret. */
    @Override
    public String toString() {
        return "OAuthClient[tokenEndpoint=" + shownEndpoint + ", clientId=" + clientId + ", clientAuthentication="
                + clientAuthentication + ", requestFormat=" + requestFormat + "]";
    }

    /** The parameters of one token request, in wire order, and the secret values among them. */
    private final class Request {

        final String grantType;
        final List<String[]> params = new ArrayList<>();
        final List<String> secrets = new ArrayList<>();
        final String basicAuthorization;

        Request(String grantType) {
            this.grantType = grantType;
            param("grant_type", grantType);
            if (clientAuthentication != ClientAuthentication.CLIENT_SECRET_BASIC) {
                param("client_id", clientId);
            }
            if (clientAuthentication == ClientAuthentication.CLIENT_SECRET_POST) {
                secret("client_secret", clientSecret.reveal());
            }
            if (clientAuthentication == ClientAuthentication.CLIENT_SECRET_BASIC) {
                // RFC 6749 §2.3.1: both parts form-encoded before Base64.
                String secret = clientSecret.reveal();
                String encoded = Base64.getEncoder().encodeToString(
                        (form(clientId) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
                secrets.add(secret);
                secrets.add(encoded);
                basicAuthorization = "Basic " + encoded;
            } else {
                basicAuthorization = null;
            }
        }

        void param(String name, String value) {
            params.add(new String[] {name, value});
        }

        void secret(String name, String value) {
            param(name, value);
            secrets.add(value);
        }

        void scope(Set<String> scopes) {
            if (!scopes.isEmpty()) {
                param("scope", Scopes.join(scopes));
            }
        }
    }

    private TokenResponse execute(Request r, Set<String> requestedScopes) {
        HttpRequest.Builder http = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", userAgent);
        if (r.basicAuthorization != null) {
            http.header("Authorization", r.basicAuthorization);
        }
        if (requestFormat == RequestFormat.JSON) {
            http.header("Content-Type", "application/json");
            http.POST(HttpRequest.BodyPublishers.ofByteArray(json(r.params)));
        } else {
            http.header("Content-Type", "application/x-www-form-urlencoded");
            http.POST(HttpRequest.BodyPublishers.ofString(form(r.params), StandardCharsets.UTF_8));
        }

        HttpResponse<CappedBody> response = send(http.build(), r.grantType);
        int status = response.statusCode();
        LOG.debug("Token request ({} grant) to {}: HTTP {}", r.grantType, shownEndpoint, status);
        if (status < 100 || status > 599) {
            throw new TokenRefreshException(tokenEndpoint, "the endpoint answered with an invalid HTTP status ("
                    + status + ")", null, true);
        }
        if (status >= 200 && status < 300) {
            if (response.body().tooLarge()) {
                throw new InvalidTokenResponseException(tokenEndpoint, status,
                        "the response body is larger than " + maxResponseBytes + " bytes",
                        recoverRefreshToken(response, requestedScopes));
            }
            try {
                return TokenBodies.parseSuccess(shownEndpoint.toString(), response.body().bytes(),
                        response.headers().firstValue("Content-Type").orElse(null), requestedScopes, defaultExpiresIn);
            } catch (TokenBodies.Problem p) {
                throw new InvalidTokenResponseException(tokenEndpoint, status, p.getMessage(), p.refreshToken());
            }
        }
        throw errorFor(r, status, response.headers(), response.body());
    }

    /**
     * From a success body refused for its size: the well-formed {@code refresh_token} it holds, if any. The server
     * has already retired the one it was sent, so this one must not be lost with the rest of the response.
     */
    private Secret recoverRefreshToken(HttpResponse<CappedBody> response, Set<String> requestedScopes) {
        byte[] bytes = response.body().bytes();
        if (bytes.length == 0) {
            return null;
        }
        try {
            return TokenBodies.parseSuccess(shownEndpoint.toString(), bytes,
                    response.headers().firstValue("Content-Type").orElse(null), requestedScopes)
                    .refreshToken().orElse(null);
        } catch (TokenBodies.Problem p) {
            return p.refreshToken();
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private HttpResponse<CappedBody> send(HttpRequest request, String grantType) {
        CompletableFuture<HttpResponse<CappedBody>> future =
                httpClient.sendAsync(request, CappedBody.handler(maxResponseBytes, HARD_MAX_SUCCESS_BYTES,
                        requestTimeout));
        try {
            return future.get(overallTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new TokenRefreshException(tokenEndpoint, "interrupted while waiting for the response", e, false);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TokenRefreshException(tokenEndpoint, "no complete response within " + seconds(overallTimeout),
                    e, true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw transportFailure(cause, grantType);
        }
    }

    private TokenRefreshException transportFailure(Throwable cause, String grantType) {
        TokenRefreshException failure;
        // Only the exception's class goes in the message: JDK messages are harmless, but not ours to vouch for.
        if (cause instanceof HttpConnectTimeoutException) {
            failure = new TokenRefreshException(tokenEndpoint, "could not connect within the connect timeout", cause,
                    true);
        } else if (cause instanceof HttpTimeoutException) {
            failure = new TokenRefreshException(tokenEndpoint, "no response within the request timeout of "
                    + seconds(requestTimeout), cause, true);
        } else if (cause instanceof TimeoutException) {
            failure = new TokenRefreshException(tokenEndpoint, "the response body did not arrive within the request"
                    + " timeout of " + seconds(requestTimeout), cause, true);
        } else if (cause instanceof IOException) {
            failure = new TokenRefreshException(tokenEndpoint, "I/O error (" + cause.getClass().getName() + ")",
                    cause, true);
        } else {
            failure = new TokenRefreshException(tokenEndpoint, "unexpected failure ("
                    + (cause == null ? "unknown" : cause.getClass().getName()) + ")", cause, false);
        }
        LOG.debug("Token request ({} grant) failed: {}", grantType, failure.getMessage());
        return failure;
    }

    private TokenRefreshException errorFor(Request r, int status, HttpHeaders headers, CappedBody body) {
        if (status >= 300 && status < 400) {
            return new TokenRefreshException(tokenEndpoint, status, null, null, null,
                    "the token endpoint answered with a redirect, which is never followed for a token request; "
                            + "configure the final token endpoint URL", null, false);
        }
        TokenBodies.ErrorBody error = body.tooLarge() ? TokenBodies.ErrorBody.NONE
                : TokenBodies.parseError(body.bytes());
        String code = redact(error.code, r.secrets);
        String description = redact(error.description, r.secrets);
        String lowerCode = code == null ? "" : code.toLowerCase(Locale.ROOT);
        Duration retryAfter = status == 429 || status == 503
                ? retryAfter(headers.firstValue("Retry-After").orElse(null), clock, maxRetryAfter) : null;

        if (status >= 500 || status == 429 || status == 408
                || lowerCode.equals("temporarily_unavailable") || lowerCode.equals("server_error")) {
            String detail = status == 429 ? "too many requests"
                    : status == 408 ? "the server timed out waiting for the request"
                    : "the token endpoint is failing or unavailable";
            return new TokenRefreshException(tokenEndpoint, status, code, description, retryAfter, detail, null, true);
        }
        switch (lowerCode) {
            case "invalid_grant":
                return new ReauthenticationRequiredException(tokenEndpoint, status, code, description,
                        "the " + grantName(r.grantType) + " is invalid, expired, revoked or already used;"
                                + " authorize again");
            case "unauthorized_client":
                return new ReauthenticationRequiredException(tokenEndpoint, status, code, description,
                        "client " + clientId + " is not allowed to use the " + r.grantType + " grant");
            case "invalid_client":
            case "unauthorized":
                return new ReauthenticationRequiredException(tokenEndpoint, status, code, description,
                        clientRefused());
            default:
                break;
        }
        if (status == 401) {
            return new ReauthenticationRequiredException(tokenEndpoint, status, code, description, clientRefused());
        }
        return new TokenRefreshException(tokenEndpoint, status, code, description, null,
                "the token endpoint rejected the request", null, false);
    }

    private String clientRefused() {
        return "the authentication of client " + clientId + " (" + clientAuthentication
                + ") was refused; check the client id, secret and authentication method";
    }

    private static String grantName(String grantType) {
        switch (grantType) {
            case "refresh_token":
                return "refresh token";
            case "authorization_code":
                return "authorization code (or its PKCE verifier or redirect URI)";
            default:
                return grantType + " grant";
        }
    }

    /**
     * Reads a {@code Retry-After} value (RFC 9110 §10.2.3): a number of seconds, or an HTTP date.
     *
     * <p>A wait longer than {@code max} is ignored (logged at debug): one answer with a huge value, or a date
     * centuries ahead, would otherwise stall every refresh, or overflow where the retry is scheduled.
     *
     * @return the wait, zero for a date in the past, or {@code null} when the value is absent, unreadable or longer
     *     than {@code max}
     */
    static Duration retryAfter(String value, Clock clock, Duration max) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        Duration wait;
        if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            wait = Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                wait = Duration.between(clock.instant(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException | ArithmeticException e) {
                return null;
            }
        }
        if (wait.compareTo(max) > 0) {
            LOG.debug("Retry-After of {} s is longer than the cap of {} s: ignored", wait.toSeconds(),
                    max.toSeconds());
            return null;
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** Removes from server text any secret value this request sent, in case the server echoed it. */
    private static String redact(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (!secret.isEmpty()) {
                out = out.replace(secret, REDACTED);
            }
        }
        return out;
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String form(List<String[]> params) {
        StringBuilder body = new StringBuilder();
        for (String[] p : params) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(form(p[0])).append('=').append(form(p[1]));
        }
        return body.toString();
    }

    private static byte[] json(List<String[]> params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = TokenBodies.JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            for (String[] p : params) {
                g.writeStringField(p[0], p[1]);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Builds an {@link OAuthClient}.
     *
     * <p>Each option may be set once: setting one twice fails at once, and options in conflict (a secret with
     * {@link ClientAuthentication#NONE}, {@link ClientAuthentication#CLIENT_SECRET_BASIC} without a secret, a
     * connect timeout with a caller's {@link HttpClient}) fail in {@link #build()}, naming them. Not thread-safe:
     * use one builder per thread.
     */
    public static final class Builder {

        private URI tokenEndpoint;
        private String clientId;
        private Secret clientSecret;
        private ClientAuthentication clientAuthentication;
        private RequestFormat requestFormat;
        private HttpClient httpClient;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private Duration maxRetryAfter;
        private Boolean allowInsecureLoopback;
        private Integer maxResponseBytes;
        private String userAgent;
        private Clock clock;
        private Duration defaultExpiresIn;

        private Builder() {
        }

        /**
         * Sets the token endpoint. Required. It must be {@code https}; {@code http} is accepted only for a
         * loopback host with {@link #allowInsecureLoopback(boolean) allowInsecureLoopback(true)}. A query is
         * kept and sent, but never shown in messages.
         *
         * @param tokenEndpoint an absolute URL, without user info or fragment
         * @return this builder
         * @throws NullPointerException if {@code tokenEndpoint} is {@code null}
         * @throws IllegalArgumentException if it is not an absolute {@code http(s)} URL with a host, or has user
         *     info or a fragment
         * @throws IllegalStateException if the endpoint was already set
         */
        public Builder tokenEndpoint(URI tokenEndpoint) {
            Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
            once(this.tokenEndpoint, "tokenEndpoint");
            this.tokenEndpoint = Endpoints.checkShape("tokenEndpoint", tokenEndpoint);
            return this;
        }

        /**
         * Sets the client id. Required.
         *
         * @param clientId the client id the authorization server issued; not secret
         * @return this builder
         * @throws NullPointerException if {@code clientId} is {@code null}
         * @throws IllegalArgumentException if it is empty or holds a control character
         * @throws IllegalStateException if the client id was already set
         */
        public Builder clientId(String clientId) {
            Objects.requireNonNull(clientId, "clientId");
            once(this.clientId, "clientId");
            if (clientId.isEmpty() || clientId.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("clientId must be non-empty, without control characters");
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * Sets the client secret, for a confidential client. By default, there is none: the client is public and
         * authenticates with {@link ClientAuthentication#NONE}.
         *
         * @param clientSecret the client secret; copied, so that destroying it later does not affect the client
         * @return this builder
         * @throws NullPointerException if {@code clientSecret} is {@code null}
         * @throws IllegalStateException if the secret was already set, or {@code clientSecret} was destroyed
         */
        public Builder clientSecret(Secret clientSecret) {
            Objects.requireNonNull(clientSecret, "clientSecret");
            once(this.clientSecret, "clientSecret");
            // A copy: the caller may destroy its Secret (after a rotation, say) while this client lives on.
            byte[] bytes = clientSecret.revealBytes();
            try {
                this.clientSecret = Secret.ofBytes(bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            return this;
        }

        /**
         * Sets how the client authenticates. By default, {@link ClientAuthentication#CLIENT_SECRET_BASIC} when a
         * secret is set and the format is {@link RequestFormat#FORM}, {@link ClientAuthentication#CLIENT_SECRET_POST}
         * when a secret is set and the format is {@link RequestFormat#JSON} (as the BigLedger endpoint expects),
         * and {@link ClientAuthentication#NONE} when no secret is set.
         *
         * @param clientAuthentication the method
         * @return this builder
         * @throws NullPointerException if {@code clientAuthentication} is {@code null}
         * @throws IllegalStateException if the method was already set
         */
        public Builder clientAuthentication(ClientAuthentication clientAuthentication) {
            Objects.requireNonNull(clientAuthentication, "clientAuthentication");
            once(this.clientAuthentication, "clientAuthentication");
            this.clientAuthentication = clientAuthentication;
            return this;
        }

        /**
         * Sets how request bodies are encoded. By default, {@link RequestFormat#FORM}, as RFC 6749 specifies; the
         * BigLedger token endpoint needs {@link RequestFormat#JSON}.
         *
         * @param requestFormat the format
         * @return this builder
         * @throws NullPointerException if {@code requestFormat} is {@code null}
         * @throws IllegalStateException if the format was already set
         */
        public Builder requestFormat(RequestFormat requestFormat) {
            Objects.requireNonNull(requestFormat, "requestFormat");
            once(this.requestFormat, "requestFormat");
            this.requestFormat = requestFormat;
            return this;
        }

        /**
         * Sets the HTTP client to send requests with, for its proxy, TLS or executor settings. It must not follow
         * redirects, which could carry the client's credentials elsewhere; its own connect timeout applies. By
         * default, a client shared by all {@code OAuthClient}s with the default connect timeout, that follows no
         * redirects and uses the system proxy settings.
         *
         * @param httpClient a client built with {@code followRedirects(HttpClient.Redirect.NEVER)}
         * @return this builder
         * @throws NullPointerException if {@code httpClient} is {@code null}
         * @throws IllegalStateException if the client was already set
         */
        public Builder httpClient(HttpClient httpClient) {
            Objects.requireNonNull(httpClient, "httpClient");
            once(this.httpClient, "httpClient");
            this.httpClient = httpClient;
            return this;
        }

        /**
         * Sets how long to wait for a connection to the endpoint. Conflicts with {@link #httpClient(HttpClient)},
         * whose own connect timeout applies. By default, {@link #DEFAULT_CONNECT_TIMEOUT} (10 seconds).
         *
         * @param connectTimeout a positive duration
         * @return this builder
         * @throws NullPointerException if {@code connectTimeout} is {@code null}
         * @throws IllegalArgumentException if it is zero or negative
         * @throws IllegalStateException if the timeout was already set
         */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            once(this.connectTimeout, "connectTimeout");
            this.connectTimeout = positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * Sets how long to wait for the response once the request is sent: for its headers, and then again for its
         * complete body, so that a body that trickles in cannot hold the caller. A whole call therefore takes at most
         * the connect timeout plus twice this. By default, {@link #DEFAULT_REQUEST_TIMEOUT} (30 seconds).
         *
         * @param requestTimeout a positive duration
         * @return this builder
         * @throws NullPointerException if {@code requestTimeout} is {@code null}
         * @throws IllegalArgumentException if it is zero or negative
         * @throws IllegalStateException if the timeout was already set
         */
        public Builder requestTimeout(Duration requestTimeout) {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            once(this.requestTimeout, "requestTimeout");
            this.requestTimeout = positive("requestTimeout", requestTimeout);
            return this;
        }

        /**
         * Caps the wait a server may ask for with {@code Retry-After} on a 429 or 503: a longer wait is ignored (and
         * logged at debug), and the usual backoff applies instead. By default, {@link #DEFAULT_MAX_RETRY_AFTER}
         * (60 seconds).
         *
         * @param maxRetryAfter a positive duration
         * @return this builder
         * @throws NullPointerException if {@code maxRetryAfter} is {@code null}
         * @throws IllegalArgumentException if it is zero or negative
         * @throws IllegalStateException if the cap was already set
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
            once(this.maxRetryAfter, "maxRetryAfter");
            this.maxRetryAfter = positive("maxRetryAfter", maxRetryAfter);
            return this;
        }

        /**
         * Allows a plain {@code http} endpoint on a loopback host ({@code localhost}, 127.0.0.0/8, {@code ::1}),
         * for tests against a local server. Other hosts always need {@code https}. By default, {@code false}: only
         * {@code https} is accepted.
         *
         * @param allowInsecureLoopback whether to accept {@code http} to a loopback host
         * @return this builder
         * @throws IllegalStateException if the option was already set
         */
        public Builder allowInsecureLoopback(boolean allowInsecureLoopback) {
            once(this.allowInsecureLoopback, "allowInsecureLoopback");
            this.allowInsecureLoopback = allowInsecureLoopback;
            return this;
        }

        /**
         * Caps the size of a response body; a larger body is abandoned unread and the request fails. By default,
         * {@link #DEFAULT_MAX_RESPONSE_BYTES} (64 KiB).
         *
         * @param maxResponseBytes a positive number of bytes
         * @return this builder
         * @throws IllegalArgumentException if it is zero or negative
         * @throws IllegalStateException if the cap was already set
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            once(this.maxResponseBytes, "maxResponseBytes");
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Sets the {@code User-Agent} header, such as {@code MyApp/1.0.0 (https://myapp.com)}, as the BigLedger
         * API asks. By default, {@link #DEFAULT_USER_AGENT}.
         *
         * @param userAgent printable ASCII, not blank
         * @return this builder
         * @throws NullPointerException if {@code userAgent} is {@code null}
         * @throws IllegalArgumentException if it is blank or not printable ASCII
         * @throws IllegalStateException if the user agent was already set
         */
        public Builder userAgent(String userAgent) {
            Objects.requireNonNull(userAgent, "userAgent");
            once(this.userAgent, "userAgent");
            if (userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new IllegalArgumentException("userAgent must be printable ASCII and not blank");
            }
            this.userAgent = userAgent;
            return this;
        }

        /**
         * Sets the lifetime of an access token whose success response has no {@code expires_in}, for a server that
         * documents a fixed lifetime instead: BigLedger's access tokens last one hour
         * ({@link com.bigledger.auth.bigledger.BigLedgerOAuth#ACCESS_TOKEN_LIFETIME}), which
         * {@link com.bigledger.auth.bigledger.BigLedgerOAuth} sets. Such a response is logged at debug. By default,
         * none: RFC 6749 §5.1 only recommends {@code expires_in}, and a response without it is refused with
         * {@link InvalidTokenResponseException}, since the library cannot know when to refresh.
         *
         * @param defaultExpiresIn a positive duration of at most {@link TokenResponse#MAX_LIFETIME}
         * @return this builder
         * @throws NullPointerException if {@code defaultExpiresIn} is {@code null}
         * @throws IllegalArgumentException if it is not positive or longer than {@link TokenResponse#MAX_LIFETIME}
         * @throws IllegalStateException if it was already set
         */
        public Builder defaultExpiresIn(Duration defaultExpiresIn) {
            Objects.requireNonNull(defaultExpiresIn, "defaultExpiresIn");
            once(this.defaultExpiresIn, "defaultExpiresIn");
            positive("defaultExpiresIn", defaultExpiresIn);
            if (defaultExpiresIn.compareTo(TokenResponse.MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("defaultExpiresIn must be at most " + TokenResponse.MAX_LIFETIME
                        + ": " + defaultExpiresIn);
            }
            this.defaultExpiresIn = defaultExpiresIn;
            return this;
        }

        /**
         * Sets the clock that turns a {@code Retry-After} date into a wait. By default, {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is {@code null}
         * @throws IllegalStateException if the clock was already set
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            once(this.clock, "clock");
            this.clock = clock;
            return this;
        }

        /**
         * Builds the client, checking the options together.
         *
         * @return a new client
         * @throws IllegalStateException if a required option is missing, the endpoint's transport is not allowed,
         *     or options conflict; the message names them
         */
        public OAuthClient build() {
            List<String> missing = new ArrayList<>();
            if (tokenEndpoint == null) {
                missing.add("tokenEndpoint");
            }
            if (clientId == null) {
                missing.add("clientId");
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("OAuthClient needs " + String.join(" and ", missing));
            }
            Endpoints.checkTransport("tokenEndpoint", tokenEndpoint, Boolean.TRUE.equals(allowInsecureLoopback));

            ClientAuthentication auth = clientAuthentication;
            if (auth == null) {
                auth = clientSecret == null ? ClientAuthentication.NONE
                        : requestFormat == RequestFormat.JSON ? ClientAuthentication.CLIENT_SECRET_POST
                        : ClientAuthentication.CLIENT_SECRET_BASIC;
            }
            if (auth == ClientAuthentication.NONE && clientSecret != null) {
                throw new IllegalStateException("clientAuthentication NONE conflicts with clientSecret: a public"
                        + " client has no secret; remove one of them");
            }
            if (auth != ClientAuthentication.NONE && clientSecret == null) {
                throw new IllegalStateException("clientAuthentication " + auth + " needs clientSecret");
            }

            HttpClient client = httpClient;
            Duration connect;
            if (client != null) {
                if (connectTimeout != null) {
                    throw new IllegalStateException("connectTimeout " + connectTimeout + " conflicts with httpClient:"
                            + " set the connect timeout on the HttpClient you pass");
                }
                if (client.followRedirects() != HttpClient.Redirect.NEVER) {
                    throw new IllegalStateException("httpClient follows redirects (" + client.followRedirects()
                            + "): a token request must not be redirected; build it with"
                            + " followRedirects(HttpClient.Redirect.NEVER)");
                }
                connect = client.connectTimeout().orElse(DEFAULT_CONNECT_TIMEOUT);
            } else if (connectTimeout == null || connectTimeout.equals(DEFAULT_CONNECT_TIMEOUT)) {
                client = SharedHttpClient.INSTANCE;
                connect = DEFAULT_CONNECT_TIMEOUT;
            } else {
                client = newHttpClient(connectTimeout);
                connect = connectTimeout;
            }
            return new OAuthClient(this, auth, client, connect);
        }

        private static void once(Object current, String option) {
            if (current != null) {
                Object shown = current instanceof URI ? Endpoints.shown((URI) current) : current;
                throw new IllegalStateException(option + " is already set (to " + shown
                        + "); each option is set once");
            }
        }

        private static Duration positive(String option, Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(option + " must be positive: " + d);
            }
            return d;
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
        static final HttpClient INSTANCE = newHttpClient(DEFAULT_CONNECT_TIMEOUT);
    }
}
