package com.bigledger.auth;

import com.bigledger.auth.internal.Backoff;
import com.bigledger.auth.spi.BuilderOptions;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@link CredentialRef}s through their stores and keeps the secrets cached and fresh.
 *
 * <p>A service asks once for a {@link CredentialHandle} per reference and calls {@link CredentialHandle#get()} on
 * every request. Each value is reloaded in the background when its TTL ends (5 minutes by default, jittered so
 * that many processes do not reload together), at most one load at a time per handle; while a store fails, the
 * last good value is served for up to {@linkplain Builder#maxStale the stale bound}, with backoff between
 * attempts, and then callers get the store's typed error. A reload that finds a new value (a rotated key) tells
 * the handle's listeners.
 *
 * <pre>{@code
 * try (CredentialVault vault = CredentialVault.builder().build()) {
 *     CredentialHandle apiKey = vault.handle(CredentialRef.parse("env:BIGLEDGER_API_KEY"));
 *     String header = "Bearer " + apiKey.get().reveal();
 * }
 * }</pre>
 *
 * <p>Sources are registered on the builder or discovered with {@link ServiceLoader} from the store modules on the
 * class path or module path. Thread-safe; one vault is meant to be shared by a whole process.
 */
public final class CredentialVault implements AutoCloseable {

    private final CredentialSources sources;
    private final ChainResolver resolver;
    private final Map<List<CredentialRef>, CachedHandle> handles = new ConcurrentHashMap<>();
    private final Duration loadTimeout;
    private final Backoff backoff;
    private final Clock clock;
    private final Scheduler scheduler;
    private volatile boolean closed;

    private CredentialVault(Builder builder) {
        this.sources = new CredentialSources(builder.sources, builder.discover, builder.classLoader);
        this.resolver = new ChainResolver(sources,
                new CredentialTtl(builder.clock, builder.ttl, builder.jitter, builder.maxStale));
        this.loadTimeout = builder.loadTimeout;
        this.backoff = Backoff.of(builder.backoffInitial, builder.backoffMax, 2.0, 0.2);
        this.clock = builder.clock;
        this.scheduler = builder.scheduler;
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
     * Returns the handle for one reference; the same handle for equal references. Nothing is loaded until the
     * first {@link CredentialHandle#get()}.
     *
     * @param ref the reference
     * @return the handle
     * @throws CredentialException of kind {@link CredentialException.Kind#CONFIGURATION} if no source serves the
     *     reference's scheme
     * @throws IllegalArgumentException if the reference's options are not what its store declares (an unknown
     *     option, a value the option does not allow, a refused combination), or the source finds it malformed
     * @throws IllegalStateException if the vault is closed
     */
    public CredentialHandle handle(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        return handle(List.of(ref));
    }

    /**
     * Returns the handle for a chain of references: the first that resolves wins. A reference whose store holds
     * nothing (or whose scheme has no source) passes to the next; any other failure stops the chain, so that an
     * outage never silently switches to another credential. When all fail, a {@link CredentialChainException}
     * lists every failure.
     *
     * @param chain the references, in order; not empty
     * @return the handle
     * @throws IllegalArgumentException if the chain is empty, or a reference's options are not what its store
     *     declares, or its source finds it malformed
     * @throws CredentialException of kind {@link CredentialException.Kind#CONFIGURATION}, naming the first reference,
     *     if no reference of the chain has a source
     * @throws IllegalStateException if the vault is closed
     */
    public CredentialHandle handle(List<CredentialRef> chain) {
        List<CredentialRef> refs = List.copyOf(chain);
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("A credential chain needs at least one reference");
        }
        checkOpen();
        CredentialRef missing = null;
        boolean anySource = false;
        for (CredentialRef ref : refs) {
            if (sources.serves(ref.scheme())) {
                sources.checkedSource(ref).check(ref);
                anySource = true;
            } else if (missing == null) {
                missing = ref;
            }
        }
        if (!anySource) {
            throw sources.noSource(missing);
        }
        return handles.computeIfAbsent(refs,
                key -> new CachedHandle(key, resolver, clock, scheduler, backoff, loadTimeout));
    }

    /**
     * Loads a secret through its handle: the cached value when there is one. Blocks like
     * {@link CredentialHandle#get()}.
     *
     * @param ref the reference
     * @return the secret with its version
     * @throws BigLedgerAuthException as {@link CredentialHandle#get()}
     */
    public VersionedSecret resolve(CredentialRef ref) {
        return handle(ref).versioned();
    }

    /**
     * Reads a secret from its store now, past the cache, on the calling thread: for a caller that must see what
     * another process may just have written (a compare-and-set that conflicted, a shared token record). Blocks on
     * I/O. The cache is left as it is.
     *
     * @param ref the reference
     * @return the secret with its version
     * @throws CredentialException when the store cannot be read or holds nothing there, its
     *     {@link CredentialException#kind() kind} saying which; {@link CredentialException.Kind#CONFIGURATION} if no
     *     source serves the reference's scheme
     */
    public VersionedSecret read(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        checkOpen();
        VersionedSecret loaded = sources.checkedSource(ref).load(ref);
        if (loaded == null) {
            throw new SourceUnavailableException(ref, "the '" + ref.scheme() + "' source returned nothing", null);
        }
        return loaded;
    }

    /**
     * Tells whether writes to a reference can be conditional on the version last read (compare-and-set), as a shared
     * token record needs. Creates the reference's source if need be.
     *
     * @param ref the reference
     * @return {@code true} if its source is writable with compare-and-set for this reference
     * @throws CredentialException of kind {@link CredentialException.Kind#CONFIGURATION} if no source serves the
     *     reference's scheme
     */
    public boolean supportsCompareAndSet(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        checkOpen();
        CredentialSource source = sources.source(ref);
        return source instanceof WritableCredentialSource
                && ((WritableCredentialSource) source).supportsCompareAndSet(ref);
    }

    /**
     * Drops the cached value of every handle that uses {@code ref} (with any field), and starts their reloads.
     *
     * @param ref the reference whose value was rejected or rotated
     * @return how many handles were invalidated
     */
    public int invalidate(CredentialRef ref) {
        CredentialRef whole = ref.withoutField();
        int count = 0;
        for (CachedHandle handle : handles.values()) {
            if (handle.uses(whole)) {
                handle.invalidate();
                count++;
            }
        }
        return count;
    }

    /**
     * Writes a new value with compare-and-set, then refreshes the handles that use the reference. Blocks on I/O.
     *
     * @param ref where to write; its source must be writable
     * @param value the new value
     * @param expectedVersion the version last read, or empty to write unconditionally
     * @return the outcome: written with its new version, or a conflict (nothing written)
     * @throws CredentialException if the write fails; of kind {@link CredentialException.Kind#CONFIGURATION} if the
     *     source is read-only or no source serves the reference's scheme
     */
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        checkOpen();
        CredentialSource source = sources.checkedSource(ref);
        if (!(source instanceof WritableCredentialSource)) {
            throw new CredentialException(CredentialException.Kind.CONFIGURATION, ref, "the '" + ref.scheme()
                    + "' store is read-only", null);
        }
        WriteResult result = ((WritableCredentialSource) source).write(ref, value, expectedVersion);
        if (result.isWritten()) {
            CredentialRef whole = ref.withoutField();
            for (CachedHandle handle : handles.values()) {
                if (handle.uses(whole)) {
                    handle.refresh();
                }
            }
        }
        return result;
    }

    /**
     * Adds a listener told of every load from a store, such as a metrics binder. It hears the loads that start after
     * this call.
     *
     * @param listener the listener
     * @return closing it removes the listener
     * @throws NullPointerException if {@code listener} is {@code null}
     */
    public AutoCloseable addListener(CredentialLoadListener listener) {
        return resolver.addListener(listener);
    }

    /**
     * Returns the schemes this vault can resolve.
     *
     * @return the schemes, sorted
     */
    public Set<String> schemes() {
        return sources.schemes();
    }

    /**
     * Stops every handle's background work and closes the sources this vault created from discovered providers.
     * Sources registered on the builder are the caller's to close.
     */
    @Override
    public void close() {
        closed = true;
        handles.values().forEach(CachedHandle::close);
        sources.closeCreated();
    }

    @Override
    public String toString() {
        return "CredentialVault[schemes=" + schemes() + ", handles=" + handles.size() + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The credential vault is closed");
        }
    }


    /**
     * Builds a {@link CredentialVault}. Each option may be set once; setting one twice fails at once. Not
     * thread-safe.
     */
    public static final class Builder {
        private final Map<String, CredentialSource> sources = new LinkedHashMap<>();
        private final BuilderOptions options = new BuilderOptions("CredentialVault");
        private boolean discover = true;
        private ClassLoader classLoader;
        private Duration ttl = Duration.ofMinutes(5);
        private double jitter = 0.1;
        private Duration maxStale = Duration.ofMinutes(15);
        private Duration loadTimeout = Duration.ofSeconds(30);
        private Duration backoffInitial = Duration.ofSeconds(1);
        private Duration backoffMax = Duration.ofMinutes(2);
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler = Scheduler.systemDefault();

        private Builder() {
        }

        /**
         * Registers a source explicitly; it wins over a discovered provider of the same scheme. By default, none.
         *
         * @param source the source
         * @return this builder
         * @throws IllegalStateException if a source for the same scheme is already registered
         */
        public Builder source(CredentialSource source) {
            Objects.requireNonNull(source, "source");
            CredentialSource previous = sources.putIfAbsent(source.scheme(), source);
            if (previous != null) {
                throw new IllegalStateException("Two credential sources registered for scheme '" + source.scheme()
                        + "': " + previous + " and " + source);
            }
            return this;
        }

        /**
         * Turns discovery of {@link CredentialSourceProvider}s with {@link ServiceLoader} on or off. By default, on.
         *
         * @param discover whether to discover providers
         * @return this builder
         */
        public Builder discoverSources(boolean discover) {
            options.once("discoverSources", discover);
            this.discover = discover;
            return this;
        }

        /**
         * Sets the class loader that discovery searches. By default, the one that loaded this library.
         *
         * @param classLoader the class loader
         * @return this builder
         */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = options.set("classLoader", classLoader);
            return this;
        }

        /**
         * Sets how long a loaded value is used before it is reloaded in the background. Each load takes off a
         * random part of up to 10% (see {@link #jitter}) so that many processes do not reload together. By
         * default, 5 minutes.
         *
         * @param ttl the time to live; positive
         * @return this builder
         */
        public Builder ttl(Duration ttl) {
            options.once("ttl", ttl);
            this.ttl = options.positive("ttl", ttl);
            return this;
        }

        /**
         * Sets the largest fraction of the TTL taken off at random. By default, 0.1.
         *
         * @param jitter a fraction in [0, 1)
         * @return this builder
         */
        public Builder jitter(double jitter) {
            options.once("jitter", jitter);
            if (!(jitter >= 0 && jitter < 1)) {
                throw new IllegalArgumentException("CredentialVault option 'jitter' must be in [0, 1): " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Sets how long past its TTL the last good value is still served while reloads fail. After that, callers
         * get the store's error. By default, 15 minutes.
         *
         * @param maxStale the stale bound; positive
         * @return this builder
         */
        public Builder maxStale(Duration maxStale) {
            options.once("maxStale", maxStale);
            this.maxStale = options.positive("maxStale", maxStale);
            return this;
        }

        /**
         * Sets how long {@link CredentialHandle#get()} waits when no usable value is cached. By default, 30 seconds.
         *
         * @param loadTimeout the timeout; positive
         * @return this builder
         */
        public Builder loadTimeout(Duration loadTimeout) {
            options.once("loadTimeout", loadTimeout);
            this.loadTimeout = options.positive("loadTimeout", loadTimeout);
            return this;
        }

        /**
         * Sets the backoff between failed loads: {@code initial}, doubling up to {@code max}, with 20% jitter. By
         * default, 1 second up to 2 minutes.
         *
         * @param initial the delay after the first failure; positive
         * @param max the largest delay; not below {@code initial}
         * @return this builder
         */
        public Builder backoff(Duration initial, Duration max) {
            options.once("backoff", initial + ".." + max);
            this.backoffInitial = options.positive("backoff initial", initial);
            this.backoffMax = options.positive("backoff max", max);
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("CredentialVault option 'backoff': max " + max
                        + " is below initial " + initial);
            }
            return this;
        }

        /**
         * Sets the clock that decides TTLs and stale bounds. By default, {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = options.set("clock", clock);
            return this;
        }

        /**
         * Sets the scheduler that runs reloads and timers. By default, {@link Scheduler#systemDefault()}.
         *
         * @param scheduler the scheduler
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = options.set("scheduler", scheduler);
            return this;
        }

        /**
         * Builds the vault, discovering providers unless turned off.
         *
         * @return the vault
         * @throws IllegalStateException if two discovered providers serve one scheme that has no explicit source;
         *     the message names both and says how to choose
         */
        public CredentialVault build() {
            return new CredentialVault(this);
        }
    }
}
