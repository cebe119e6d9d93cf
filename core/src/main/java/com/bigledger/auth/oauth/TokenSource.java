package com.bigledger.auth.oauth;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a {@link com.bigledger.auth.TokenManager} gets its tokens: one token request of any grant. The manager
 * gives a source what it gives the built-in grants: refresh-ahead, one request at a time however many callers
 * wait, retries with backoff, the circuit breaker, events and deadlines, and, when it holds a refresh token
 * ({@code refreshToken(...)} or {@code tokenRecord(...)} on its builder), rotation write-back of the refresh token a
 * source returns.
 *
 * <pre>{@code
 * TokenManager tokens = TokenManager.builder()
 *         .tokenSource(request -> myVendorClient.exchange(request.scopes()))
 *         .client(client) // or a source whose endpoint() names its endpoint
 *         .build();
 * }</pre>
 *
 * <p>The library ships {@link JwtBearerGrant} (RFC 7523) and {@link TokenExchangeGrant} (RFC 8693) on it.
 *
 * <p><b>Threading.</b> A manager calls its source on one thread at a time (a scheduler worker or a waiting
 * caller's thread), never concurrently with itself; the same source shared by several managers is called by each
 * of them. {@link #fetch} may block on I/O; it should bound its own waits (an {@link OAuthClient} does), since a
 * caller's deadline does not interrupt it.
 *
 * <p><b>Failures.</b> Throw what {@link OAuthClient} throws, and the manager treats it as it treats the built-in
 * grants':
 * <ul>
 *   <li>{@link ReauthenticationRequiredException} when the server refused the grant or the client
 *       ({@code invalid_grant}, {@code invalid_client}, …): refreshing stops until {@code refreshNow()};
 *   <li>{@link TokenRefreshException} with {@link TokenRefreshException#retryable() retryable()} {@code true} for a
 *       temporary failure (retried with backoff; it counts against the circuit breaker), {@code false} for a
 *       permanent one;
 *   <li>an {@link IOException} or {@link java.io.UncheckedIOException} is a retryable failure;
 *   <li>any other exception, or a {@code null} response, is a failure that is not retried.
 * </ul>
 * A source must not put a secret (an assertion, a subject token, a key) in an exception message: the manager logs
 * the messages of the failures it wraps, never their causes'.
 */
@FunctionalInterface
public interface TokenSource {

    /**
     * Gets a new token. Called by the manager when a refresh is due, on one thread at a time.
     *
     * @param request what the manager knows: the previous access token, the refresh token it holds, the scopes
     * @return the token; its {@link TokenResponse#refreshToken() refresh token}, if any, replaces the one the
     *     manager holds (and is written back to its store)
     * @throws IOException for a temporary transport failure; retried
     * @throws ReauthenticationRequiredException if the server refused the grant or the client
     * @throws TokenRefreshException for any other failure; see {@link TokenRefreshException#retryable()}
     */
    TokenResponse fetch(Request request) throws IOException;

    /**
     * Returns the token endpoint this source asks, which a manager without a {@code client(...)} uses to name
     * itself, in its messages, and to share a circuit breaker with the other managers on it. By default, none.
     *
     * @return the endpoint, or empty
     */
    default Optional<URI> endpoint() {
        return Optional.empty();
    }

    /**
     * What a manager knows when it asks its source for a token. Immutable.
     */
    final class Request {
        private final AccessToken previous;
        private final Secret refreshToken;
        private final Set<String> scopes;

        private Request(AccessToken previous, Secret refreshToken, Set<String> scopes) {
            this.previous = previous;
            this.refreshToken = refreshToken;
            this.scopes = scopes;
        }

        /**
         * Makes a request, as a manager does; for tests of a source.
         *
         * @param previous the access token being replaced, or {@code null} before the first one
         * @param refreshToken the refresh token the manager holds, or {@code null} when it holds none
         * @param scopes the scopes to ask for; empty for the server's default
         * @return the request
         * @throws NullPointerException if {@code scopes} or one of them is {@code null}
         */
        public static Request of(AccessToken previous, Secret refreshToken, Set<String> scopes) {
            return new Request(previous, refreshToken, Set.copyOf(Objects.requireNonNull(scopes, "scopes")));
        }

        /**
         * Returns the access token being replaced: expiring, or rejected by an API. Empty before the first token.
         *
         * @return the previous token, or empty
         */
        public Optional<AccessToken> previous() {
            return Optional.ofNullable(previous);
        }

        /**
         * Returns the refresh token the manager holds: the latest one, read from its store or returned by this
         * source. Empty when the manager has no refresh token ({@code refreshToken(...)} or
         * {@code tokenRecord(...)} not set).
         *
         * @return the refresh token, or empty
         */
        public Optional<Secret> refreshToken() {
            return Optional.ofNullable(refreshToken);
        }

        /**
         * Returns the scopes the manager was built with.
         *
         * @return the scopes; empty to ask for the server's default
         */
        public Set<String> scopes() {
            return scopes;
        }

        /** Shows whether there is a previous token and a refresh token, and the scopes; never a token. */
        @Override
        public String toString() {
            return "TokenSource.Request[previous=" + (previous != null) + ", refreshToken=" + (refreshToken != null)
                    + ", scopes=" + scopes + "]";
        }
    }
}
