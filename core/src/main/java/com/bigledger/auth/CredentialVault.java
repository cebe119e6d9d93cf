package com.bigledger.auth;

import com.bigledger.auth.internal.Backoff;
import com.bigledger.auth.internal.Durations;
import com.bigledger.auth.internal.Options;
import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.internal.RetryPolicy;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.spi.ReferenceOptions;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(CredentialVault.class);

    private final Map<String, CredentialSource> explicitSources;
    private final Map<String, CredentialSourceProvider> providers;
    private final Map<String, CredentialSource> createdSources = new ConcurrentHashMap<>();
    private final Map<List<CredentialRef>, Handle> handles = new ConcurrentHashMap<>();
    private final List<CredentialLoadListener> loadListeners = new CopyOnWriteArrayList<>();
    private final Duration ttl;
    private final double jitter;
    private final Duration maxStale;
    private final Duration loadTimeout;
    private final Backoff backoff;
    private final Clock clock;
    private final Scheduler scheduler;
    private volatile boolean closed;

    private CredentialVault(Builder builder) {
        this.explicitSources = Collections.unmodifiableMap(new LinkedHashMap<>(builder.sources));
        this.providers = builder.discover ? discover(builder.classLoader, explicitSources.keySet()) : Map.of();
        this.ttl = builder.ttl;
        this.jitter = builder.jitter;
        this.maxStale = builder.maxStale;
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
     * @throws NoSuchSourceException if no source serves the reference's scheme
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
     * @throws NoSuchSourceException if no reference of the chain has a source
     * @throws IllegalStateException if the vault is closed
     */
    public CredentialHandle handle(List<CredentialRef> chain) {
        List<CredentialRef> refs = List.copyOf(chain);
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("A credential chain needs at least one reference");
        }
        checkOpen();
        boolean anySource = false;
        NoSuchSourceException missing = null;
        for (CredentialRef ref : refs) {
            try {
                CredentialSource source = checkedSource(ref);
                source.check(ref);
                anySource = true;
            } catch (NoSuchSourceException e) {
                missing = missing == null ? e : missing;
            }
        }
        if (!anySource) {
            throw missing;
        }
        return handles.computeIfAbsent(refs, Handle::new);
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
     * @throws CredentialException or a subtype, when the store cannot be read or holds nothing there
     * @throws NoSuchSourceException if no source serves the reference's scheme
     */
    public VersionedSecret read(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        checkOpen();
        CredentialSource source = checkedSource(ref);
        VersionedSecret loaded = source.load(ref);
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
     * @throws NoSuchSourceException if no source serves the reference's scheme
     */
    public boolean supportsCompareAndSet(CredentialRef ref) {
        Objects.requireNonNull(ref, "ref");
        checkOpen();
        CredentialSource source = source(ref);
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
        for (Handle handle : handles.values()) {
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
     * @throws CredentialException if the source is read-only, or the write fails
     * @throws NoSuchSourceException if no source serves the reference's scheme
     */
    public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(expectedVersion, "expectedVersion");
        checkOpen();
        CredentialSource source = checkedSource(ref);
        if (!(source instanceof WritableCredentialSource)) {
            throw new CredentialException(ref, "the '" + ref.scheme() + "' store is read-only", null, false);
        }
        WriteResult result = ((WritableCredentialSource) source).write(ref, value, expectedVersion);
        if (result.isWritten()) {
            CredentialRef whole = ref.withoutField();
            for (Handle handle : handles.values()) {
                if (handle.uses(whole)) {
                    handle.value.refresh();
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
        Objects.requireNonNull(listener, "listener");
        loadListeners.add(listener);
        return () -> loadListeners.remove(listener);
    }

    private void notifyLoad(Consumer<CredentialLoadListener> event) {
        for (CredentialLoadListener listener : loadListeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A credential load listener threw {}", e.getClass().getName());
            }
        }
    }

    /**
     * Returns the schemes this vault can resolve.
     *
     * @return the schemes, sorted
     */
    public Set<String> schemes() {
        Set<String> schemes = new TreeSet<>(explicitSources.keySet());
        schemes.addAll(providers.keySet());
        return Collections.unmodifiableSet(schemes);
    }

    /**
     * Stops every handle's background work and closes the sources this vault created from discovered providers.
     * Sources registered on the builder are the caller's to close.
     */
    @Override
    public void close() {
        closed = true;
        handles.values().forEach(handle -> handle.value.close());
        for (CredentialSource source : createdSources.values()) {
            try {
                source.close();
            } catch (Exception e) {
                LOG.warn("Closing the '{}' credential source failed: {}", source.scheme(), e.getClass().getName());
            }
        }
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

    private CredentialSource source(CredentialRef ref) {
        CredentialSource explicit = explicitSources.get(ref.scheme());
        if (explicit != null) {
            return explicit;
        }
        CredentialSourceProvider provider = providers.get(ref.scheme());
        if (provider == null) {
            throw new NoSuchSourceException(ref, "no credential source for scheme '" + ref.scheme()
                    + "' (available: " + String.join(", ", schemes()) + "); put its store module on the class path "
                    + "or register a source with CredentialVault.builder().source(...)");
        }
        return createdSources.computeIfAbsent(ref.scheme(), scheme -> {
            CredentialSource created = provider.create();
            if (!scheme.equals(created.scheme())) {
                throw new IllegalStateException("Provider " + provider.getClass().getName() + " declares scheme '"
                        + scheme + "' but created a source for '" + created.scheme() + "'");
            }
            return created;
        });
    }

    /**
     * The source of a reference whose options were checked: against the declaration of the provider (before the
     * source is created), or the options an explicitly registered source supports.
     */
    private CredentialSource checkedSource(CredentialRef ref) {
        CredentialSource explicit = explicitSources.get(ref.scheme());
        if (explicit != null) {
            ReferenceOptions.named(explicit.supportedOptions()).check(ref);
            return explicit;
        }
        CredentialSourceProvider provider = providers.get(ref.scheme());
        if (provider != null) {
            provider.options().check(ref);
        }
        return source(ref);
    }

    private static Map<String, CredentialSourceProvider> discover(ClassLoader classLoader, Set<String> explicit) {
        ServiceLoader<CredentialSourceProvider> loader = classLoader == null
                ? ServiceLoader.load(CredentialSourceProvider.class, CredentialVault.class.getClassLoader())
                : ServiceLoader.load(CredentialSourceProvider.class, classLoader);
        Map<String, CredentialSourceProvider> found = new LinkedHashMap<>();
        Map<String, List<String>> conflicts = new LinkedHashMap<>();
        for (CredentialSourceProvider provider : loader) {
            String scheme = provider.scheme();
            CredentialSourceProvider previous = found.putIfAbsent(scheme, provider);
            if (previous != null && previous.getClass() != provider.getClass()) {
                conflicts.computeIfAbsent(scheme, s -> new ArrayList<>(List.of(previous.getClass().getName())))
                        .add(provider.getClass().getName());
            }
        }
        for (Map.Entry<String, List<String>> conflict : conflicts.entrySet()) {
            if (!explicit.contains(conflict.getKey())) {
                throw new IllegalStateException("Two credential source providers serve scheme '" + conflict.getKey()
                        + "': " + String.join(" and ", conflict.getValue()) + ". Choose one: register it with "
                        + "CredentialVault.builder().source(...), which wins over discovery, or remove the other's "
                        + "module from the class path");
            }
        }
        return Collections.unmodifiableMap(found);
    }

    /** What a handle caches: the value and the reference of the chain it came from. */
    private static final class Resolved {
        final CredentialRef ref;
        final VersionedSecret value;
        final Secret secret;

        Resolved(CredentialRef ref, VersionedSecret value) {
            this.ref = ref;
            this.value = value;
            this.secret = value.secret();
        }

        boolean sameAs(Resolved other) {
            if (!ref.equals(other.ref)) {
                return false;
            }
            if (value.version().isPresent() && other.value.version().isPresent()) {
                return value.version().equals(other.value.version()) && secret.equals(other.secret);
            }
            return secret.equals(other.secret);
        }
    }

    private final class Handle implements CredentialHandle {
        private final List<CredentialRef> refs;
        private final RefreshingValue<Resolved> value;
        private final List<CredentialListener> listeners = new CopyOnWriteArrayList<>();

        Handle(List<CredentialRef> refs) {
            this.refs = refs;
            String name = refs.size() == 1 ? refs.get(0).toString() : refs.toString();
            this.value = RefreshingValue.builder(name, this::load)
                    .clock(clock)
                    .scheduler(scheduler)
                    // A secret that is missing now may be created later: keep trying, with backoff.
                    .retryPolicy(RetryPolicy.backoff(backoff, e -> true))
                    .defaultTimeout(loadTimeout)
                    .timeoutError((n, timeout, last) -> new SourceUnavailableException(refs.get(0),
                            "no value within " + Durations.format(timeout) + (last == null ? "" : "; last failure: "
                                    + last.getMessage()), last))
                    .listener(new RefreshingValue.Listener<>() {
                        @Override
                        public void loadSucceeded(Resolved previous, RefreshingValue.Loaded<Resolved> loaded) {
                            if (previous != null && !previous.sameAs(loaded.value())) {
                                notifyChanged(loaded.value());
                            }
                        }

                        @Override
                        public void loadFailed(RuntimeException failure, int consecutiveFailures,
                                Optional<Duration> retryIn, boolean valueServed) {
                            LOG.warn("Loading {} failed ({} in a row){}; next attempt in {}: {}", name,
                                    consecutiveFailures, valueServed ? ", serving the last good value" : "",
                                    retryIn.map(Duration::toString).orElse("-"), failure.getMessage());
                        }

                        @Override
                        public void expired(Resolved expired) {
                            LOG.warn("{}: the last good value passed its stale bound and is no longer served", name);
                        }
                    })
                    .build();
        }

        private RefreshingValue.Loaded<Resolved> load(Resolved previous) {
            List<CredentialException> failures = new ArrayList<>();
            for (CredentialRef ref : refs) {
                long start = System.nanoTime();
                try {
                    VersionedSecret loaded = source(ref).load(ref);
                    if (loaded == null) {
                        throw new SourceUnavailableException(ref, "the '" + ref.scheme() + "' source returned "
                                + "nothing", null);
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - start);
                    notifyLoad(l -> l.loaded(ref, loaded.version(), took));
                    Instant now = clock.instant();
                    Duration jittered = ttl.minusNanos((long) (ttl.toNanos() * jitter
                            * ThreadLocalRandom.current().nextDouble()));
                    Instant refreshAt = now.plus(jittered);
                    LOG.debug("Loaded {}{}", ref, loaded.version().map(v -> " version " + v).orElse(""));
                    return RefreshingValue.Loaded.of(new Resolved(ref, loaded), refreshAt, refreshAt.plus(maxStale));
                } catch (CredentialNotFoundException | NoSuchSourceException e) {
                    failures.add(failed(ref, e, start));
                } catch (CredentialException e) {
                    failures.add(failed(ref, e, start));
                    break;
                } catch (IllegalArgumentException e) {
                    failures.add(failed(ref, new CredentialException(ref, "the '" + ref.scheme() + "' source refused "
                            + "the reference: " + e.getMessage(), e, false), start));
                    break;
                } catch (RuntimeException e) {
                    failures.add(failed(ref, new SourceUnavailableException(ref, "the '" + ref.scheme() + "' source "
                            + "failed with " + e.getClass().getName(), e), start));
                    break;
                }
            }
            if (refs.size() == 1) {
                throw failures.get(0);
            }
            throw new CredentialChainException(refs, failures);
        }

        private CredentialException failed(CredentialRef ref, CredentialException failure, long start) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            notifyLoad(l -> l.loadFailed(ref, failure, took));
            return failure;
        }

        private void notifyChanged(Resolved current) {
            for (CredentialListener listener : listeners) {
                try {
                    listener.changed(current.ref, current.value);
                } catch (RuntimeException e) {
                    LOG.warn("A credential listener for {} threw {}", current.ref, e.getClass().getName());
                }
            }
        }

        boolean uses(CredentialRef whole) {
            for (CredentialRef ref : refs) {
                if (ref.withoutField().equals(whole)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Secret get() {
            return value.get().secret;
        }

        @Override
        public Secret get(Duration timeout) {
            return value.get(timeout).secret;
        }

        @Override
        public VersionedSecret versioned() {
            return value.get().value;
        }

        @Override
        public CredentialRef resolvedRef() {
            return value.get().ref;
        }

        @Override
        public List<CredentialRef> refs() {
            return refs;
        }

        @Override
        public void invalidate() {
            value.invalidate();
        }

        @Override
        public AutoCloseable onChange(CredentialListener listener) {
            Objects.requireNonNull(listener, "listener");
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        @Override
        public String toString() {
            return "CredentialHandle" + refs;
        }
    }

    /**
     * Builds a {@link CredentialVault}. Each option may be set once; setting one twice fails at once. Not
     * thread-safe.
     */
    public static final class Builder {
        private final Map<String, CredentialSource> sources = new LinkedHashMap<>();
        private final Set<String> set = new java.util.HashSet<>();
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

        private void once(String option, Object value) {
            if (!set.add(option)) {
                throw new IllegalStateException("CredentialVault option '" + option + "' is set twice (second value: "
                        + value + ")");
            }
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
            once("discoverSources", discover);
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
            once("classLoader", classLoader);
            this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
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
            once("ttl", ttl);
            this.ttl = Options.positive("CredentialVault", "ttl", ttl);
            return this;
        }

        /**
         * Sets the largest fraction of the TTL taken off at random. By default, 0.1.
         *
         * @param jitter a fraction in [0, 1)
         * @return this builder
         */
        public Builder jitter(double jitter) {
            once("jitter", jitter);
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
            once("maxStale", maxStale);
            this.maxStale = Options.positive("CredentialVault", "maxStale", maxStale);
            return this;
        }

        /**
         * Sets how long {@link CredentialHandle#get()} waits when no usable value is cached. By default, 30 seconds.
         *
         * @param loadTimeout the timeout; positive
         * @return this builder
         */
        public Builder loadTimeout(Duration loadTimeout) {
            once("loadTimeout", loadTimeout);
            this.loadTimeout = Options.positive("CredentialVault", "loadTimeout", loadTimeout);
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
            once("backoff", initial + ".." + max);
            this.backoffInitial = Options.positive("CredentialVault", "backoff initial", initial);
            this.backoffMax = Options.positive("CredentialVault", "backoff max", max);
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
            once("clock", clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the scheduler that runs reloads and timers. By default, {@link Scheduler#systemDefault()}.
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
