package com.bigledger.auth;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.oauth.TokenSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The grant of a {@link TokenManager}: the token source it asks, one of the built-in grants or a user's
 * {@link TokenSource}. Every grant fails with the library's typed exceptions, so the manager retries, breaks the
 * circuit and reports alike whatever the grant.
 */
sealed interface Grant {

    /**
     * Sends one token request.
     *
     * @throws ReauthenticationRequiredException if the server refused the grant or the client
     * @throws TokenRefreshException for any other failure
     */
    TokenResponse fetch(TokenSource.Request request);

    /** The grant's name in {@code toString} and messages. */
    String name();

    /** The {@code client_credentials} grant: the client's own token. */
    record ClientCredentials(OAuthClient client) implements Grant {
        @Override
        public TokenResponse fetch(TokenSource.Request request) {
            return client.clientCredentials(request.scopes());
        }

        @Override
        public String name() {
            return "CLIENT_CREDENTIALS";
        }
    }

    /** The {@code refresh_token} grant, with the refresh token the manager holds. */
    record RefreshToken(OAuthClient client) implements Grant {
        @Override
        public TokenResponse fetch(TokenSource.Request request) {
            Secret refreshToken = request.refreshToken().orElseThrow(() -> new IllegalStateException(
                    "the refresh_token grant was asked for a token without a refresh token"));
            return client.refresh(refreshToken, request.scopes());
        }

        @Override
        public String name() {
            return "REFRESH_TOKEN";
        }
    }

    /** A user's token source; what it throws is made typed, as {@link TokenSource} documents. */
    record Custom(TokenSource source, URI endpoint) implements Grant {
        @Override
        public TokenResponse fetch(TokenSource.Request request) {
            TokenResponse response;
            try {
                response = source.fetch(request);
            } catch (TokenRefreshException e) {
                throw e;
            } catch (BigLedgerAuthException e) {
                // A credential the source read (a subject token, a key) failed: the source's failure, typed alike.
                throw new TokenRefreshException(endpoint, "the token source failed: " + e.getMessage(), e,
                        e.retryable());
            } catch (IOException | UncheckedIOException e) {
                // The message is the source's own and may quote what it read: only the type is shown.
                throw new TokenRefreshException(endpoint, "the token source failed with "
                        + e.getClass().getName(), e, true);
            } catch (RuntimeException e) {
                throw new TokenRefreshException(endpoint, "the token source threw " + e.getClass().getName(), e,
                        false);
            }
            if (response == null) {
                throw new TokenRefreshException(endpoint, "the token source returned no token response", null,
                        false);
            }
            return response;
        }

        @Override
        public String name() {
            return "TOKEN_SOURCE";
        }
    }
}
