package com.bigledger.auth;

import com.bigledger.auth.internal.Options;
import com.bigledger.auth.internal.SerialNotifier;
import com.bigledger.auth.oauth.OAuthClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * or a digit, without {@code ..}; anything else is refused with an {@link InvalidTenantKeyException}, so that a key
 * cannot add segments to the path it is put into. Keys appear in manager names, logs and events.
 *
 * <p>The registry is a {@link LinkedHashMap} in access order under one lock, with one idle sweep on the
 * {@link Scheduler}: a lookup of an existing manager costs that lock and a clock read. Managers are closed off the
 * lock, on the scheduler's threads (or, for {@link #close()}, on the caller's).
 *
 * <p>Thread-safe. {@link #get(String)} blocks only while another thread creates the same tenant's manager (which
 * sends no request) or a closing manager of that tenant writes its state back; {@link #token(String)} blocks as
 * {@link TokenManager#token()}.
 */
public final class TokenManagers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManagers.class);
    private static final String PLACEHOLDER = "{tenant}";
    private static final int MAX_KEY_LENGTH = 128;
    /** Invalid keys up to this length, printable and not looking like a credential, are shown in messages. */
    private static final int SHOWN_KEY_LENGTH = 40;
    /** How long creating a tenant's manager waits for its previous manager to finish closing. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /** How long {@link #close()} waits for the listeners to hear of what happened before it. */
    private static final Duration CLOSE_EVENTS_TIMEOUT = Duration.ofSeconds(10);

    private final OAuthClient client;
    private final GrantKind grantKind;
    private final CredentialVault vault;
    private final String pattern;
    private final BiConsumer<String, TokenManager.Builder> configure;
    private final Duration idleTimeout;
    private final int maximumSize;
    private final Clock clock;
    private final Scheduler scheduler;
    private final List<TokenManagersListener> listeners;
    /** The listeners' events, told in order on a scheduler worker: never on the caller's thread, never under a lock. */
    private final SerialNotifier notifier;

    private final Object lock = new Object();
    // Guarded by lock: access order, least recently used first.
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    /** Managers evicted and still closing, by tenant: a new manager for the tenant waits for the close. */
    private final Map<String, CompletableFuture<Void>> closing = new HashMap<>();
    private Scheduler.Cancellable sweep;
    private boolean closed;

    private final AtomicLong created = new AtomicLong();
    private final AtomicLong evictedIdle = new AtomicLong();
    private final AtomicLong evictedSize = new AtomicLong();
    private final AtomicLong evictedExplicitly = new AtomicLong();
    private final AtomicLong closedManagers = new AtomicLong();

    /** One tenant's place: its manager once created, or the creation other callers wait for. */
    private static final class Slot {
        final String tenant;
        /** Set under the lock once created; {@code null} while being created. */
        TokenManager manager;
        /** Completed with the manager (or the creation failure); dropped once the manager is set. */
        CompletableFuture<TokenManager> creation = new CompletableFuture<>();
        /** Set under the lock when the slot is evicted; completed once its manager is closed. */
        CompletableFuture<Void> closing;
        long lastUsedMillis;

        Slot(String tenant) {
            this.tenant = tenant;
        }
    }

    private TokenManagers(Builder builder) {
        this.client = builder.client;
        this.grantKind = builder.grantKind;
        this.vault = builder.vault;
        this.pattern = builder.pattern;
        this.configure = builder.configure;
        this.idleTimeout = builder.idleTimeout;
        this.maximumSize = builder.maximumSize;
        this.clock = builder.clock;
        this.scheduler = builder.scheduler;
        this.listeners = new CopyOnWriteArrayList<>(builder.listeners);
        this.notifier = new SerialNotifier("TokenManagers[" + pattern + "]", scheduler);
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
     * @throws InvalidTenantKeyException if the key is not a valid identifier
     * @throws IllegalStateException if the registry is closed
     * @throws BigLedgerAuthException if the manager cannot be created (a reference that does not parse for this
     *     tenant, a store without compare-and-set for a token record)
     */
    public TokenManager get(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Slot slot;
        List<Slot> victims = null;
        CompletableFuture<Void> previousClose = null;
        synchronized (lock) {
            if (closed) {
                throw closedError();
            }
            slot = slots.get(tenant);
            long now = clock.millis();
            if (slot != null) {
                slot.lastUsedMillis = now;
                if (slot.manager != null) {
                    return slot.manager;
                }
            } else {
                checkKey(tenant);
                slot = new Slot(tenant);
                slot.lastUsedMillis = now;
                slots.put(tenant, slot);
                victims = overflow();
                previousClose = closing.get(tenant);
            }
        }
        if (victims == null) {
            return awaitCreation(slot);
        }
        closeLater(victims);
        return create(slot, previousClose);
    }

    /**
     * Returns the tenant's current access token: {@code get(tenant).token()}, made again with a new manager when the
     * one got was evicted before its token could be read.
     *
     * @param tenant the tenant key
     * @return a valid access token
     * @throws InvalidTenantKeyException if the key is not a valid identifier
     * @throws IllegalStateException if the registry is closed
     * @throws BigLedgerAuthException as {@link #get(String)} and {@link TokenManager#token()}
     */
    public AccessToken token(String tenant) {
        TokenManager manager = get(tenant);
        try {
            return manager.token();
        } catch (IllegalStateException e) {
            if (manager.state() != TokenManager.State.CLOSED || isClosed()) {
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
        Objects.requireNonNull(tenant, "tenant");
        Slot slot;
        synchronized (lock) {
            slot = slots.get(tenant);
            if (slot == null || slot.manager == null) {
                return false;
            }
            slots.remove(tenant);
            markClosing(slot);
        }
        evictedExplicitly.incrementAndGet();
        notifyListeners(l -> l.managerEvicted(tenant, TokenManagersListener.Eviction.EXPLICIT));
        scheduler.execute(() -> closeEvicted(slot));
        return true;
    }

    /**
     * Returns how many managers the registry holds.
     *
     * @return the count, including managers being created
     */
    public int size() {
        synchronized (lock) {
            return slots.size();
        }
    }

    /**
     * Returns the registry's counts so far, for metrics.
     *
     * @return a snapshot
     */
    public Stats stats() {
        return new Stats(size(), created.get(), evictedIdle.get(), evictedSize.get(), evictedExplicitly.get(),
                closedManagers.get());
    }

    /**
     * Adds a listener to the registry. It hears the events that happen after this call.
     *
     * @param listener the listener
     * @return closing it removes the listener
     */
    public AutoCloseable addListener(TokenManagersListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Stops the idle sweep and closes every manager, one after the other on the calling thread, each writing its
     * state back; later calls of {@link #get(String)} fail with {@link IllegalStateException}. Blocks for as long
     * as the managers' closes take, and then until the listeners have heard of them (up to 10 s more).
     */
    @Override
    public void close() {
        List<Slot> all;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (sweep != null) {
                sweep.cancel();
                sweep = null;
            }
            all = new ArrayList<>(slots.values());
            slots.clear();
        }
        for (Slot slot : all) {
            if (slot.manager != null) {
                closeManager(slot);
            }
        }
        // The listeners hear of every close before this returns (unless called from a listener).
        notifier.flush(System.nanoTime() + CLOSE_EVENTS_TIMEOUT.toNanos());
    }

    @Override
    public String toString() {
        return "TokenManagers[" + pattern + ", " + client.tokenEndpoint() + ", size=" + size() + "]";
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    private TokenManager create(Slot slot, CompletableFuture<Void> previousClose) {
        String tenant = slot.tenant;
        TokenManager manager;
        try {
            if (previousClose != null) {
                awaitClose(tenant, previousClose);
            }
            manager = build(tenant);
        } catch (RuntimeException | Error e) {
            CompletableFuture<TokenManager> creation;
            synchronized (lock) {
                // remove(key, value) does not touch the access order.
                slots.remove(tenant, slot);
                creation = slot.creation;
            }
            if (e instanceof RuntimeException) {
                RuntimeException failure = (RuntimeException) e;
                notifyListeners(l -> l.managerCreationFailed(tenant, failure));
            }
            // Waiters get the failure; the next use tries again.
            creation.completeExceptionally(e);
            throw e;
        }
        CompletableFuture<TokenManager> creation;
        boolean kept;
        synchronized (lock) {
            creation = slot.creation;
            slot.creation = null;
            // A slot being created is never evicted: only the registry's close removes it meanwhile.
            kept = !closed;
            slot.manager = manager;
        }
        created.incrementAndGet();
        notifyListeners(l -> l.managerCreated(tenant));
        if (!kept) {
            closeManager(slot);
            IllegalStateException gone = closedError();
            creation.completeExceptionally(gone);
            throw gone;
        }
        creation.complete(manager);
        return manager;
    }

    private TokenManager build(String tenant) {
        CredentialRef ref;
        String text = pattern.replace(PLACEHOLDER, tenant);
        try {
            ref = CredentialRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidTenantKeyException("the reference pattern " + pattern + " gives no valid reference for "
                    + "tenant '" + tenant + "': " + e.getMessage());
        }
        TokenManager.Builder builder = TokenManager.builder()
                .client(client)
                .clock(clock)
                .scheduler(scheduler)
                .name("tenant " + tenant);
        if (grantKind == GrantKind.RECORD) {
            builder.tokenRecord(vault, ref);
        } else {
            builder.refreshToken(vault, ref);
        }
        configure.accept(tenant, builder);
        return builder.build();
    }

    private TokenManager awaitCreation(Slot slot) {
        CompletableFuture<TokenManager> creation;
        synchronized (lock) {
            if (slot.manager != null) {
                return slot.manager;
            }
            creation = slot.creation;
        }
        try {
            return creation.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }

    private void awaitClose(String tenant, CompletableFuture<Void> previousClose) {
        try {
            previousClose.get(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("tenant {}: the previous manager is still closing after {}; creating a new one anyway", tenant,
                    CLOSE_WAIT);
        } catch (ExecutionException e) {
            // The close's own failure was logged by the closing thread.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BigLedgerAuthException("tenant " + tenant + ": interrupted while the previous manager closed",
                    e, true);
        }
    }

    /** Records that the slot's manager is closing, so that the tenant's next manager waits for it. Under lock. */
    private void markClosing(Slot slot) {
        slot.closing = new CompletableFuture<>();
        closing.put(slot.tenant, slot.closing);
    }

    /**
     * Removes least recently used managers until the registry is within its maximum; managers being created are
     * skipped. Call with the lock held.
     */
    private List<Slot> overflow() {
        if (slots.size() <= maximumSize) {
            return List.of();
        }
        List<Slot> victims = new ArrayList<>(1);
        Iterator<Slot> eldest = slots.values().iterator();
        while (slots.size() > maximumSize && eldest.hasNext()) {
            Slot slot = eldest.next();
            if (slot.manager != null) {
                eldest.remove();
                markClosing(slot);
                victims.add(slot);
            }
        }
        return victims;
    }

    private void closeLater(List<Slot> victims) {
        for (Slot victim : victims) {
            evictedSize.incrementAndGet();
            notifyListeners(l -> l.managerEvicted(victim.tenant, TokenManagersListener.Eviction.SIZE));
            closeOnWorker(victim);
        }
    }

    /** Closes an evicted manager on a worker of its own; on this thread if the scheduler refuses. */
    private void closeOnWorker(Slot slot) {
        try {
            scheduler.execute(() -> closeEvicted(slot));
        } catch (RuntimeException | Error refused) {
            LOG.warn("tenant {}: the scheduler refused to close the evicted manager ({}); closing it here",
                    slot.tenant, refused.getClass().getName());
            closeEvicted(slot);
        }
    }

    private void closeEvicted(Slot slot) {
        try {
            closeManager(slot);
        } finally {
            synchronized (lock) {
                closing.remove(slot.tenant, slot.closing);
            }
            slot.closing.complete(null);
        }
    }

    private void closeManager(Slot slot) {
        long start = System.nanoTime();
        try {
            slot.manager.close();
        } catch (RuntimeException e) {
            LOG.warn("tenant {}: closing its token manager failed: {}", slot.tenant, e.getClass().getName());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        closedManagers.incrementAndGet();
        notifyListeners(l -> l.managerClosed(slot.tenant, took));
    }

    /** Starts the idle sweep; called once, by the builder. */
    private TokenManagers startSweeping() {
        synchronized (lock) {
            sweep = scheduler.schedule(this::sweepIdle, sweepInterval());
        }
        return this;
    }

    /** How often idle managers are looked for: a quarter of the idle time, so one is closed within 1.25 of it. */
    private Duration sweepInterval() {
        return idleTimeout.dividedBy(4);
    }

    private void sweepIdle() {
        List<Slot> idle = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            long now = clock.millis();
            Iterator<Slot> eldest = slots.values().iterator();
            while (eldest.hasNext()) {
                Slot slot = eldest.next();
                if (now - slot.lastUsedMillis < idleTimeout.toMillis()) {
                    // Access order: every later one was used more recently.
                    break;
                }
                if (slot.manager != null) {
                    eldest.remove();
                    markClosing(slot);
                    idle.add(slot);
                }
            }
            sweep = scheduler.schedule(this::sweepIdle, sweepInterval());
        }
        for (Slot slot : idle) {
            evictedIdle.incrementAndGet();
            notifyListeners(l -> l.managerEvicted(slot.tenant, TokenManagersListener.Eviction.IDLE));
            // Each on a worker: one slow close (a store that answers slowly) does not hold back the others.
            closeOnWorker(slot);
        }
    }

    private void notifyListeners(Consumer<TokenManagersListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        // The listeners of the moment the event happened: one added later hears only later events.
        List<TokenManagersListener> told = List.copyOf(listeners);
        notifier.post(() -> {
            for (TokenManagersListener listener : told) {
                try {
                    event.accept(listener);
                } catch (Throwable e) {
                    LOG.warn("a token managers listener threw {}", e.getClass().getName());
                }
            }
        });
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("TokenManagers for " + pattern + " is closed");
    }

    /** Refuses a key that is not an identifier, showing it only when that cannot print a credential. */
    static void checkKey(String tenant) {
        int length = tenant.length();
        boolean valid = length > 0 && length <= MAX_KEY_LENGTH && isAlphanumeric(tenant.charAt(0))
                && !tenant.contains("..");
        for (int i = 0; valid && i < length; i++) {
            char c = tenant.charAt(i);
            valid = isAlphanumeric(c) || c == '.' || c == '_' || c == '-';
        }
        if (!valid) {
            throw new InvalidTenantKeyException("A tenant key must be 1 to " + MAX_KEY_LENGTH + " letters, digits, "
                    + "'.', '_' or '-', starting with a letter or a digit, without '..'; got " + shown(tenant));
        }
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String shown(String key) {
        boolean printable = key.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        boolean credentialLike = Secret.of(key).knownPrefix().isPresent() || key.startsWith("blg_")
                || key.startsWith("Bearer ") || key.startsWith("eyJ");
        if (key.isEmpty()) {
            return "an empty key";
        }
        if (key.length() <= SHOWN_KEY_LENGTH && printable && !credentialLike) {
            return "'" + key + "'";
        }
        return "a key of " + key.length() + " characters (not shown)";
    }

    /** The registry's counts, as {@link #stats()} read them. Immutable. */
    public static final class Stats {
        private final int size;
        private final long created;
        private final long evictedIdle;
        private final long evictedSize;
        private final long evictedExplicitly;
        private final long closed;

        private Stats(int size, long created, long evictedIdle, long evictedSize, long evictedExplicitly,
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

    private enum GrantKind {
        REFRESH_TOKEN,
        RECORD
    }

    /**
     * Builds a {@link TokenManagers} registry. A client and one grant (with its reference pattern) are required. Each
     * option may be set once. Not thread-safe.
     */
    public static final class Builder {
        private final Set<String> set = new HashSet<>();
        private final List<TokenManagersListener> listeners = new ArrayList<>();
        private OAuthClient client;
        private GrantKind grantKind;
        private CredentialVault vault;
        private String pattern;
        private BiConsumer<String, TokenManager.Builder> configure = (tenant, builder) -> { };
        private Duration idleTimeout = Duration.ofMinutes(30);
        private int maximumSize = 100_000;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler = Scheduler.systemDefault();

        private Builder() {
        }

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException("TokenManagers option '" + option + "' is set twice (second value: "
                        + value + ")");
            }
        }

        private void grant(GrantKind kind, CredentialVault vault, String pattern) {
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(pattern, "pattern");
            if (grantKind != null) {
                throw new IllegalStateException("TokenManagers has two grants: " + grantKind + " and " + kind
                        + "; choose one");
            }
            int at = pattern.indexOf(PLACEHOLDER);
            int end = pattern.length();
            for (char c : new char[] {'?', '#'}) {
                int i = pattern.indexOf(c);
                if (i >= 0 && i < end) {
                    end = i;
                }
            }
            if (at < 0 || at + PLACEHOLDER.length() > end || pattern.indexOf(PLACEHOLDER, at + 1) >= 0) {
                throw new IllegalArgumentException("TokenManagers reference pattern " + pattern + " must hold "
                        + PLACEHOLDER + " once, in its path (before any '?' or '#')");
            }
            // Fails here, not at the first tenant, when the rest of the pattern is not a reference.
            CredentialRef.parse(pattern.replace(PLACEHOLDER, "tenant"));
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
            once("client", client);
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Each tenant's manager uses the {@code refresh_token} grant with the refresh token stored at
         * {@code pattern} for its key, as {@link TokenManager.Builder#refreshToken(CredentialVault, CredentialRef)}.
         *
         * @param vault the vault that reads and writes the store
         * @param pattern a reference with {@code {tenant}} once in its path, such as
         *     {@code aws-sm:tenants/{tenant}/bigledger#refresh_token}
         * @return this builder
         * @throws IllegalArgumentException if the pattern lacks the placeholder or is not a reference
         */
        public Builder refreshToken(CredentialVault vault, String pattern) {
            grant(GrantKind.REFRESH_TOKEN, vault, pattern);
            return this;
        }

        /**
         * Each tenant's manager is in fleet mode over the token record stored at {@code pattern} for its key, as
         * {@link TokenManager.Builder#tokenRecord(CredentialVault, CredentialRef)}: a new manager adopts the stored
         * access token while it is valid, with no token request.
         *
         * @param vault the vault that reads and writes the store, which must have compare-and-set
         * @param pattern a reference with {@code {tenant}} once in its path, such as
         *     {@code vault:secret/tenants/{tenant}/bigledger}
         * @return this builder
         * @throws IllegalArgumentException if the pattern lacks the placeholder or is not a reference
         */
        public Builder tokenRecord(CredentialVault vault, String pattern) {
            grant(GrantKind.RECORD, vault, pattern);
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
        public Builder configure(BiConsumer<String, TokenManager.Builder> configure) {
            once("configure", configure);
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
            once("idleTimeout", idleTimeout);
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
            once("maximumSize", maximumSize);
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
            once("clock", clock);
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
            once("scheduler", scheduler);
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
            return new TokenManagers(this).startSweeping();
        }
    }
}
