package com.bigledger.auth.benchmarks;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.OAuth2Credentials;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.utils.cache.CachedSupplier;
import software.amazon.awssdk.utils.cache.NonBlocking;
import software.amazon.awssdk.utils.cache.RefreshResult;

/**
 * The libraries a user would pick instead of {@code TokenManager}, each set up as its documentation suggests for a
 * token cache and fetching through the same {@link OAuthClient} and fake endpoint as this library, so that only the
 * caching differs. Each takes the fetch as a {@code Supplier<TokenResponse>} (in practice
 * {@code () -> client.clientCredentials(Set.of())}), which the harness wraps to count and time requests.
 */
final class Alternatives {

    private Alternatives() {
    }

    /**
     * google-auth-library's {@link OAuth2Credentials} with {@code refreshAccessToken()} implemented against the fake
     * endpoint, as its own service-account and user credentials implement it against Google's.
     */
    static final class EndpointCredentials extends OAuth2Credentials {
        private static final long serialVersionUID = 1L;

        private final transient Supplier<TokenResponse> fetch;
        private final transient Clock clock;

        /**
         * Credentials with an initial token.
         *
         * @param fetch fetches a token
         * @param clock the clock the expiry of a fetched token is computed on; the same as the credentials' own
         * @param initial the token held at first, or {@code null} to fetch one on first use
         * @param refreshMargin google-auth's stale window (3 min 45 s by default)
         * @param expirationMargin google-auth's expiry skew (3 min by default)
         */
        EndpointCredentials(Supplier<TokenResponse> fetch, Clock clock, AccessToken initial, Duration refreshMargin,
                Duration expirationMargin) {
            super(initial, refreshMargin, expirationMargin);
            this.fetch = fetch;
            this.clock = clock;
        }

        @Override
        public AccessToken refreshAccessToken() {
            Instant start = clock.instant();
            TokenResponse response = fetch.get();
            return new AccessToken(response.accessToken().reveal(), Date.from(start.plus(response.expiresIn())));
        }
    }

    /**
     * Makes google-auth credentials read time from {@code clock}. {@code OAuth2Credentials} keeps its clock in a
     * package-private field (its own tests set it the same way); the harness sets it by reflection so that every
     * subject runs on one clock that a scenario moves forward.
     *
     * @param credentials the credentials, not used yet
     * @param clock the clock
     */
    static void useClock(OAuth2Credentials credentials, Clock clock) {
        try {
            Field field = OAuth2Credentials.class.getDeclaredField("clock");
            field.setAccessible(true);
            field.set(credentials, (com.google.api.client.util.Clock) clock::millis);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this version of OAuth2Credentials has no clock field", e);
        }
    }

    /**
     * google-auth credentials with its default margins and a first token fetched from the endpoint.
     *
     * @param fetch fetches a token
     * @return the credentials, holding a fresh token
     */
    static EndpointCredentials googleFetched(Supplier<TokenResponse> fetch) {
        EndpointCredentials credentials = new EndpointCredentials(fetch, Clock.systemUTC(), null, Duration.ofSeconds(225),
                Duration.ofMinutes(3));
        try {
            credentials.refresh();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the first token fetch failed", e);
        }
        return credentials;
    }

    /**
     * AWS SDK v2's {@link CachedSupplier} over the endpoint: a value stale {@code staleBeforeExpiry} before the
     * token expires, prefetched from {@code prefetchBeforeStale} before that.
     *
     * @param fetch fetches a token
     * @param clock the supplier's clock (a public builder option of {@code CachedSupplier})
     * @param nonBlocking {@code NonBlocking} prefetch (a background thread) instead of the default
     *     {@code OneCallerBlocks}
     * @param staleBeforeExpiry the expiry skew
     * @param prefetchBeforeStale the prefetch window
     * @param prefetchJitter {@code CachedSupplier}'s default: the prefetch instant is moved to a random point between
     *     it and one minute before the stale instant; without it the window opens at a known instant (the option is
     *     package-private in the SDK, so it is set by reflection)
     * @return the supplier; nothing is fetched until the first {@code get()}
     */
    static CachedSupplier<String> aws(Supplier<TokenResponse> fetch, Clock clock, boolean nonBlocking,
            Duration staleBeforeExpiry, Duration prefetchBeforeStale, boolean prefetchJitter) {
        CachedSupplier.Builder<String> builder = CachedSupplier.builder(() -> {
            Instant start = clock.instant();
            TokenResponse response = fetch.get();
            Instant stale = start.plus(response.expiresIn()).minus(staleBeforeExpiry);
            return RefreshResult.builder(response.accessToken().reveal())
                    .staleTime(stale)
                    .prefetchTime(stale.minus(prefetchBeforeStale))
                    .build();
        }).cachedValueName("bench").clock(clock);
        if (nonBlocking) {
            builder.prefetchStrategy(new NonBlocking("bench"));
        }
        if (!prefetchJitter) {
            try {
                Method jitter = CachedSupplier.Builder.class.getDeclaredMethod("jitterEnabled", Boolean.class);
                jitter.setAccessible(true);
                jitter.invoke(builder, Boolean.FALSE);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this version of CachedSupplier has no jitterEnabled option", e);
            }
        }
        return builder.build();
    }

    /**
     * A Caffeine {@link LoadingCache} of one key, loading through the endpoint.
     *
     * @param fetch fetches a token
     * @param ticker the cache's ticker
     * @param refreshAfterWrite when a read starts an asynchronous reload
     * @param expireAfterWrite when the entry is dropped, if at all
     * @return the cache, empty
     */
    static LoadingCache<String, String> caffeine(Supplier<TokenResponse> fetch, Ticker ticker, Duration refreshAfterWrite,
            Optional<Duration> expireAfterWrite) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder().ticker(ticker).refreshAfterWrite(refreshAfterWrite);
        expireAfterWrite.ifPresent(builder::expireAfterWrite);
        return builder.build(key -> fetch.get().accessToken().reveal());
    }
}
