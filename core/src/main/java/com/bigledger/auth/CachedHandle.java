package com.bigledger.auth;

import com.bigledger.auth.internal.Backoff;
import com.bigledger.auth.internal.Durations;
import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.internal.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CredentialHandle}: one chain's value cached in a {@link RefreshingValue}, reloaded in the background when
 * its TTL ends, at most one load at a time, with backoff while the stores fail (a missing secret may be created
 * later, so every failure is retried); a reload that finds a new value tells the handle's listeners. Thread-safe.
 */
final class CachedHandle implements CredentialHandle {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialVault.class);

    private final List<CredentialRef> refs;
    private final RefreshingValue<ResolvedCredential> value;
    private final List<CredentialListener> listeners = new CopyOnWriteArrayList<>();

    CachedHandle(List<CredentialRef> refs, ChainResolver resolver, Clock clock, Scheduler scheduler, Backoff backoff,
            Duration loadTimeout) {
        this.refs = refs;
        String name = refs.size() == 1 ? refs.get(0).toString() : refs.toString();
        this.value = RefreshingValue.<ResolvedCredential>builder(name, previous -> resolver.load(refs))
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
                    public void loadSucceeded(ResolvedCredential previous,
                            RefreshingValue.Loaded<ResolvedCredential> loaded) {
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
                    public void expired(ResolvedCredential expired) {
                        LOG.warn("{}: the last good value passed its stale bound and is no longer served", name);
                    }
                })
                .build();
    }

    private void notifyChanged(ResolvedCredential current) {
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

    /** Starts a background reload now, serving the current value meanwhile. */
    void refresh() {
        value.refresh();
    }

    /** Stops the background work. */
    void close() {
        value.close();
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
