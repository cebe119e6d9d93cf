package com.bigledger.auth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An OAuth 2.0 bearer access token with the instant it expires and the scopes it carries.
 *
 * <p>{@link #toString()} shows the expiry and scopes, never the token. Immutable and thread-safe.
 */
public final class AccessToken {

    private final Secret value;
    private final Instant expiresAt;
    private final Set<String> scopes;

    /**
     * Creates a token.
     *
     * @param value the token
     * @param expiresAt when the server said it expires
     * @param scopes the scopes granted, possibly empty when the server did not say
     */
    public AccessToken(Secret value, Instant expiresAt, Set<String> scopes) {
        // Held as one string: the header text, with no byte copy beside it, and no allocation per reveal().
        this.value = Objects.requireNonNull(value, "value").heldAsText();
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        this.scopes = Set.copyOf(scopes);
    }

    /**
     * Returns the token.
     *
     * @return the token as a secret
     */
    public Secret value() {
        return value;
    }

    /**
     * Returns the token as text, for an {@code Authorization: Bearer} header: the one string the token is held as,
     * with no copy.
     *
     * @return the token
     * @throws IllegalStateException if the token's {@linkplain #value() secret} was destroyed
     */
    public String reveal() {
        return value.reveal();
    }

    /**
     * Returns when the server said the token expires.
     *
     * @return the expiry instant
     */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * Returns the scopes granted.
     *
     * @return the scopes; empty when the server did not list them
     */
    public Set<String> scopes() {
        return scopes;
    }

    @Override
    public String toString() {
        return "AccessToken[" + value + ", expiresAt=" + expiresAt + ", scopes=" + scopes + "]";
    }
}
