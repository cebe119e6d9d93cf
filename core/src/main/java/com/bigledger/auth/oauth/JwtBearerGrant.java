package com.bigledger.auth.oauth;

import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.Options;
import java.net.URI;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The JWT bearer grant of RFC 7523 §2.1 as a {@link TokenSource}: each token request sends
 * {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} with a fresh JWT {@code assertion}, and the
 * manager's scopes, through an {@link OAuthClient} (its client authentication, timeouts, body limits and error
 * mapping).
 *
 * <p>The assertion comes from one of:
 * <ul>
 *   <li>{@link Builder#assertion(Supplier)}: a JWT the caller signs (a key service, a workload identity), asked
 *       for anew before each request;
 *   <li>{@link Builder#signingKey(PrivateKey)}: signed here with a JDK key, RS256 for an RSA key (2048 bits or
 *       more) or ES256 for an EC P-256 key, with the claims {@code iss}, {@code sub}, {@code aud} (by default the
 *       token endpoint), {@code iat}, {@code exp} ({@linkplain Builder#assertionLifetime 2 minutes} later) and a
 *       random {@code jti}.
 * </ul>
 *
 * <pre>{@code
 * TokenManager tokens = TokenManager.builder()
 *         .tokenSource(JwtBearerGrant.builder()
 *                 .client(client)
 *                 .signingKey(privateKey)
 *                 .issuer("my-service")
 *                 .subject("my-service")
 *                 .build())
 *         .scopes(Set.of("accounts.read"))
 *         .build();
 * }</pre>
 *
 * <p>A refused assertion ({@code invalid_grant}) is a {@link ReauthenticationRequiredException}, as for the other
 * grants. Immutable and thread-safe; neither the assertion nor the key is ever shown.
 */
public final class JwtBearerGrant implements TokenSource {

    /** The {@code grant_type} of RFC 7523 §2.1. */
    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** The lifetime of a signed assertion when none is set: 2 minutes. */
    public static final Duration DEFAULT_ASSERTION_LIFETIME = Duration.ofMinutes(2);

    private final OAuthClient client;
    private final Supplier<Secret> assertion;
    private final String shown;

    private JwtBearerGrant(OAuthClient client, Supplier<Secret> assertion, String shown) {
        this.client = client;
        this.assertion = assertion;
        this.shown = shown;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder; {@link Builder#client} and an assertion ({@link Builder#assertion} or
     *     {@link Builder#signingKey}) are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends one token request with a fresh assertion. Blocks on network I/O.
     *
     * @param request the manager's request; its scopes are sent
     * @return the token
     * @throws ReauthenticationRequiredException if the server refused the assertion or the client
     * @throws InvalidTokenResponseException if the server answered with success but no usable token
     * @throws TokenRefreshException for any other failure, including an assertion supplier that returned
     *     {@code null}; see {@link TokenRefreshException#retryable()}
     */
    @Override
    public TokenResponse fetch(Request request) {
        Objects.requireNonNull(request, "request");
        Secret jwt = assertion.get();
        if (jwt == null) {
            throw new TokenRefreshException(client.tokenEndpoint(), "the JWT assertion supplier returned null",
                    null, false);
        }
        return client.grant(GRANT_TYPE, request.scopes(), r -> r.secret("assertion", jwt.reveal()));
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

    /** Shows the endpoint, the client id and how assertions are made; never an assertion or a key. */
    @Override
    public String toString() {
        return "JwtBearerGrant[" + client + ", " + shown + "]";
    }

    /**
     * Builds a {@link JwtBearerGrant}. Each option may be set once; {@link #assertion} conflicts with
     * {@link #signingKey} and its claims, which fail in {@link #build()} naming the options. Not thread-safe.
     */
    public static final class Builder {

        private static final String OWNER = "JwtBearerGrant";

        private OAuthClient client;
        private Supplier<Secret> assertion;
        private PrivateKey signingKey;
        private String keyId;
        private String issuer;
        private String subject;
        private String audience;
        private Duration assertionLifetime;
        private Clock clock;

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
         * Takes each assertion from a supplier: a signed JWT for this token endpoint, asked for anew before each
         * request (an assertion is short-lived, and a server may refuse one it has seen). Conflicts with
         * {@link #signingKey}.
         *
         * @param assertion called on the manager's refresh thread; may block
         * @return this builder
         * @throws NullPointerException if {@code assertion} is {@code null}
         * @throws IllegalStateException if it was already set
         */
        public Builder assertion(Supplier<Secret> assertion) {
            this.assertion = Options.setOnce(OWNER, this.assertion != null, "assertion", assertion);
            return this;
        }

        /**
         * Signs each assertion with a key: RS256 for an RSA key of 2048 bits or more, ES256 for an EC key on
         * P-256. Needs {@link #issuer}. Conflicts with {@link #assertion}.
         *
         * @param signingKey the private key; kept, never shown
         * @return this builder
         * @throws NullPointerException if {@code signingKey} is {@code null}
         * @throws IllegalArgumentException if it is neither such an RSA nor such an EC key
         * @throws IllegalStateException if it was already set
         */
        public Builder signingKey(PrivateKey signingKey) {
            Options.setOnce(OWNER, this.signingKey != null, "signingKey", signingKey);
            JwtAssertions.algorithm(signingKey);
            this.signingKey = signingKey;
            return this;
        }

        /**
         * Sets the {@code kid} header of signed assertions, for a server that holds several of the client's keys.
         * By default, none.
         *
         * @param keyId the key id; not secret
         * @return this builder
         * @throws NullPointerException if {@code keyId} is {@code null}
         * @throws IllegalArgumentException if it is empty
         * @throws IllegalStateException if it was already set
         */
        public Builder keyId(String keyId) {
            this.keyId = Options.nonEmpty(OWNER, "keyId", Options.setOnce(OWNER, this.keyId != null, "keyId", keyId));
            return this;
        }

        /**
         * Sets the {@code iss} claim of signed assertions: who issued them, often the client id. Required with
         * {@link #signingKey}.
         *
         * @param issuer the issuer
         * @return this builder
         * @throws NullPointerException if {@code issuer} is {@code null}
         * @throws IllegalArgumentException if it is empty
         * @throws IllegalStateException if it was already set
         */
        public Builder issuer(String issuer) {
            this.issuer = Options.nonEmpty(OWNER, "issuer",
                    Options.setOnce(OWNER, this.issuer != null, "issuer", issuer));
            return this;
        }

        /**
         * Sets the {@code sub} claim of signed assertions: the principal the token is for. By default, the issuer
         * (a client acting for itself).
         *
         * @param subject the subject
         * @return this builder
         * @throws NullPointerException if {@code subject} is {@code null}
         * @throws IllegalArgumentException if it is empty
         * @throws IllegalStateException if it was already set
         */
        public Builder subject(String subject) {
            this.subject = Options.nonEmpty(OWNER, "subject",
                    Options.setOnce(OWNER, this.subject != null, "subject", subject));
            return this;
        }

        /**
         * Sets the {@code aud} claim of signed assertions. By default, the client's token endpoint, as RFC 7523
         * §3 suggests; some servers want their issuer identifier instead.
         *
         * @param audience the audience
         * @return this builder
         * @throws NullPointerException if {@code audience} is {@code null}
         * @throws IllegalArgumentException if it is empty
         * @throws IllegalStateException if it was already set
         */
        public Builder audience(String audience) {
            this.audience = Options.nonEmpty(OWNER, "audience",
                    Options.setOnce(OWNER, this.audience != null, "audience", audience));
            return this;
        }

        /**
         * Sets how long a signed assertion is valid ({@code exp} minus {@code iat}). By default,
         * {@link #DEFAULT_ASSERTION_LIFETIME} (2 minutes).
         *
         * @param assertionLifetime a positive duration of at most one hour
         * @return this builder
         * @throws NullPointerException if {@code assertionLifetime} is {@code null}
         * @throws IllegalArgumentException if it is not positive or longer than one hour
         * @throws IllegalStateException if it was already set
         */
        public Builder assertionLifetime(Duration assertionLifetime) {
            Options.setOnce(OWNER, this.assertionLifetime != null, "assertionLifetime", assertionLifetime);
            Options.positive("JwtBearerGrant", "assertionLifetime", assertionLifetime);
            if (assertionLifetime.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("JwtBearerGrant option 'assertionLifetime' must be at most one "
                        + "hour: " + assertionLifetime);
            }
            this.assertionLifetime = assertionLifetime;
            return this;
        }

        /**
         * Sets the clock of the {@code iat} and {@code exp} claims. By default, {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException if {@code clock} is {@code null}
         * @throws IllegalStateException if it was already set
         */
        public Builder clock(Clock clock) {
            this.clock = Options.setOnce(OWNER, this.clock != null, "clock", clock);
            return this;
        }

        /**
         * Builds the grant, checking the options together.
         *
         * @return the grant
         * @throws IllegalStateException if the client or the assertion is missing, or options conflict; the
         *     message names the endpoint and the options
         */
        public JwtBearerGrant build() {
            if (client == null) {
                throw new IllegalStateException("JwtBearerGrant needs client(OAuthClient)");
            }
            String where = "JwtBearerGrant for " + Endpoints.shown(client.tokenEndpoint());
            boolean claims = keyId != null || issuer != null || subject != null || audience != null
                    || assertionLifetime != null || clock != null;
            if (assertion != null) {
                if (signingKey != null || claims) {
                    throw new IllegalStateException(where + ": option 'assertion' conflicts with 'signingKey' and "
                            + "its claims (keyId, issuer, subject, audience, assertionLifetime, clock): a supplied "
                            + "assertion is used as it is");
                }
                return new JwtBearerGrant(client, assertion, "assertion supplied");
            }
            if (signingKey == null) {
                throw new IllegalStateException(where + " needs assertion(Supplier) or signingKey(PrivateKey)");
            }
            if (issuer == null) {
                throw new IllegalStateException(where + ": option 'signingKey' needs issuer(String)");
            }
            JwtAssertions signer = new JwtAssertions(signingKey, keyId, issuer, subject != null ? subject : issuer,
                    audience != null ? audience : client.tokenEndpoint().toString(),
                    assertionLifetime != null ? assertionLifetime : DEFAULT_ASSERTION_LIFETIME,
                    clock != null ? clock : Clock.systemUTC());
            return new JwtBearerGrant(client, signer::next, signer.toString());
        }
    }
}
