package com.bigledger.auth.oauth;

import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.Options;
import com.bigledger.auth.oauth.TokenEndpoint.Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

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

    private final TokenEndpoint endpoint;

    private OAuthClient(TokenEndpoint endpoint) {
        this.endpoint = endpoint;
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
        if (endpoint.clientAuthentication == ClientAuthentication.NONE) {
            throw new IllegalStateException("The client_credentials grant needs a confidential client; client "
                    + endpoint.clientId + " has no secret (clientAuthentication NONE)");
        }
        TokenRequest r = endpoint.request("client_credentials");
        r.scope(checked);
        return endpoint.execute(r, checked);
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
        TokenRequest r = endpoint.request("refresh_token");
        r.secret("refresh_token", refreshToken.reveal());
        r.scope(checked);
        return endpoint.execute(r, checked);
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
        TokenRequest r = endpoint.request("authorization_code");
        r.secret("code", code);
        r.param("redirect_uri", redirectUri.toString());
        r.secret("code_verifier", codeVerifier.reveal());
        return endpoint.execute(r, Set.of());
    }

    /**
     * Sends a token request of another grant (an extension grant of RFC 6749 §4.5, such as
     * {@link JwtBearerGrant}'s and {@link TokenExchangeGrant}'s) with this client's authentication, timeouts, body
     * limits and error mapping: {@code grant_type}, the parameters {@code parameters} adds (secret ones with
     * {@link TokenRequest#secret}, so that an echo of them is taken out of messages), then {@code scope}.
     */
    TokenResponse grant(String grantType, Set<String> scopes, Consumer<TokenRequest> parameters) {
        Set<String> checked = Scopes.check(scopes);
        TokenRequest r = endpoint.request(grantType);
        parameters.accept(r);
        r.scope(checked);
        return endpoint.execute(r, checked);
    }

    /**
     * Returns the token endpoint.
     *
     * @return the endpoint, as configured
     */
    public URI tokenEndpoint() {
        return endpoint.tokenEndpoint;
    }

    /**
     * Returns the request timeout: how long one token request may wait for its response and then its body.
     *
     * @return the timeout
     */
    public Duration requestTimeout() {
        return endpoint.requestTimeout;
    }

    /**
     * Returns the overall bound of one token request: connect, response and body, after which it is abandoned.
     *
     * @return the bound
     */
    public Duration overallTimeout() {
        return endpoint.overallTimeout;
    }

    /**
     * Returns the client id.
     *
     * @return the client id
     */
    public String clientId() {
        return endpoint.clientId;
    }

    /**
     * Returns how the client authenticates, after defaults are applied.
     *
     * @return the client authentication method
     */
    public ClientAuthentication clientAuthentication() {
        return endpoint.clientAuthentication;
    }

    /**
     * Returns how request bodies are encoded, after defaults are applied.
     *
     * @return the request format
     */
    public RequestFormat requestFormat() {
        return endpoint.requestFormat;
    }

    /** Shows the endpoint (without query), the client id and the methods, never the secret. */
    @Override
    public String toString() {
        return "OAuthClient[tokenEndpoint=" + endpoint.shownEndpoint + ", clientId=" + endpoint.clientId
                + ", clientAuthentication=" + endpoint.clientAuthentication + ", requestFormat="
                + endpoint.requestFormat + "]";
    }

    /** Reads a {@code Retry-After} value; see {@link TokenErrors#retryAfter}. */
    static Duration retryAfter(String value, Clock clock, Duration max) {
        return TokenErrors.retryAfter(value, clock, max);
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

        private final Settings s = new Settings();

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
            s.tokenEndpoint = Endpoints.checkShape("tokenEndpoint",
                    Options.set(s.tokenEndpoint, "tokenEndpoint", tokenEndpoint));
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
            s.clientId = Options.clientId(Options.set(s.clientId, "clientId", clientId));
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
            // A copy: the caller may destroy its Secret (after a rotation, say) while this client lives on.
            s.clientSecret = Options.copy(Options.set(s.clientSecret, "clientSecret", clientSecret));
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
            s.clientAuthentication = Options.set(s.clientAuthentication, "clientAuthentication", clientAuthentication);
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
            s.requestFormat = Options.set(s.requestFormat, "requestFormat", requestFormat);
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
            s.httpClient = Options.set(s.httpClient, "httpClient", httpClient);
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
            s.connectTimeout = Settings.positive(s.connectTimeout, "connectTimeout", connectTimeout);
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
            s.requestTimeout = Settings.positive(s.requestTimeout, "requestTimeout", requestTimeout);
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
            s.maxRetryAfter = Settings.positive(s.maxRetryAfter, "maxRetryAfter", maxRetryAfter);
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
            Options.once(s.allowInsecureLoopback, "allowInsecureLoopback");
            s.allowInsecureLoopback = allowInsecureLoopback;
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
            Options.once(s.maxResponseBytes, "maxResponseBytes");
            s.maxResponseBytes = Settings.maxResponseBytes(maxResponseBytes);
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
            s.userAgent = Options.userAgent(Options.set(s.userAgent, "userAgent", userAgent));
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
            s.defaultExpiresIn = Settings.defaultExpiresIn(Options.set(s.defaultExpiresIn, "defaultExpiresIn",
                    defaultExpiresIn));
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
            s.clock = Options.set(s.clock, "clock", clock);
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
            return new OAuthClient(TokenEndpoint.of(s));
        }
    }
}
