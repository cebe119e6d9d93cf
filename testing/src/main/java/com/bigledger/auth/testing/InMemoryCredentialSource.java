package com.bigledger.auth.testing;

import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.SecretFields;
import com.bigledger.auth.spi.WritableCredentialSource;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A versioned, writable store in memory for tests: compare-and-set on an integer version, an outage switch, and a
 * count of loads. Thread-safe.
 */
public final class InMemoryCredentialSource implements WritableCredentialSource {

    private static final class Entry {
        final Secret value;
        final int version;

        Entry(Secret value, int version) {
            this.value = value;
            this.version = version;
        }
    }

    private final String scheme;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean closed;

    /**
     * A store for {@code scheme}.
     *
     * @param scheme the scheme it serves
     */
    public InMemoryCredentialSource(String scheme) {
        this.scheme = java.util.Objects.requireNonNull(scheme, "scheme");
    }

    /**
     * Stores a value, replacing any, with the next version.
     *
     * @param path the path
     * @param value the value
     * @return the reference to it
     */
    public synchronized CredentialRef put(String path, Secret value) {
        java.util.Objects.requireNonNull(path, "path");
        java.util.Objects.requireNonNull(value, "value");
        Entry previous = entries.get(path);
        entries.put(path, new Entry(value, previous == null ? 1 : previous.version + 1));
        return CredentialRef.of(scheme, path);
    }

    /**
     * Removes a value.
     *
     * @param path the path
     */
    public void remove(String path) {
        entries.remove(path);
    }

    /**
     * Makes every load and write fail as unavailable, or heals the store.
     *
     * @param down whether the store is down
     */
    public void down(boolean down) {
        this.down = down;
    }

    /**
     * Returns how many loads were asked.
     *
     * @return the count
     */
    public int loads() {
        return loads.get();
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean closed() {
        return closed;
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public Set<String> supportedOptions() {
        return Set.of("version");
    }

    @Override
    public VersionedSecret load(CredentialRef ref) {
        loads.incrementAndGet();
        if (down) {
            throw new SourceUnavailableException(ref, "the in-memory store is down", null);
        }
        Entry entry = entries.get(ref.path());
        if (entry == null) {
            throw new CredentialNotFoundException(ref, "nothing stored at '" + ref.path() + "'");
        }
        // A copy, so that a caller destroying what it loaded cannot wipe the store.
        byte[] copy = entry.value.revealBytes();
        try {
            return VersionedSecret.of(SecretFields.extract(ref, Secret.ofBytes(copy)), Integer.toString(entry.version));
        } finally {
            java.util.Arrays.fill(copy, (byte) 0);
        }
    }


    /** {@inheritDoc} Writes are synchronized and compare the version. */
    @Override
    public boolean supportsCompareAndSet(CredentialRef ref) {
        java.util.Objects.requireNonNull(ref, "ref");
        return true;
    }

    @Override
    public synchronized WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
        java.util.Objects.requireNonNull(ref, "ref");
        java.util.Objects.requireNonNull(value, "value");
        java.util.Objects.requireNonNull(expectedVersion, "expectedVersion");
        if (down) {
            throw new SourceUnavailableException(ref, "the in-memory store is down", null);
        }
        Entry current = entries.get(ref.path());
        String currentVersion = current == null ? null : Integer.toString(current.version);
        if (expectedVersion.isPresent() && !expectedVersion.get().equals(currentVersion)) {
            return WriteResult.conflict(currentVersion);
        }
        Secret stored = ref.field().isPresent()
                ? SecretFields.merge(ref, Optional.ofNullable(current).map(e -> e.value), value)
                : value;
        int version = current == null ? 1 : current.version + 1;
        entries.put(ref.path(), new Entry(stored, version));
        return WriteResult.written(Integer.toString(version));
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "InMemoryCredentialSource[" + scheme + "]";
    }
}
