package com.bigledger.auth;

import com.bigledger.auth.internal.Backoff;
import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.oauth.TokenSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one OAuth 2.0 grant's access token fresh, for any number of threads. The grant is client credentials, a
 * refresh token, or any other as a {@link TokenSource} (such as {@link com.bigledger.auth.oauth.JwtBearerGrant}
 * and {@link com.bigledger.auth.oauth.TokenExchangeGrant}); everything below holds for each.
 *
 * <ul>
 *   <li><b>Fresh</b>: {@link #token()} returns the cached token: two volatile reads (the token and the coarse
 *       time), no lock, no allocation.
 *   <li><b>Stale</b> (inside the refresh-ahead window: by default the larger of 5 minutes and 10% of the token's
 *       lifetime, jittered, or the server's {@code refresh_in}): the cached token is returned and one background
 *       refresh runs; no caller waits.
 *   <li><b>Expired</b> (within the expiry skew, 30 s by default, of the server's expiry): callers wait, up to
 *       their deadline, for the one refresh in flight; its outcome, success or failure, is shared by every waiter.
 * </ul>
 *
 * <p>Any number of concurrent callers cause at most one token-endpoint request at a time. A failed request is retried
 * as its {@link RetrySettings} say (by default 4 attempts, exponential backoff from 500 ms with jitter, at least as
 * long as a {@code Retry-After}), then again after {@linkplain TokenManagerBuilder#retryCooldown a cool-down}, for as
 * long as the failure is temporary; a {@linkplain CircuitBreakerSettings circuit breaker} guards the endpoint. While
 * the token is still valid it is served through every temporary failure. A refusal ({@code invalid_grant},
 * {@code invalid_client}, {@code unauthorized_client}) stops refreshing: callers get a
 * {@link ReauthenticationRequiredException} once the token expires, and listeners are told at once.
 *
 * <p>A token is never handed out more than the {@linkplain TokenManagerBuilder#maxStaleness staleness bound} (1 s by
 * default) past its skewed expiry as the {@link Clock} reads it, whatever the {@link Scheduler}'s timer, the clock or
 * the listeners do, across a machine sleep or a wall-clock jump: {@link #token()} itself compares the expiry with the
 * time (a process-wide coarse clock for the system clock), so nothing has to run for the bound to hold; with the
 * defaults that is still 29 s before the server's expiry. Listeners run on a scheduler worker, one event at a time and
 * in order, never under a lock (see {@link TokenListener}).
 *
 * <p>With a refresh token (the refresh-token grant, or a token source given one), a rotated refresh token is written
 * back to its store (compare-and-set on the version it was read at) before the new access token is handed out. If
 * the write fails, the new refresh token is kept in memory, used for the next refresh, and the write is retried
 * with backoff; a received refresh token is never dropped, and an older one never overwrites a newer one.
 *
 * <p>Thread-safe. {@link #token()} blocks only when no valid token is cached.
 */
public final class TokenManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    /** The state of a manager, for diagnostics and health checks. */
    public enum State {
        /** No token was obtained yet. */
        EMPTY,
        /** The cached token is valid and outside its refresh-ahead window. */
        FRESH,
        /** The cached token is valid; a refresh is due or running. */
        STALE,
        /** No valid token is cached; callers wait for a refresh. */
        EXPIRED,
        /**
         * The server refused the grant or the client; refreshes stopped until {@link #refreshNow()}. A token that is
         * still valid keeps being served until it expires.
         */
        REAUTHENTICATION_REQUIRED,
        /** {@link #close()} was called. */
        CLOSED
    }

    /** The state of the circuit breaker in front of a token endpoint, for health checks. */
    public enum CircuitState {
        /** Requests go to the endpoint. */
        CLOSED,
        /** Too many recent requests failed; requests are refused without a call until the open time is over. */
        OPEN,
        /** The open time is over; trial requests decide whether the breaker closes or opens again. */
        HALF_OPEN,
        /** There is no breaker: {@link CircuitBreakerSettings#disabled()}. */
        DISABLED
    }

    private final String name;
    /** The token endpoint: the client's, or the token source's. */
    private final URI endpoint;
    private final Set<String> scopes;
    /** Where tokens come from: a built-in grant or a {@link TokenSource}. */
    private final Grant grant;
    /** Where the refresh token lives; {@code null} when the grant has none. */
    private final RefreshTokenStorage storage;
    /** The grant's name in {@link #toString()}. */
    private final String grantName;
    /** When each token is refreshed and until when it is handed out; shared by the managers of one builder. */
    private final RefreshSchedule refreshSchedule;
    private final Duration retryCooldown;
    private final Clock clock;
    private final Scheduler scheduler;
    /** The breaker and retry of the token endpoint, shared with the other managers on it. */
    private final EndpointGuard guard;
    private final ListenerList<TokenListener> listeners;
    private final RefreshingValue<AccessToken> value;
    /** The delays between retries of a failed write-back, of a refresh token or of a token record. */
    static final Backoff WRITE_BACKOFF = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0.2);

    /** The refresh token held in memory and its write-back to the store; {@code null} without a refresh token. */
    private final RefreshTokenWriteBack refreshTokens;
    /** Set by {@link #close()}: the fleet's record writes stop being retried. */
    private volatile boolean writesStopped;

    private final Duration closeTimeout;
    /** The fleet side of a shared token record; {@code null} for the other grants. */
    private final Fleet fleet;
    /** Its loads, retry policy, timeout error and value listener: see {@link TokenManagerHooks}. */
    private final TokenManagerHooks hooks;

    /** Builds a manager from checked options: see {@link TokenManagerBuilder#build()}. */
    TokenManager(TokenManagerOptions options) {
        this.endpoint = options.grant.endpoint(options.client);
        this.name = options.name != null ? options.name : Endpoints.shown(endpoint).toString();
        this.scopes = Set.copyOf(options.scopes);
        this.grant = options.grant.grant(options.client, endpoint);
        this.storage = options.grant.storage();
        this.grantName = options.grant.name();
        this.refreshSchedule = options.refreshSchedule();
        this.retryCooldown = options.retryCooldown;
        this.closeTimeout = options.closeTimeout;
        this.clock = options.clock;
        this.scheduler = options.scheduler;
        this.listeners = new ListenerList<>(options.listeners);
        this.guard = EndpointGuard.of(endpoint, clock, options.circuitBreaker, options.retry);
        this.fleet = storage != null && storage.record() ? new Fleet(this, storage,
                options.client.requestTimeout(), options.leaseTtl, options.recordPollInterval,
                options.shareAccessTokens) : null;
        // One object serves as the value's loader, listener, retry policy and timeout error, and as the write-back's
        // event sink: a manager is kept small, for services that hold one per tenant.
        this.hooks = new TokenManagerHooks(this);
        this.refreshTokens = storage == null || storage.record() ? null : new RefreshTokenWriteBack(name,
                storage.vault(), storage.ref(), storage.initial(), scheduler, WRITE_BACKOFF, hooks);
        this.value = RefreshingValue.builder(name, hooks)
                .clock(clock)
                .scheduler(scheduler)
                .maxStaleness(options.maxStaleness)
                .defaultTimeout(options.timeout)
                .retryPolicy(hooks)
                .timeoutError(hooks)
                .listener(hooks)
                .build();
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static TokenManagerBuilder builder() {
        return new TokenManagerBuilder();
    }

    /**
     * Returns a valid access token. Does not block when one is cached; otherwise waits for the refresh in flight up
     * to the builder's {@linkplain TokenManagerBuilder#timeout timeout}.
     *
     * @return the token
     * @throws ReauthenticationRequiredException if the server refused the grant or client and no valid token is left
     * @throws TokenRefreshException if the refresh failed or did not finish in time
     * @throws IllegalStateException if the manager is closed
     */
    public AccessToken token() {
        return value.get();
    }

    /**
     * Returns a valid access token, waiting up to {@code deadline} when none is cached.
     *
     * @param deadline the longest wait
     * @return the token
     * @throws ReauthenticationRequiredException if the server refused the grant or client and no valid token is left
     * @throws TokenRefreshException if the refresh failed or did not finish in time
     * @throws IllegalStateException if the manager is closed
     */
    public AccessToken token(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        return value.get(deadline);
    }

    /**
     * Returns the token as text for an {@code Authorization: Bearer} header; blocks like {@link #token()}.
     *
     * @return the token text
     * @throws BigLedgerAuthException as {@link #token()}
     */
    public String bearerToken() {
        return value.get().reveal();
    }

    /**
     * A view of this manager as a supplier of the bearer token text, for SDKs that take a {@code Supplier<String>}.
     *
     * @return the supplier; each call is {@link #bearerToken()}
     */
    public Supplier<String> asStringSupplier() {
        return this::bearerToken;
    }

    /**
     * A view of this manager as a supplier of the token as a {@link Secret}.
     *
     * @return the supplier; each call returns {@code token().value()}
     */
    public Supplier<Secret> asSecretSupplier() {
        return () -> value.get().value();
    }

    /**
     * Forces a refresh if, and only if, {@code seen} is still the current token: a thousand concurrent 401s for
     * one token cause one refresh. Callers wait for it.
     *
     * @param seen the token the API rejected
     * @return {@code true} if it was current and a refresh is now due
     */
    public boolean invalidate(AccessToken seen) {
        Objects.requireNonNull(seen, "seen");
        if (fleet != null) {
            fleet.reject(seen.value());
        }
        return value.invalidate(seen);
    }

    /**
     * Forces a refresh if, and only if, {@code seenToken} is the text of the current token.
     *
     * @param seenToken the token text the API rejected
     * @return {@code true} if it was current and a refresh is now due
     */
    public boolean invalidate(String seenToken) {
        Objects.requireNonNull(seenToken, "seenToken");
        Optional<AccessToken> current = value.lastLoaded().map(RefreshingValue.Loaded::value);
        if (current.isEmpty() || !current.get().value().equals(Secret.of(seenToken))) {
            return false;
        }
        return invalidate(current.get());
    }

    /**
     * Starts a refresh now, in the background, even after a re-authentication-required refusal (after an operator
     * fixed the client or stored a new refresh token). The current token stays served meanwhile.
     */
    public void refreshNow() {
        hooks.clearReauthenticationRequired();
        if (storage != null && storage.ref() != null) {
            storage.vault().invalidate(storage.ref());
            if (refreshTokens != null) {
                // Nothing unwritten is held: take what the store holds now.
                refreshTokens.forgetIfWritten();
            }
        }
        value.refresh();
    }

    /**
     * Tells where the manager stands. Reads the clock; not for the hot path.
     *
     * @return the state
     */
    public State state() {
        if (hooks.closed()) {
            return State.CLOSED;
        }
        if (hooks.reauthenticationRequired()) {
            return State.REAUTHENTICATION_REQUIRED;
        }
        Optional<RefreshingValue.Loaded<AccessToken>> last = value.lastLoaded();
        if (value.peek().isPresent()) {
            return last.isPresent() && clock.instant().isBefore(last.get().refreshAt()) ? State.FRESH : State.STALE;
        }
        return last.isEmpty() ? State.EMPTY : State.EXPIRED;
    }

    /**
     * Tells when the cached token expires, for metrics and health checks. Does not block and sends nothing.
     *
     * @return the expiry of the last token obtained (which may be past), or empty before the first one
     */
    public Optional<Instant> expiresAt() {
        return value.lastLoaded().map(loaded -> loaded.value().expiresAt());
    }

    /**
     * Adds a listener to a manager already built, such as a metrics binder; {@link TokenManagerBuilder#addListener}
     * adds one from the start. The listener hears the events that happen after this call.
     *
     * @param listener the listener
     * @return closing it removes the listener
     * @throws NullPointerException if {@code listener} is {@code null}
     */
    public AutoCloseable addListener(TokenListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Returns the state of the circuit breaker in front of the token endpoint, for health checks. The breaker is
     * shared by every manager on the same token endpoint with the same clock and equal
     * {@linkplain TokenManagerBuilder#circuitBreaker settings}, so that failures seen by any of them open it for all.
     *
     * @return the breaker's state
     */
    public CircuitState circuitState() {
        return switch (guard.circuitBreaker().getState()) {
            case CLOSED -> CircuitState.CLOSED;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
            case DISABLED -> CircuitState.DISABLED;
            default -> CircuitState.OPEN;
        };
    }

    /** The breaker itself, for this package's tests. */
    CircuitBreaker circuitBreaker() {
        return guard.circuitBreaker();
    }

    /**
     * Stops scheduled work and fails waiting callers; later calls fail fast with {@link IllegalStateException}. A
     * refresh already running is waited for, up to the {@linkplain TokenManagerBuilder#closeTimeout close timeout}, so
     * that the refresh token it receives is written back; a write-back still pending is tried once more. Blocks for as
     * long. A rotated token that still could not be written is logged as a warning. The listeners have heard of
     * everything that happened before close returns (within the same close timeout), unless close is called from a
     * listener.
     */
    @Override
    public void close() {
        if (!hooks.close()) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        value.close();
        hooks.awaitRunningLoad(deadline);
        if (refreshTokens != null) {
            refreshTokens.close();
        }
        if (fleet != null) {
            fleet.flush();
        }
        writesStopped = true;
        if (!value.flushEvents(deadline)) {
            LOG.debug("{}: closed before its listeners had heard of every event; the rest are told later", name);
        }
    }

    @Override
    public String toString() {
        return "TokenManager[" + name + ", " + grantName + ", state=" + state() + "]";
    }

    /** When a token issued at {@code issuedAt} is refreshed ahead, and when it stops being handed out. */
    RefreshingValue.Loaded<AccessToken> schedule(AccessToken token, Instant issuedAt,
            Optional<Instant> serverRefreshAt) {
        RefreshSchedule.Plan plan = refreshSchedule.plan(issuedAt, token.expiresAt(), serverRefreshAt,
                clock.instant(), ThreadLocalRandom.current().nextDouble());
        return RefreshingValue.Loaded.of(token, plan.refreshAt, plan.usableUntil);
    }

    /**
     * Queues an event for the listeners on the value's serial queue: whatever thread or lock the caller is on, the
     * listeners hear it later on a worker, after every event queued before it.
     */
    void notifyListeners(Consumer<TokenListener> event) {
        value.post(() -> hooks.deliver(event));
    }

    /** The manager's name, for the logs and events of its parts. */
    String name() {
        return name;
    }

    /** The clock of its parts. */
    Clock clock() {
        return clock;
    }

    /** The scheduler of its parts. */
    Scheduler scheduler() {
        return scheduler;
    }

    /** Where the refresh token lives; {@code null} when the grant has none. */
    RefreshTokenStorage storage() {
        return storage;
    }

    /** The refresh token held and its write-back; {@code null} without one, or in fleet mode. */
    RefreshTokenWriteBack refreshTokens() {
        return refreshTokens;
    }

    /** The fleet side of a shared token record; {@code null} for the other grants. */
    Fleet fleet() {
        return fleet;
    }

    /** The pause before a new round of retries. */
    Duration retryCooldown() {
        return retryCooldown;
    }

    /** How long {@link #close()} waits for a running refresh. */
    Duration closeTimeout() {
        return closeTimeout;
    }

    /** Its listeners. */
    ListenerList<TokenListener> listeners() {
        return listeners;
    }

    /** Where its tokens come from. */
    Grant grant() {
        return grant;
    }

    /** The scopes it asks for. */
    Set<String> scopes() {
        return scopes;
    }

    /** The breaker and retry of its token endpoint. */
    EndpointGuard guard() {
        return guard;
    }

    /** Whether a valid token is cached, as the value reads it now. */
    boolean served() {
        return value.peek().isPresent();
    }

    /** Whether {@link #close()} stopped the retries of failed writes. */
    boolean writesStopped() {
        return writesStopped;
    }

    static boolean retryable(Throwable e) {
        return e instanceof BigLedgerAuthException && ((BigLedgerAuthException) e).retryable();
    }

    static Optional<Duration> retryAfter(Throwable e) {
        return e instanceof TokenRefreshException ? ((TokenRefreshException) e).retryAfter() : Optional.empty();
    }

    /**
     * Stores a refresh token as a new generation of the token record at {@code record}, for
     * {@linkplain TokenManagerBuilder#tokenRecord fleet mode}: after a login, or to move an existing refresh token into
     * a record. The previous generation number is kept and incremented; an access token and a lease stored there are
     * dropped. Written with compare-and-set, re-reading on a conflict. Blocks on I/O.
     *
     * <p>The record's encoding (version 1) is one JSON object: {@code "bigledger_token_record": 1},
     * {@code "generation"} (a whole number, + 1 on each write), {@code "refresh_token"}, and optionally
     * {@code "access_token"} with {@code "issued_at"}, {@code "expires_at"} (ISO-8601 instants) and
     * {@code "scopes"} (an array), and {@code "lease"}: {@code {"holder": ..., "until": instant}}. Unknown members
     * are ignored; a record that cannot be decoded is refused with a {@link CredentialException} of kind
     * {@link CredentialException.Kind#INVALID} that names the reference, never the content.
     *
     * @param vault the vault that writes the store
     * @param record where the token record lives
     * @param refreshToken the refresh token
     * @return the generation written
     * @throws CredentialException if the store cannot be read or written, or holds something that is not a token
     *     record
     */
    public static long storeRefreshToken(CredentialVault vault, CredentialRef record, Secret refreshToken) {
        Objects.requireNonNull(vault, "vault");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(refreshToken, "refreshToken");
        return TokenRecord.storeRefreshToken(vault, record, refreshToken, RefreshTokenWriteBack.MAX_MERGES);
    }

    /**
     * Returns the token endpoint this manager refreshes from.
     *
     * @return the endpoint
     */
    public URI tokenEndpoint() {
        return endpoint;
    }
}
