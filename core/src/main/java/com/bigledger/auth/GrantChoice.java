package com.bigledger.auth;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenSource;
import java.net.URI;
import java.util.Objects;

/**
 * The grant options of a {@link TokenManagerBuilder} as they are set, and the {@link Grant} and endpoint they
 * make: {@code clientCredentials()}, or a refresh token ({@code refreshToken(...)}, {@code tokenRecord(...)}), a
 * {@link TokenSource}, or both of the last two. Not thread-safe, as the builder.
 */
final class GrantChoice {

    private boolean clientCredentials;
    private RefreshTokenStorage storage;
    private TokenSource source;

    void clientCredentials() {
        conflict("CLIENT_CREDENTIALS", clientCredentials || storage != null || source != null);
        clientCredentials = true;
    }

    void storage(RefreshTokenStorage chosen) {
        conflict(chosen.name(), clientCredentials || storage != null);
        storage = chosen;
    }

    void source(TokenSource chosen) {
        Objects.requireNonNull(chosen, "source");
        conflict("TOKEN_SOURCE", clientCredentials || source != null);
        source = chosen;
    }

    /** Where the refresh token lives, or {@code null} when the grant has none. */
    RefreshTokenStorage storage() {
        return storage;
    }

    /** Whether a grant was chosen. */
    boolean chosen() {
        return clientCredentials || storage != null || source != null;
    }

    /**
     * The token endpoint: the client's, or the source's own without a client.
     *
     * @throws IllegalStateException if there is neither, or fleet mode has no client to time its lease by
     */
    URI endpoint(OAuthClient client) {
        if (client != null) {
            return client.tokenEndpoint();
        }
        if (source == null) {
            throw new IllegalStateException("TokenManager needs a client: call client(OAuthClient)");
        }
        if (storage != null && storage.record()) {
            throw new IllegalStateException("TokenManager option 'tokenRecord' needs client(OAuthClient): a lease "
                    + "on the token record is timed by the client's request timeout");
        }
        return source.endpoint().orElseThrow(() -> new IllegalStateException("TokenManager needs a client or a "
                + "token source that names its endpoint: call client(OAuthClient), or return the endpoint from "
                + "TokenSource.endpoint()"));
    }

    /** The grant; call after {@link #endpoint}. */
    Grant grant(OAuthClient client, URI endpoint) {
        if (source != null) {
            return new Grant.Custom(source, endpoint);
        }
        return clientCredentials ? new Grant.ClientCredentials(client) : new Grant.RefreshToken(client);
    }

    /** The grant's name, as {@code toString} shows it. */
    String name() {
        if (source != null) {
            return storage == null ? "TOKEN_SOURCE" : "TOKEN_SOURCE+" + storage.name();
        }
        return clientCredentials ? "CLIENT_CREDENTIALS" : storage.name();
    }

    private void conflict(String chosen, boolean conflicting) {
        if (conflicting) {
            throw new IllegalStateException("TokenManager has two grants: " + name() + " and " + chosen
                    + "; choose one (a token source may take a refresh token from refreshToken(...) or "
                    + "tokenRecord(...))");
        }
    }
}
