package com.bigledger.auth.oauth;

import com.bigledger.auth.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A successful answer from a token endpoint (RFC 6749 §5.1): a bearer access token, its lifetime, and optionally
 * a refresh token and the granted scopes.
 *
 * <p>{@link OAuthClient} makes these from responses it has checked: the access token is a non-empty string of
 * printable ASCII, the type is {@code Bearer}, and the lifetime is positive and at most {@link #MAX_LIFETIME}.
 * {@link #builder()} applies the same checks, so that tests and other token sources can make them too.
 *
 * <p>{@link #toString()} never shows a token: only the known prefix such as {@code blg_oauth_at_}, as
 * {@link Secret} prints it. Instances are immutable and thread-safe.
 */
public final class TokenResponse {

    /**
     * The longest lifetime accepted, one year: a longer {@code expires_in} is taken for a server bug (such as
     * milliseconds, or an absolute time) rather than trusted.
     */
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    private static final String BEARER = "Bearer";

    private final Secret accessToken;
    private final Duration expiresIn;
    private final Secret refreshToken;
    private final Set<String> scopes;
    private final Duration refreshIn;

    private TokenResponse(Builder b) {
        this.accessToken = b.accessToken;
        this.expiresIn = b.expiresIn;
        this.refreshToken = b.refreshToken;
        this.scopes = b.scopes;
        this.refreshIn = b.refreshIn;
    }

    /**
     * Starts a token response, for tests and for token sources other than {@link OAuthClient}.
     *
     * @return a new builder; {@link Builder#accessToken} and {@link Builder#expiresIn} are required
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the access token, the value that goes after {@code Bearer } in an {@code Authorization} header.
     *
     * @return the access token
     */
    public Secret accessToken() {
        return accessToken;
    }

    /**
     * Returns the token type, always {@code Bearer}: responses of any other type are refused, because this library
     * can only present bearer tokens.
     *
     * @return {@code "Bearer"}
     */
    public String tokenType() {
        return BEARER;
    }

    /**
     * Returns the lifetime of the access token, counted from when the server answered; callers should count it
     * from when they sent the request, which is earlier and so on the safe side.
     *
     * @return a positive duration of at most {@link #MAX_LIFETIME}
     */
    public Duration expiresIn() {
        return expiresIn;
    }

    /**
     * Returns the refresh token, if the server issued one. A server that rotates refresh tokens sends a new one
     * with every refresh, and the old one stops working: store the new one before using the access token.
     *
     * @return the refresh token, or empty when the response had none (then a refresh token used for this request
     *     remains valid, RFC 6749 §6)
     */
    public Optional<Secret> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /**
     * Returns the granted scopes: those the response named, or, when it named none, those requested (RFC 6749 §5.1
     * lets the server leave {@code scope} out when it granted exactly what was asked).
     *
     * @return the scopes, possibly empty when the response named none and none were requested; unmodifiable
     */
    public Set<String> scopes() {
        return scopes;
    }

    /**
     * Returns when the server suggests refreshing the token ({@code refresh_in}, a BigLedger extension): earlier
     * than its expiry, for example so that the server can spread refreshes out.
     *
     * @return the suggested delay, positive and shorter than {@link #expiresIn()}, or empty when the server sent
     *     none or an unusable value
     */
    public Optional<Duration> refreshIn() {
        return Optional.ofNullable(refreshIn);
    }

    /** Shows the lifetime, the scopes and which tokens are present, never a token's value. */
    @Override
    public String toString() {
        return "TokenResponse[accessToken=" + accessToken + ", tokenType=" + BEARER + ", expiresIn=" + expiresIn
                + ", refreshToken=" + (refreshToken == null ? "none" : refreshToken.toString())
                + ", scopes=" + scopes + (refreshIn == null ? "" : ", refreshIn=" + refreshIn) + "]";
    }

    /**
     * Builds a {@link TokenResponse}.
     *
     * <p>Each option may be set once; setting one twice fails. Not thread-safe: use one builder per thread.
     */
    public static final class Builder {

        private Secret accessToken;
        private Duration expiresIn;
        private Secret refreshToken;
        private Set<String> scopes;
        private Duration refreshIn;

        private Builder() {
        }

        /**
         * Sets the access token. Required.
         *
         * @param accessToken a non-empty token of printable ASCII without spaces
         * @return this builder
         * @throws NullPointerException if {@code accessToken} is {@code null}
         * @throws IllegalArgumentException if the token is empty or has a character that cannot go in a header
         * @throws IllegalStateException if the access token was already set
         */
        public Builder accessToken(Secret accessToken) {
            Objects.requireNonNull(accessToken, "accessToken");
            once(this.accessToken, "accessToken");
            if (!TokenBodies.isHeaderSafe(accessToken)) {
                throw new IllegalArgumentException(
                        "accessToken must be non-empty printable ASCII without spaces: " + accessToken);
            }
            this.accessToken = accessToken;
            return this;
        }

        /**
         * Sets the lifetime of the access token. Required.
         *
         * @param expiresIn positive and at most {@link #MAX_LIFETIME}
         * @return this builder
         * @throws NullPointerException if {@code expiresIn} is {@code null}
         * @throws IllegalArgumentException if it is zero, negative or longer than {@link #MAX_LIFETIME}
         * @throws IllegalStateException if the lifetime was already set
         */
        public Builder expiresIn(Duration expiresIn) {
            Objects.requireNonNull(expiresIn, "expiresIn");
            once(this.expiresIn, "expiresIn");
            if (expiresIn.isNegative() || expiresIn.isZero() || expiresIn.compareTo(MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("expiresIn must be positive and at most " + MAX_LIFETIME + ": "
                        + expiresIn);
            }
            this.expiresIn = expiresIn;
            return this;
        }

        /**
         * Sets the refresh token. By default, there is none.
         *
         * @param refreshToken a non-empty token of printable ASCII
         * @return this builder
         * @throws NullPointerException if {@code refreshToken} is {@code null}
         * @throws IllegalArgumentException if the token is empty or has a control character
         * @throws IllegalStateException if the refresh token was already set
         */
        public Builder refreshToken(Secret refreshToken) {
            Objects.requireNonNull(refreshToken, "refreshToken");
            once(this.refreshToken, "refreshToken");
            if (!TokenBodies.isPrintable(refreshToken)) {
                throw new IllegalArgumentException("refreshToken must be non-empty printable ASCII: " + refreshToken);
            }
            this.refreshToken = refreshToken;
            return this;
        }

        /**
         * Sets the granted scopes. By default, none.
         *
         * @param scopes valid RFC 6749 scope tokens; copied
         * @return this builder
         * @throws NullPointerException if {@code scopes} or an element is {@code null}
         * @throws IllegalArgumentException if a scope is not a valid scope token
         * @throws IllegalStateException if the scopes were already set
         */
        public Builder scopes(Set<String> scopes) {
            Objects.requireNonNull(scopes, "scopes");
            once(this.scopes, "scopes");
            this.scopes = Scopes.check(scopes);
            return this;
        }

        /**
         * Sets when the server suggests refreshing. By default, the server suggested nothing.
         *
         * @param refreshIn positive; checked against the lifetime by {@link #build()}
         * @return this builder
         * @throws NullPointerException if {@code refreshIn} is {@code null}
         * @throws IllegalArgumentException if it is zero or negative
         * @throws IllegalStateException if it was already set
         */
        public Builder refreshIn(Duration refreshIn) {
            Objects.requireNonNull(refreshIn, "refreshIn");
            once(this.refreshIn, "refreshIn");
            if (refreshIn.isNegative() || refreshIn.isZero()) {
                throw new IllegalArgumentException("refreshIn must be positive: " + refreshIn);
            }
            this.refreshIn = refreshIn;
            return this;
        }

        /**
         * Builds the response.
         *
         * @return a new response
         * @throws IllegalStateException if the access token or lifetime is missing, or {@code refreshIn} is not
         *     shorter than {@code expiresIn}
         */
        public TokenResponse build() {
            if (accessToken == null || expiresIn == null) {
                throw new IllegalStateException("accessToken and expiresIn are required; missing: "
                        + (accessToken == null ? "accessToken" + (expiresIn == null ? ", expiresIn" : "")
                                : "expiresIn"));
            }
            if (refreshIn != null && refreshIn.compareTo(expiresIn) >= 0) {
                throw new IllegalStateException("refreshIn (" + refreshIn + ") must be shorter than expiresIn ("
                        + expiresIn + ")");
            }
            if (scopes == null) {
                scopes = Set.of();
            }
            return new TokenResponse(this);
        }

        private static void once(Object current, String option) {
            if (current != null) {
                throw new IllegalStateException(option + " is already set; each option is set once");
            }
        }
    }
}
