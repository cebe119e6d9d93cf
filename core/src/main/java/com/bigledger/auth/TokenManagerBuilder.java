package com.bigledger.auth;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Builds a {@link TokenManager}. A client and one grant (or a {@link TokenSource}) are required. Each option
 * may be set once; setting one twice, or two grants, fails at once. Not thread-safe.
 */
public final class TokenManagerBuilder {
    /** The options set so far, with their checks and defaults. */
    private final TokenManagerOptions options = new TokenManagerOptions();

    TokenManagerBuilder() {
    }

    /**
     * Sets the OAuth client that talks to the token endpoint. Required, except with a {@link #tokenSource} that
     * names its endpoint.
     *
     * @param client the client
     * @return this builder
     */
    public TokenManagerBuilder client(OAuthClient client) {
        options.client(client);
        return this;
    }

    /**
     * Uses the {@code client_credentials} grant: the client's own token.
     *
     * @return this builder
     */
    public TokenManagerBuilder clientCredentials() {
        options.clientCredentials();
        return this;
    }

    /**
     * Uses the {@code refresh_token} grant with a refresh token kept in a store. It is read through
     * {@code vault}, and each rotated refresh token is written back there with compare-and-set on the version
     * it was read at; the store must be writable for rotation to persist.
     *
     * @param vault the vault that reads and writes the store
     * @param ref where the refresh token lives, such as {@code aws-sm:prod/bigledger#refresh_token}
     * @return this builder
     */
    public TokenManagerBuilder refreshToken(CredentialVault vault, CredentialRef ref) {
        options.refreshToken(vault, ref);
        return this;
    }

    /**
     * Uses the {@code refresh_token} grant through a token record that a fleet of processes shares: fleet mode.
     * The record (refresh token, access token and its expiry, a generation and a lease; see
     * {@link TokenManager#storeRefreshToken} for its encoding) lives at {@code record} in a store with
     * compare-and-set: the {@code file} store (processes on one host), Vault KV version 2, AWS Secrets Manager.
     *
     * <p>Before each refresh the record is read again: a stored access token still outside this manager's
     * refresh-ahead window is used with no request. Otherwise the manager takes the record's lease by a
     * compare-and-set write, reads the record again, asks the token endpoint with the record's refresh token,
     * and writes the new record (generation + 1, lease cleared) before it hands the new access token out.
     * Managers that find the lease held serve their still-valid token, or wait (up to their deadline) and look
     * again every {@linkplain #recordPollInterval poll interval} until the record moves. A holder that died is
     * taken over once its lease expires. An {@code invalid_grant} is checked against the record first: a newer
     * generation there is adopted instead of reporting re-authentication. Any number of managers over one
     * record thus make one token request per access-token lifetime, and never present a refresh token that
     * another one has already rotated.
     *
     * <p>Clocks: leases are compared with each host's own clock. A lease lasts {@linkplain #leaseTtl its TTL}
     * (by default 3 times the client's request timeout) and its holder starts a request only while at least
     * one request timeout of it is left, so hosts whose clocks differ by less than the TTL minus the longest
     * request (by default, one request timeout) never refresh at once. Larger skew can make two holders
     * refresh together; with a server that revokes a grant on reuse of a retired refresh token, that costs the
     * grant.
     *
     * @param vault the vault that reads and writes the store
     * @param record where the token record lives, such as {@code file:bigledger/token_record}
     * @return this builder
     */
    public TokenManagerBuilder tokenRecord(CredentialVault vault, CredentialRef record) {
        options.tokenRecord(vault, record);
        return this;
    }

    /**
     * Fleet mode: sets how long a lease on the token record lasts; it must be longer than the client's request
     * timeout. By default, 3 times the client's request timeout.
     *
     * @param leaseTtl the lease's length; positive
     * @return this builder
     */
    public TokenManagerBuilder leaseTtl(Duration leaseTtl) {
        options.leaseTtl(leaseTtl);
        return this;
    }

    /**
     * Fleet mode: sets how often a manager waiting for another process's refresh reads the token record again.
     * By default, 200 milliseconds.
     *
     * @param interval the interval; positive
     * @return this builder
     */
    public TokenManagerBuilder recordPollInterval(Duration interval) {
        options.recordPollInterval(interval);
        return this;
    }

    /**
     * Fleet mode: sets whether access tokens are kept in the token record for the other processes to use. With
     * {@code false}, only the refresh token, generation and lease are stored; each process then gets its own
     * access tokens, every refresh still going through the lease. By default, {@code true}.
     *
     * @param share whether to store access tokens
     * @return this builder
     */
    public TokenManagerBuilder shareAccessTokens(boolean share) {
        options.shareAccessTokens(share);
        return this;
    }

    /**
     * Uses the {@code refresh_token} grant with a refresh token held in memory only (rotated tokens replace it
     * in memory; nothing is written).
     *
     * @param initial the refresh token
     * @return this builder
     */
    public TokenManagerBuilder refreshToken(Secret initial) {
        options.refreshToken(initial);
        return this;
    }

    /**
     * Gets tokens from a {@link TokenSource}: any grant, such as {@link com.bigledger.auth.oauth.JwtBearerGrant}
     * or {@link com.bigledger.auth.oauth.TokenExchangeGrant}, with the refresh-ahead, single flight, retries,
     * circuit breaker, events and deadlines of the built-in grants. Conflicts with {@link #clientCredentials()}.
     * With {@link #refreshToken(CredentialVault, CredentialRef)}, {@link #refreshToken(Secret)} or
     * {@link #tokenRecord} as well, the source is given the refresh token held, and a refresh token it returns
     * is written back as with the {@code refresh_token} grant. Without {@link #client(OAuthClient)}, the
     * source's {@link TokenSource#endpoint() endpoint} names the manager and keys its circuit breaker.
     *
     * @param source the source; called on one thread at a time
     * @return this builder
     * @throws NullPointerException if {@code source} is {@code null}
     * @throws IllegalStateException if a token source or {@link #clientCredentials()} was already chosen
     */
    public TokenManagerBuilder tokenSource(TokenSource source) {
        options.tokenSource(source);
        return this;
    }

    /**
     * Sets the scopes asked for. By default, none: the server's default scopes, or for a refresh, all the scopes
     * originally granted.
     *
     * @param scopes the scopes
     * @return this builder
     */
    public TokenManagerBuilder scopes(Set<String> scopes) {
        options.scopes(scopes);
        return this;
    }

    /**
     * Sets the name used in events, logs and messages. By default, the token endpoint's address without its
     * user info, query or fragment.
     *
     * @param name the name; not a secret
     * @return this builder
     */
    public TokenManagerBuilder name(String name) {
        options.name(name);
        return this;
    }

    /**
     * Sets the refresh-ahead window: a refresh starts this long before expiry, while the token is still served.
     * The window is the larger of {@code minimum} and {@code fractionOfLifetime} of the token's lifetime, at
     * most half the lifetime, plus up to {@linkplain #jitter 10%} at random; a server's {@code refresh_in} wins.
     * By default, 5 minutes and 0.1.
     *
     * @param minimum the smallest window
     * @param fractionOfLifetime the window as a fraction of the lifetime, in [0, 1)
     * @return this builder
     */
    public TokenManagerBuilder refreshAhead(Duration minimum, double fractionOfLifetime) {
        options.refreshAhead(minimum, fractionOfLifetime);
        return this;
    }

    /**
     * Sets how long before the server's expiry a token stops being handed out, to allow for clock drift and
     * time in flight; at most a quarter of the token's lifetime. By default, 30 seconds.
     *
     * @param expirySkew the skew; zero or more
     * @return this builder
     */
    public TokenManagerBuilder expirySkew(Duration expirySkew) {
        options.expirySkew(expirySkew);
        return this;
    }

    /**
     * Sets the largest random fraction added to the refresh-ahead window, so that many processes do not refresh
     * together. By default, 0.1.
     *
     * @param jitter a fraction in [0, 1)
     * @return this builder
     */
    public TokenManagerBuilder jitter(double jitter) {
        options.jitter(jitter);
        return this;
    }

    /**
     * Sets how long {@link TokenManager#token()} waits when no valid token is cached. By default, 30 seconds.
     *
     * @param timeout the default deadline; positive
     * @return this builder
     */
    public TokenManagerBuilder timeout(Duration timeout) {
        options.timeout(timeout);
        return this;
    }

    /**
     * Sets the staleness bound: a token is never handed out more than this long past its skewed expiry, as the
     * clock reads it, whatever the scheduler, the clock or listeners do (see the class description). At 1 s or
     * more with the system clock, {@link TokenManager#token()} compares with a process-wide coarse clock; below
     * that, or with another clock, it reads the clock on each call. By default, 1 second.
     *
     * @param maxStaleness the bound; not negative
     * @return this builder
     */
    public TokenManagerBuilder maxStaleness(Duration maxStaleness) {
        options.maxStaleness(maxStaleness);
        return this;
    }

    /**
     * The earlier name of {@link #maxStaleness(Duration)}, from when a timer per token re-read the clock at this
     * interval; sets the same bound.
     *
     * @param watchdog the bound; not negative
     * @return this builder
     */
    public TokenManagerBuilder watchdog(Duration watchdog) {
        return maxStaleness(watchdog);
    }

    /**
     * Sets the retry of failed token requests. By default, {@link RetrySettings#defaults()}. Only temporary
     * failures are retried, and a {@code Retry-After} from the server is honoured, whatever the settings say.
     *
     * @param retry the settings
     * @return this builder
     */
    public TokenManagerBuilder retry(RetrySettings retry) {
        options.retry(retry);
        return this;
    }

    /**
     * Sets how long to wait before starting a new round of retries once the retry config gave up on a
     * temporary failure. By default, 30 seconds.
     *
     * @param retryCooldown the pause; positive
     * @return this builder
     */
    public TokenManagerBuilder retryCooldown(Duration retryCooldown) {
        options.retryCooldown(retryCooldown);
        return this;
    }

    /**
     * Sets how long {@link TokenManager#close()} waits for a refresh already running, so that a refresh token it
     * receives is written back rather than lost. By default, 10 seconds.
     *
     * @param closeTimeout the longest wait; positive
     * @return this builder
     */
    public TokenManagerBuilder closeTimeout(Duration closeTimeout) {
        options.closeTimeout(closeTimeout);
        return this;
    }

    /**
     * Sets the circuit breaker in front of the token endpoint. By default, {@link CircuitBreakerSettings#defaults()},
     * timed by this builder's clock.
     *
     * @param circuitBreaker the settings; {@link CircuitBreakerSettings#disabled()} for none
     * @return this builder
     */
    public TokenManagerBuilder circuitBreaker(CircuitBreakerSettings circuitBreaker) {
        options.circuitBreaker(circuitBreaker);
        return this;
    }

    /**
     * Sets the clock that decides expiry and refresh instants. By default, {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public TokenManagerBuilder clock(Clock clock) {
        options.clock(clock);
        return this;
    }

    /**
     * Sets the scheduler that runs refreshes, retries and timers. By default, {@link Scheduler#systemDefault()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public TokenManagerBuilder scheduler(Scheduler scheduler) {
        options.scheduler(scheduler);
        return this;
    }

    /**
     * Adds a listener; may be called more than once. By default, none.
     *
     * @param listener the listener
     * @return this builder
     */
    public TokenManagerBuilder addListener(TokenListener listener) {
        options.addListener(listener);
        return this;
    }

    /** The schedule of these settings: see {@link TokenManagerOptions#refreshSchedule()}. */
    RefreshSchedule refreshSchedule() {
        return options.refreshSchedule();
    }

    /**
     * Builds the manager. No request is sent until the first {@link TokenManager#token()}.
     *
     * @return the manager
     * @throws IllegalStateException if the grant is missing, or the client is (a token source that names its
     *     endpoint needs none, except in fleet mode)
     * @throws IllegalArgumentException if fleet-mode options do not fit the store or the client
     */
    public TokenManager build() {
        options.validate();
        return new TokenManager(options);
    }
}
