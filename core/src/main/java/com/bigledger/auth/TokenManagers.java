package com.bigledger.auth;

import com.bigledger.auth.internal.Options;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.spi.BuilderOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A registry of {@link TokenManager}s, one per tenant (a BigLedger company or user, each with its own grant), for a
 * service that acts for many of them.
 *
 * <p>A tenant's manager is created on its first use from the registry's template: one {@link OAuthClient}, one
 * grant kind, and a reference pattern such as {@code vault:secret/tenants/{tenant}/bigledger} in which
 * {@code {tenant}} is replaced by the tenant key. Any number of threads asking for a new tenant at once create one
 * manager (single flight per key). A manager not used through the registry for the {@linkplain Builder#idleTimeout
 * idle time} is closed, which writes its state back (a rotated refresh token, a fleet token record); when the
 * registry holds its {@linkplain Builder#maximumSize maximum}, creating one more closes the least recently used.
 * The next use of an evicted tenant creates a new manager, which reads the stored grant again.
 *
 * <p>With {@linkplain Builder#tokenRecord token records} (fleet mode), a new manager adopts the access token stored in
 * its tenant's record while that token is valid, so that creating many managers sends no token request each.
 *
 * <pre>{@code
 * TokenManagers tenants = TokenManagers.builder()
 *         .client(client)
 *         .tokenRecord(vault, "vault:secret/tenants/{tenant}/bigledger")
 *         .idleTimeout(Duration.ofMinutes(30))
 *         .maximumSize(100_000)
 *         .build();
 * String header = "Bearer " + tenants.token(companyId).reveal();
 * }</pre>
 *
 * <p>Tenant keys are identifiers: 1 to 128 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter
 * or a digit, without {@code ..}; anything else is refused with an {@link IllegalArgumentException}, so that a key
 * cannot add segments to the path it is put into. Its message shows the key only when it is short and printable and
 * does not look like a credential. Keys appear in manager names, logs and events.
 *
 * <p>The registry is a {@link java.util.LinkedHashMap} in access order under one lock, with one idle sweep on the
 * {@link Scheduler}: a lookup of an existing manager costs that lock and a clock read. Managers are closed off the
 * lock, on the scheduler's threads (or, for {@link #close()}, on the caller's).
 *
 * <p>Thread-safe. {@link #get(String)} blocks only while another thread creates the same tenant's manager (which
 * sends no request) or a closing manager of that tenant writes its state back; {@link #token(String)} blocks as
 * {@link TokenManager#token()}.
 */
public final class TokenManagers implements AutoCloseable {

    /** How long {@link #close()} waits for the listeners to hear of what happened before it. */
    private static final Duration CLOSE_EVENTS_TIMEOUT = Duration.ofSeconds(10);

    private final TenantTemplate template;
    private final TokenManagersEvents events;
    private final TenantMap map;

    private TokenManagers(Builder builder) {
        this.template = new TenantTemplate(builder.client, builder.grantKind, builder.vault, builder.pattern,
                builder.configure, builder.clock, builder.scheduler);
        this.events = new TokenManagersEvents("TokenManagers[" + builder.pattern + "]", builder.scheduler,
                builder.listeners);
        this.map = new TenantMap(template, events, builder.idleTimeout, builder.maximumSize);
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the tenant's manager, creating it on first use. Counts as a use for the idle time. Use the manager at
     * once rather than keeping it: an evicted manager is closed, and {@link #token(String)} handles that race.
     *
     * @param tenant the tenant key
     * @return the tenant's manager
     * @throws IllegalArgumentException if the key is not a valid identifier, or the reference pattern gives no valid
     *     reference for it
     * @throws IllegalStateException if the registry is closed
     * @throws BigLedgerAuthException if the manager cannot be created (a store without compare-and-set for a token
     *     record)
     */
    public TokenManager get(String tenant) {
        return map.get(tenant);
    }

    /**
     * Returns the tenant's current access token: {@code get(tenant).token()}, made again with a new manager when the
     * one got was evicted before its token could be read.
     *
     * @param tenant the tenant key
     * @return a valid access token
     * @throws IllegalArgumentException as {@link #get(String)}
     * @throws IllegalStateException if the registry is closed
     * @throws BigLedgerAuthException as {@link #get(String)} and {@link TokenManager#token()}
     */
    public AccessToken token(String tenant) {
        TokenManager manager = get(tenant);
        try {
            return manager.token();
        } catch (IllegalStateException e) {
            if (manager.state() != TokenManager.State.CLOSED || map.isClosed()) {
                throw e;
            }
            return get(tenant).token();
        }
    }

    /**
     * Removes the tenant's manager and closes it in the background (its state is written back).
     *
     * @param tenant the tenant key
     * @return {@code true} if the registry held a manager for it
     */
    public boolean evict(String tenant) {
        return map.evict(tenant);
    }

    /**
     * Returns how many managers the registry holds.
     *
     * @return the count, including managers being created
     */
    public int size() {
        return map.size();
    }

    /**
     * Returns the registry's counts so far, for metrics.
     *
     * @return a snapshot
     */
    public Stats stats() {
        return events.stats(size());
    }

    /**
     * Adds a listener to the registry. It hears the events that happen after this call.
     *
     * @param listener the listener
     * @return closing it removes the listener
     */
    public AutoCloseable addListener(TokenManagersListener listener) {
        return events.add(listener);
    }

    /**
     * Stops the idle sweep and closes every manager, one after the other on the calling thread, each writing its
     * state back; later calls of {@link #get(String)} fail with {@link IllegalStateException}. Blocks for as long
     * as the managers' closes take, and then until the listeners have heard of them (up to 10 s more).
     */
    @Override
    public void close() {
        if (!map.close()) {
            return;
        }
        // The listeners hear of every close before this returns (unless called from a listener).
        events.flush(CLOSE_EVENTS_TIMEOUT);
    }

    @Override
    public String toString() {
        return "TokenManagers[" + template.pattern() + ", " + template.client().tokenEndpoint() + ", size=" + size()
                + "]";
    }

    /** The registry's counts, as {@link #stats()} read them. Immutable. */
    public static final class Stats {
        private final int size;
        private final long created;
        private final long evictedIdle;
        private final long evictedSize;
        private final long evictedExplicitly;
        private final long closed;

        Stats(int size, long created, long evictedIdle, long evictedSize, long evictedExplicitly,
                long closed) {
            this.size = size;
            this.created = created;
            this.evictedIdle = evictedIdle;
            this.evictedSize = evictedSize;
            this.evictedExplicitly = evictedExplicitly;
            this.closed = closed;
        }

        /**
         * Returns how many managers the registry held.
         *
         * @return the count
         */
        public int size() {
            return size;
        }

        /**
         * Returns how many managers were created.
         *
         * @return the count
         */
        public long created() {
            return created;
        }

        /**
         * Returns how many managers were evicted for being idle.
         *
         * @return the count
         */
        public long evictedIdle() {
            return evictedIdle;
        }

        /**
         * Returns how many managers were evicted to stay within the maximum size.
         *
         * @return the count
         */
        public long evictedSize() {
            return evictedSize;
        }

        /**
         * Returns how many managers were evicted by {@link TokenManagers#evict(String)}.
         *
         * @return the count
         */
        public long evictedExplicitly() {
            return evictedExplicitly;
        }

        /**
         * Returns how many managers were closed.
         *
         * @return the count
         */
        public long closed() {
            return closed;
        }

        @Override
        public String toString() {
            return "TokenManagers.Stats[size=" + size + ", created=" + created + ", evictedIdle=" + evictedIdle
                    + ", evictedSize=" + evictedSize + ", evictedExplicitly=" + evictedExplicitly + ", closed="
                    + closed + "]";
        }
    }

    /**
     * Builds a {@link TokenManagers} registry. A client and one grant (with its reference pattern) are required. Each
     * option may be set once. Not thread-safe.
     */
    public static final class Builder {
        private final BuilderOptions set = new BuilderOptions("TokenManagers");
        private final List<TokenManagersListener> listeners = new ArrayList<>();
        private OAuthClient client;
        private TenantTemplate.Grant grantKind;
        private CredentialVault vault;
        private String pattern;
        private BiConsumer<String, TokenManagerBuilder> configure = (tenant, builder) -> { };
        private Duration idleTimeout = Duration.ofMinutes(30);
        private int maximumSize = 100_000;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler = Scheduler.systemDefault();

        private Builder() {
        }

        private void grant(TenantTemplate.Grant kind, CredentialVault vault, String pattern) {
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(pattern, "pattern");
            if (grantKind != null) {
                throw new IllegalStateException("TokenManagers has two grants: " + grantKind + " and " + kind
                        + "; choose one");
            }
            TenantKeys.checkPattern(pattern);
            this.grantKind = kind;
            this.vault = vault;
            this.pattern = pattern;
        }

        /**
         * Sets the OAuth client every tenant's manager uses. Required.
         *
         * @param client the client
         * @return this builder
         */
        public Builder client(OAuthClient client) {
            set.once("client", client);
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Each tenant's manager uses the {@code refresh_token} grant with the refresh token stored at
         * {@code pattern} for its key, as {@link TokenManagerBuilder#refreshToken(CredentialVault, CredentialRef)}.
         *
         * @param vault the vault that reads and writes the store
         * @param pattern a reference with {@code {tenant}} once in its path, such as
         *     {@code aws-sm:tenants/{tenant}/bigledger#refresh_token}
         * @return this builder
         * @throws IllegalArgumentException if the pattern lacks the placeholder or is not a reference
         */
        public Builder refreshToken(CredentialVault vault, String pattern) {
            grant(TenantTemplate.Grant.REFRESH_TOKEN, vault, pattern);
            return this;
        }

        /**
         * Each tenant's manager is in fleet mode over the token record stored at {@code pattern} for its key, as
         * {@link TokenManagerBuilder#tokenRecord(CredentialVault, CredentialRef)}: a new manager adopts the stored
         * access token while it is valid, with no token request.
         *
         * @param vault the vault that reads and writes the store, which must have compare-and-set
         * @param pattern a reference with {@code {tenant}} once in its path, such as
         *     {@code vault:secret/tenants/{tenant}/bigledger}
         * @return this builder
         * @throws IllegalArgumentException if the pattern lacks the placeholder or is not a reference
         */
        public Builder tokenRecord(CredentialVault vault, String pattern) {
            grant(TenantTemplate.Grant.RECORD, vault, pattern);
            return this;
        }

        /**
         * Sets further options of each tenant's manager (scopes, timeouts, listeners), given the tenant key; called
         * on each creation, on the thread that first used the tenant. It must not set the client, the grant, the
         * clock, the scheduler or the name, which the registry sets. By default, nothing more.
         *
         * @param configure sets options on the tenant's builder
         * @return this builder
         */
        public Builder configure(BiConsumer<String, TokenManagerBuilder> configure) {
            set.once("configure", configure);
            this.configure = Objects.requireNonNull(configure, "configure");
            return this;
        }

        /**
         * Sets how long a manager may go unused through the registry before it is closed and removed; it is closed
         * within 1.25 times this. By default, 30 minutes.
         *
         * @param idleTimeout the idle time; positive
         * @return this builder
         */
        public Builder idleTimeout(Duration idleTimeout) {
            set.once("idleTimeout", idleTimeout);
            this.idleTimeout = Options.positive("TokenManagers", "idleTimeout", idleTimeout);
            if (idleTimeout.toMillis() < 4) {
                throw new IllegalArgumentException("TokenManagers option 'idleTimeout' must be at least 4 ms: "
                        + idleTimeout);
            }
            return this;
        }

        /**
         * Sets the most managers held; creating one more closes the least recently used. By default, 100,000.
         *
         * @param maximumSize the maximum; positive
         * @return this builder
         */
        public Builder maximumSize(int maximumSize) {
            set.once("maximumSize", maximumSize);
            if (maximumSize <= 0) {
                throw new IllegalArgumentException("TokenManagers option 'maximumSize' must be positive: "
                        + maximumSize);
            }
            this.maximumSize = maximumSize;
            return this;
        }

        /**
         * Sets the clock of the registry and of its managers. By default, {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            set.once("clock", clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the scheduler of the registry (its idle sweep, the closing of evicted managers) and of its managers.
         * By default, {@link Scheduler#systemDefault()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            set.once("scheduler", scheduler);
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Adds a listener; may be called more than once. By default, none.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder addListener(TokenManagersListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Builds the registry and starts its idle sweep. No manager is created until a tenant is used.
         *
         * @return the registry
         * @throws IllegalStateException if the client or the grant is missing
         */
        public TokenManagers build() {
            if (client == null) {
                throw new IllegalStateException("TokenManagers needs a client: call client(OAuthClient)");
            }
            if (grantKind == null) {
                throw new IllegalStateException("TokenManagers needs a grant: call tokenRecord(vault, pattern) or "
                        + "refreshToken(vault, pattern)");
            }
            TokenManagers registry = new TokenManagers(this);
            registry.map.startSweeping();
            return registry;
        }
    }
}
