package com.bigledger.auth.bigledger;

import com.bigledger.auth.AuthorizationException;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenManagerBuilder;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.Options;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.AuthorizationResponse;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.oauth.TokenResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 for the BigLedger API: the Authorization Code flow with PKCE (S256) against the BigLedger authorization
 * server, and a {@link TokenManager} that keeps the one-hour access tokens fresh and, if the server rotates
 * {@code blg_oauth_rt_…} refresh tokens, writes each new one back to its store. The document does not say whether
 * refresh tokens rotate; both ways work: a response without a refresh token keeps the one in the store.
 *
 * <pre>{@code
 * BigLedgerOAuth oauth = BigLedgerOAuth.builder()
 *         .clientId("YOUR_CLIENT_ID")
 *         .clientSecret(clientSecret)
 *         .redirectUri(URI.create("https://yourapp.com/callback"))
 *         .build();
 * AuthorizationRequest request = oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_ACCOUNTS));
 * // redirect the user to request.uri(); keep request until the callback, then:
 * TokenResponse tokens = oauth.exchange(callbackUri, request);
 * }</pre>
 *
 * <p>Requests to the token endpoint are exactly the document's: a JSON body with {@code grant_type},
 * {@code client_id}, {@code client_secret} and the grant's fields ({@code code}, {@code redirect_uri},
 * {@code code_verifier}, or {@code refresh_token}). The endpoints are the environment's
 * ({@code https://auth.bigledger.com/oauth/authorize} and {@code /oauth/token}, for the sandbox too, as the
 * document names no other server) unless {@link Builder#authorizationServer} says otherwise.
 *
 * <p>Immutable and thread-safe. {@link #exchange} blocks on network I/O.
 */
public final class BigLedgerOAuth {

    private static final Logger LOG = LoggerFactory.getLogger(BigLedgerOAuth.class);

    /**
     * The lifetime of BigLedger access tokens, as the document states ("Access tokens expire after 1 hour"). The
     * token manager goes by each response's {@code expires_in}, which says the same; a response without one is
     * taken to last this long (logged at debug) rather than refused.
     */
    public static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);

    private final BigLedgerEnvironment environment;
    private final URI authorizationEndpoint;
    private final URI tokenEndpoint;
    private final String clientId;
    private final URI redirectUri;
    private final boolean allowInsecureLoopback;
    private final OAuthClient client;

    private BigLedgerOAuth(Builder b) {
        this.environment = b.environment != null ? b.environment : BigLedgerEnvironment.PRODUCTION;
        if (b.authorizationServer != null) {
            String root = b.authorizationServer.toString();
            root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
            this.authorizationEndpoint = URI.create(root + BigLedgerEnvironment.AUTHORIZE_PATH);
            this.tokenEndpoint = URI.create(root + BigLedgerEnvironment.TOKEN_PATH);
        } else {
            this.authorizationEndpoint = environment.authorizationEndpoint();
            this.tokenEndpoint = environment.tokenEndpoint();
        }
        this.clientId = b.clientId;
        this.redirectUri = b.redirectUri;
        this.allowInsecureLoopback = Boolean.TRUE.equals(b.allowInsecureLoopback);
        OAuthClient.Builder client = OAuthClient.builder()
                .tokenEndpoint(tokenEndpoint)
                .clientId(clientId)
                .requestFormat(RequestFormat.JSON)
                .defaultExpiresIn(ACCESS_TOKEN_LIFETIME)
                .allowInsecureLoopback(allowInsecureLoopback)
                .userAgent(b.userAgent == null ? LibraryVersion.PRODUCT : b.userAgent + " " + LibraryVersion.PRODUCT);
        if (b.clientSecret != null) {
            // JSON with a secret means client_secret_post: client_id and client_secret in the body, as documented.
            client.clientSecret(b.clientSecret);
        } else {
            // publicClient(true), checked by build(): no client_secret at all, PKCE alone.
            client.clientAuthentication(ClientAuthentication.NONE);
        }
        this.client = client.build();
    }

    /**
     * Starts a builder.
     *
     * @return a new builder; {@link Builder#clientId} and {@link Builder#redirectUri} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes step 1 of the flow: the URL to send the user to, with {@code response_type=code}, the client id, the
     * redirect URI, the scopes, a fresh random {@code state} and a fresh PKCE S256 challenge. Keep the returned
     * request (in the user's session, say) until the callback.
     *
     * @param scopes the scopes to ask for, such as {@link BigLedgerScopes#READ_ACCOUNTS}; empty for the server's
     *     default
     * @return the request, whose {@link AuthorizationRequest#uri()} the user's browser goes to
     * @throws NullPointerException if {@code scopes} or an element is {@code null}
     * @throws IllegalArgumentException if a scope is not a valid scope token
     */
    public AuthorizationRequest authorizationRequest(Set<String> scopes) {
        Objects.requireNonNull(scopes, "scopes");
        return AuthorizationRequest.builder()
                .authorizationEndpoint(authorizationEndpoint)
                .clientId(clientId)
                .redirectUri(redirectUri)
                .scopes(scopes)
                .allowInsecureLoopback(allowInsecureLoopback)
                .build();
    }

    /**
     * Makes steps 2 and 3 of the flow: reads the callback (checking its {@code state} against the request's, in
     * constant time) and exchanges the code for tokens with the PKCE verifier. Store the refresh token before
     * anything else, then hand it to {@link #tokenManager()}. Blocks on network I/O.
     *
     * @param callback the URL the user came back to, such as {@code https://yourapp.com/callback?code=…&state=…}
     * @param request the request made by {@link #authorizationRequest} for this user
     * @return the tokens: a one-hour {@code blg_oauth_at_…} access token and a {@code blg_oauth_rt_…} refresh token
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code request} was made for another client or redirect URI
     * @throws AuthorizationException if the user or server refused, or the state does not match
     * @throws ReauthenticationRequiredException if the code, verifier or client was refused
     * @throws TokenRefreshException for any other failure of the token request
     */
    public TokenResponse exchange(URI callback, AuthorizationRequest request) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(request, "request");
        if (!request.clientId().equals(clientId) || !request.redirectUri().equals(redirectUri)
                || !request.authorizationEndpoint().equals(authorizationEndpoint)) {
            throw new IllegalArgumentException("The authorization request was made for another client, redirect URI "
                    + "or server: " + request);
        }
        AuthorizationResponse response = AuthorizationResponse.parse(callback, request);
        return client.exchangeCode(response.code(), request.redirectUri(), request.pkce().verifier());
    }

    /**
     * Returns the client of the token endpoint, which sends the document's JSON bodies.
     *
     * @return the client
     */
    public OAuthClient client() {
        return client;
    }

    /**
     * Starts a token manager for this client: add the grant, usually
     * {@link TokenManagerBuilder#refreshToken(com.bigledger.auth.CredentialVault, com.bigledger.auth.CredentialRef)}
     * with the store the refresh token was saved in, so that if the server rotates refresh tokens, each new one is
     * written back there before the new access token is used.
     *
     * @return a token manager builder with {@link TokenManagerBuilder#client} set
     */
    public TokenManagerBuilder tokenManager() {
        return TokenManager.builder().client(client);
    }

    /**
     * Returns the environment whose authorization server is used, unless one was set.
     *
     * @return the environment
     */
    public BigLedgerEnvironment environment() {
        return environment;
    }

    /**
     * Returns the authorization endpoint.
     *
     * @return such as {@code https://auth.bigledger.com/oauth/authorize}
     */
    public URI authorizationEndpoint() {
        return authorizationEndpoint;
    }

    /**
     * Returns the token endpoint.
     *
     * @return such as {@code https://auth.bigledger.com/oauth/token}
     */
    public URI tokenEndpoint() {
        return tokenEndpoint;
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
     * Returns the redirect URI registered for the client.
     *
     * @return the redirect URI
     */
    public URI redirectUri() {
        return redirectUri;
    }

    /** Shows the endpoints, client id and redirect URI; never the client secret. */
    @Override
    public String toString() {
        return "BigLedgerOAuth[authorizationEndpoint=" + authorizationEndpoint + ", tokenEndpoint=" + tokenEndpoint
                + ", clientId=" + clientId + ", redirectUri=" + Endpoints.shown(redirectUri) + "]";
    }

    /**
     * Builds a {@link BigLedgerOAuth}. Each option may be set once; setting one twice fails at once. Not thread-safe:
     * use one builder per thread.
     */
    public static final class Builder {

        private BigLedgerEnvironment environment;
        private URI authorizationServer;
        private Boolean allowInsecureLoopback;
        private String clientId;
        private Secret clientSecret;
        private URI redirectUri;
        private String userAgent;
        private Boolean publicClient;

        private Builder() {
        }

        /**
         * Sets the environment whose authorization server is used. By default, {@link BigLedgerEnvironment#PRODUCTION};
         * both environments use {@code https://auth.bigledger.com}.
         *
         * @param environment the environment
         * @return this builder
         * @throws NullPointerException if {@code environment} is {@code null}
         * @throws IllegalStateException if the environment is already set
         */
        public Builder environment(BigLedgerEnvironment environment) {
            this.environment = Options.set(this.environment, "environment", environment);
            return this;
        }

        /**
         * Sets the authorization server's root, for a private deployment or a test server: the endpoints are its
         * {@code /oauth/authorize} and {@code /oauth/token}. It must be {@code https}; {@code http} is accepted only
         * for a loopback host with {@link #allowInsecureLoopback(boolean) allowInsecureLoopback(true)}. By default,
         * the environment's, {@code https://auth.bigledger.com}.
         *
         * @param authorizationServer an absolute URL without user info, query or fragment
         * @return this builder
         * @throws NullPointerException if {@code authorizationServer} is {@code null}
         * @throws IllegalArgumentException if it is not an absolute {@code http(s)} URL with a host, or has user info,
         *     a query or a fragment
         * @throws IllegalStateException if the server is already set
         */
        public Builder authorizationServer(URI authorizationServer) {
            this.authorizationServer = Endpoints.checkRoot("authorizationServer",
                    Options.set(this.authorizationServer, "authorizationServer", authorizationServer));
            return this;
        }

        /**
         * Allows a plain {@code http} authorization server on a loopback host, for tests against a local server. By
         * default, {@code false}: only {@code https} is accepted.
         *
         * @param allowInsecureLoopback whether to accept {@code http} to a loopback host
         * @return this builder
         * @throws IllegalStateException if the option is already set
         */
        public Builder allowInsecureLoopback(boolean allowInsecureLoopback) {
            Options.once(this.allowInsecureLoopback, "allowInsecureLoopback");
            this.allowInsecureLoopback = allowInsecureLoopback;
            return this;
        }

        /**
         * Sets the client id issued by BigLedger. Required.
         *
         * @param clientId the client id; not secret
         * @return this builder
         * @throws NullPointerException if {@code clientId} is {@code null}
         * @throws IllegalStateException if the client id is already set
         */
        public Builder clientId(String clientId) {
            this.clientId = Options.set(this.clientId, "clientId", clientId);
            return this;
        }

        /**
         * Sets the client secret, sent in the JSON body of every token request, as the document shows. Required,
         * unless the client is declared public with {@link #publicClient(boolean) publicClient(true)}.
         *
         * @param clientSecret the secret; copied by the token client
         * @return this builder
         * @throws NullPointerException if {@code clientSecret} is {@code null}
         * @throws IllegalStateException if the secret is already set
         */
        public Builder clientSecret(Secret clientSecret) {
            Objects.requireNonNull(clientSecret, "clientSecret");
            if (this.clientSecret != null) {
                throw new IllegalStateException("clientSecret is already set; each option is set once");
            }
            this.clientSecret = clientSecret;
            return this;
        }

        /**
         * Declares the client public: token requests carry no {@code client_secret} and rely on PKCE alone. The
         * BigLedger document does not describe public clients (it sends {@code client_secret} in every token
         * request), so use this only for a client BigLedger registered as public. By default, {@code false}: the
         * client is confidential and {@link #clientSecret} is required.
         *
         * @param publicClient whether the client has no secret
         * @return this builder
         * @throws IllegalStateException if the option is already set
         */
        public Builder publicClient(boolean publicClient) {
            Options.once(this.publicClient, "publicClient");
            this.publicClient = publicClient;
            return this;
        }

        /**
         * Sets the redirect URI registered for the client, where users come back with the code. Required.
         *
         * @param redirectUri such as {@code https://yourapp.com/callback}
         * @return this builder
         * @throws NullPointerException if {@code redirectUri} is {@code null}
         * @throws IllegalArgumentException if it is relative or has a fragment
         * @throws IllegalStateException if the redirect URI is already set
         */
        public Builder redirectUri(URI redirectUri) {
            this.redirectUri = Endpoints.checkRedirectUri(Options.set(this.redirectUri, "redirectUri", redirectUri));
            return this;
        }

        /**
         * Sets the application's product for the {@code User-Agent} of token requests, such as
         * {@code MyApp/1.0.0 (https://myapp.com)}; this library's name and version are appended. By default, none:
         * the header is this library's product alone, and {@link #build()} logs a warning saying so.
         *
         * @param userAgent printable ASCII, not blank
         * @return this builder
         * @throws NullPointerException if {@code userAgent} is {@code null}
         * @throws IllegalArgumentException if it is blank or not printable ASCII
         * @throws IllegalStateException if the user agent is already set
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = Options.userAgent(Options.set(this.userAgent, "userAgent", userAgent)).strip();
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         * @throws IllegalStateException if the client id, the redirect URI or the client secret (of a client not
         *     declared public) is missing, a public client has a secret, or the authorization server's transport is
         *     not allowed
         * @throws IllegalArgumentException if the client id is empty or holds a control character
         */
        public BigLedgerOAuth build() {
            boolean isPublic = Boolean.TRUE.equals(publicClient);
            if (clientId == null || redirectUri == null || (clientSecret == null && !isPublic)) {
                throw new IllegalStateException("BigLedgerOAuth needs:" + (clientId == null ? " clientId" : "")
                        + (redirectUri == null ? " redirectUri" : "")
                        + (clientSecret == null && !isPublic ? " clientSecret (the BigLedger document sends "
                                + "client_secret in every token request; for a client registered as public, which "
                                + "the document does not describe, call publicClient(true))" : ""));
            }
            if (isPublic && clientSecret != null) {
                throw new IllegalStateException("publicClient(true) conflicts with clientSecret: a public client has "
                        + "no secret; remove one of them");
            }
            if (authorizationServer != null) {
                Endpoints.checkTransport("authorizationServer", authorizationServer,
                        Boolean.TRUE.equals(allowInsecureLoopback));
            }
            if (userAgent == null) {
                LOG.warn("No User-Agent set for the token requests of client {}: they send {} alone, while the "
                        + "BigLedger document asks for a descriptive one; set it with userAgent(\"MyApp/1.0.0 "
                        + "(https://myapp.com)\")", clientId, LibraryVersion.PRODUCT);
            }
            return new BigLedgerOAuth(this);
        }
    }
}
