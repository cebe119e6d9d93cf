package com.bigledger.auth.oauth;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.Options;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The token exchange grant of RFC 8693 as a {@link TokenSource}: each token request sends
 * {@code grant_type=urn:ietf:params:oauth:grant-type:token-exchange} with a {@code subject_token} read fresh from
 * its supplier (another {@code TokenManager}'s token, a file a platform rotates), and optionally an
 * {@code actor_token}, the {@code requested_token_type}, {@code audience}s, {@code resource}s and the manager's
 * scopes, through an {@link OAuthClient} (its client authentication, timeouts, body limits and error mapping).
 *
 * <pre>{@code
 * TokenManager downstream = TokenManager.builder()
 *         .tokenSource(TokenExchangeGrant.builder()
 *                 .client(client)
 *                 .subjectToken(upstream.asSecretSupplier(), TokenExchangeGrant.ACCESS_TOKEN_TYPE)
 *                 .audience("ledger-api")
 *                 .build())
 *         .build();
 * }</pre>
 *
 * <p>A refused subject or actor token ({@code invalid_grant}) is a retryable failure, not a call to re-authenticate:
 * both are read again for the next attempt, and the token an upstream manager serves while it refreshes may already
 * be retired at the server. A refused client is a {@link ReauthenticationRequiredException}.
 *
 * <p>The response is a token response of RFC 6749 §5.1 (its {@code issued_token_type} is accepted and not kept);
 * the manager needs a {@code Bearer} token with an {@code expires_in} (or the client's
 * {@linkplain OAuthClient.Builder#defaultExpiresIn default}). Immutable and thread-safe; no token is ever shown.
 */
public final class TokenExchangeGrant implements TokenSource {

    /** The {@code grant_type} of RFC 8693 §2.1. */
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    /** The token type of an OAuth 2.0 access token (RFC 8693 §3). */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    /** The token type of an OAuth 2.0 refresh token (RFC 8693 §3). */
    public static final String REFRESH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:refresh_token";
    /** The token type of an OpenID Connect ID token (RFC 8693 §3). */
    public static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
    /** The token type of a JWT (RFC 8693 §3). */
    public static final String JWT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    private final OAuthClient client;
    private final Supplier<Secret> subjectToken;
    private final String subjectTokenType;
    private final Supplier<Secret> actorToken;
    private final String actorTokenType;
    private final String requestedTokenType;
    private final List<String> audiences;
    private final List<String> resources;

    private TokenExchangeGrant(Builder b) {
        this.client = b.client;
        this.subjectToken = b.subjectToken;
        this.subjectTokenType = b.subjectTokenType;
        this.actorToken = b.actorToken;
        this.actorTokenType = b.actorTokenType;
        this.requestedTokenType = b.requestedTokenType;
        this.audiences = List.copyOf(b.audiences);
        this.resources = List.copyOf(b.resources);
    }

    /**
     * Starts a builder.
     *
     * @return a new builder; {@link Builder#client} and {@link Builder#subjectToken} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends one token exchange request, with the subject (and actor) token read now. Blocks on network I/O.
     *
     * @param request the manager's request; its scopes are sent
     * @return the token
     * @throws ReauthenticationRequiredException if the server refused the client ({@code invalid_client},
     *     {@code unauthorized_client})
     * @throws InvalidTokenResponseException if the server answered with success but no usable token
     * @throws TokenRefreshException for any other failure, including a token supplier that returned
     *     {@code null}, and a retryable one when the server refused the subject or actor token
     *     ({@code invalid_grant}): they are read again for the next attempt; see
     *     {@link TokenRefreshException#retryable()}
     */
    @Override
    public TokenResponse fetch(Request request) {
        Objects.requireNonNull(request, "request");
        Secret subject = read(subjectToken, "subject");
        Secret actor = actorToken == null ? null : read(actorToken, "actor");
        try {
            return exchange(subject, actor, request);
        } catch (ReauthenticationRequiredException refused) {
            if (!refused.errorCode().equals(Optional.of("invalid_grant"))) {
                throw refused;
            }
            // The subject or actor token was refused, not this client: they are read again for the next attempt
            // (an upstream manager may have just replaced its token), so the manager retries rather than stops.
            throw new TokenRefreshException(client.tokenEndpoint(), refused.httpStatus().orElse(-1), "invalid_grant",
                    refused.errorDescription().orElse(null), null, "the subject or actor token was refused; "
                    + "they are read again for the next attempt", refused, true);
        }
    }

    private TokenResponse exchange(Secret subject, Secret actor, Request request) {
        return client.grant(GRANT_TYPE, request.scopes(), r -> {
            r.secret("subject_token", subject.reveal());
            r.param("subject_token_type", subjectTokenType);
            if (actor != null) {
                r.secret("actor_token", actor.reveal());
                r.param("actor_token_type", actorTokenType);
            }
            if (requestedTokenType != null) {
                r.param("requested_token_type", requestedTokenType);
            }
            for (String audience : audiences) {
                r.param("audience", audience);
            }
            for (String resource : resources) {
                r.param("resource", resource);
            }
        });
    }

    private Secret read(Supplier<Secret> supplier, String which) {
        Secret token;
        try {
            token = supplier.get();
        } catch (BigLedgerAuthException e) {
            // The subject's failure, not this endpoint's refusal: an upstream manager that must re-authenticate
            // may recover, and this exchange is tried again then.
            throw new TokenRefreshException(client.tokenEndpoint(), "the " + which + " token could not be read: "
                    + e.getMessage(), e, e.retryable() || e instanceof ReauthenticationRequiredException);
        }
        if (token == null) {
            throw new TokenRefreshException(client.tokenEndpoint(), "the " + which + " token supplier returned null",
                    null, false);
        }
        return token;
    }

    /**
     * Returns the token endpoint of the client.
     *
     * @return the endpoint
     */
    @Override
    public Optional<URI> endpoint() {
        return Optional.of(client.tokenEndpoint());
    }

    /**
     * Shows the endpoint, the client id, the token types, audiences and resources (without user info); never a
     * token.
     */
    @Override
    public String toString() {
        return "TokenExchangeGrant[" + client + ", subjectTokenType=" + subjectTokenType
                + (actorToken == null ? "" : ", actorTokenType=" + actorTokenType)
                + (requestedTokenType == null ? "" : ", requestedTokenType=" + requestedTokenType)
                + ", audiences=" + audiences + ", resources="
                + resources.stream().map(r -> Endpoints.shown(URI.create(r)).toString()).toList() + "]";
    }

    /**
     * Builds a {@link TokenExchangeGrant}. Each option may be set once, but {@link #audience} and
     * {@link #resource}, which add. Not thread-safe.
     */
    public static final class Builder {

        private static final String OWNER = "TokenExchangeGrant";

        private OAuthClient client;
        private Supplier<Secret> subjectToken;
        private String subjectTokenType;
        private Supplier<Secret> actorToken;
        private String actorTokenType;
        private String requestedTokenType;
        private final List<String> audiences = new ArrayList<>();
        private final List<String> resources = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets the client that sends the requests. Required.
         *
         * @param client the client
         * @return this builder
         * @throws NullPointerException if {@code client} is {@code null}
         * @throws IllegalStateException if it was already set
         */
        public Builder client(OAuthClient client) {
            this.client = Options.setOnce(OWNER, this.client != null, "client", client);
            return this;
        }

        /**
         * Sets where the subject token comes from, and its type. Required. The supplier is called before each
         * request, so that the exchange always presents the current token: another manager's
         * {@code asSecretSupplier()}, or a file read each time.
         *
         * @param subjectToken called on the manager's refresh thread; may block
         * @param tokenType the subject token's type URI, such as {@link #ACCESS_TOKEN_TYPE} or
         *     {@link #JWT_TOKEN_TYPE}
         * @return this builder
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalArgumentException if {@code tokenType} is empty
         * @throws IllegalStateException if it was already set
         */
        public Builder subjectToken(Supplier<Secret> subjectToken, String tokenType) {
            Options.setOnce(OWNER, this.subjectToken != null, "subjectToken", subjectToken);
            this.subjectTokenType = Options.nonEmpty(OWNER, "subjectToken",
                    Objects.requireNonNull(tokenType, "tokenType"));
            this.subjectToken = subjectToken;
            return this;
        }

        /**
         * Sets the actor token, for delegation (RFC 8693 §1.1): the party acting for the subject. By default,
         * none.
         *
         * @param actorToken called before each request, on the manager's refresh thread; may block
         * @param tokenType the actor token's type URI
         * @return this builder
         * @throws NullPointerException if an argument is {@code null}
         * @throws IllegalArgumentException if {@code tokenType} is empty
         * @throws IllegalStateException if it was already set
         */
        public Builder actorToken(Supplier<Secret> actorToken, String tokenType) {
            Options.setOnce(OWNER, this.actorToken != null, "actorToken", actorToken);
            this.actorTokenType = Options.nonEmpty(OWNER, "actorToken", Objects.requireNonNull(tokenType, "tokenType"));
            this.actorToken = actorToken;
            return this;
        }

        /**
         * Sets the {@code requested_token_type}. By default, none: the server chooses, usually an access token.
         *
         * @param requestedTokenType a token type URI, such as {@link #ACCESS_TOKEN_TYPE}
         * @return this builder
         * @throws NullPointerException if {@code requestedTokenType} is {@code null}
         * @throws IllegalArgumentException if it is empty
         * @throws IllegalStateException if it was already set
         */
        public Builder requestedTokenType(String requestedTokenType) {
            this.requestedTokenType = Options.nonEmpty(OWNER, "requestedTokenType",
                    Options.setOnce(OWNER, this.requestedTokenType != null, "requestedTokenType", requestedTokenType));
            return this;
        }

        /**
         * Adds an {@code audience}: the logical name of a service the token is for. May be called more than once.
         *
         * @param audience the audience
         * @return this builder
         * @throws NullPointerException if {@code audience} is {@code null}
         * @throws IllegalArgumentException if it is empty
         */
        public Builder audience(String audience) {
            audiences.add(Options.nonEmpty(OWNER, "audience", Objects.requireNonNull(audience, "audience")));
            return this;
        }

        /**
         * Adds a {@code resource}: the URI of a service the token is for. May be called more than once.
         *
         * @param resource an absolute URI without a fragment (RFC 8707 §2)
         * @return this builder
         * @throws NullPointerException if {@code resource} is {@code null}
         * @throws IllegalArgumentException if it is not absolute or has a fragment
         */
        public Builder resource(URI resource) {
            Objects.requireNonNull(resource, "resource");
            if (!resource.isAbsolute() || resource.getRawFragment() != null) {
                throw new IllegalArgumentException("TokenExchangeGrant option 'resource' must be an absolute URI "
                        + "without a fragment: " + Endpoints.shown(resource));
            }
            resources.add(resource.toString());
            return this;
        }

        /**
         * Builds the grant.
         *
         * @return the grant
         * @throws IllegalStateException if the client or the subject token is missing; the message names them
         */
        public TokenExchangeGrant build() {
            if (client == null) {
                throw new IllegalStateException("TokenExchangeGrant needs client(OAuthClient)");
            }
            if (subjectToken == null) {
                throw new IllegalStateException("TokenExchangeGrant for " + Endpoints.shown(client.tokenEndpoint())
                        + " needs subjectToken(Supplier, tokenType)");
            }
            return new TokenExchangeGrant(this);
        }
    }
}
