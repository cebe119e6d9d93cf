package com.bigledger.auth;

import com.bigledger.auth.internal.RefreshingValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link CredentialVault} loads a chain of references: in order, the first that resolves wins; a reference
 * whose store holds nothing (or whose scheme has no source) passes to the next, and any other failure stops the
 * chain, so that an outage never silently switches to another credential. A loaded value is stamped with its
 * {@link CredentialTtl}. Every load from a store is told to the
 * {@link CredentialLoadListener}s. Thread-safe.
 */
final class ChainResolver {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialVault.class);

    private final CredentialSources sources;
    private final List<CredentialLoadListener> loadListeners = new CopyOnWriteArrayList<>();
    private final CredentialTtl ttl;

    ChainResolver(CredentialSources sources, CredentialTtl ttl) {
        this.sources = sources;
        this.ttl = ttl;
    }

    /** Adds a listener told of every load from a store from now on; closing the result removes it. */
    AutoCloseable addListener(CredentialLoadListener listener) {
        Objects.requireNonNull(listener, "listener");
        loadListeners.add(listener);
        return () -> loadListeners.remove(listener);
    }

    /**
     * Loads the chain on the calling thread.
     *
     * @param refs the chain, not empty
     * @return the first reference's value that resolves, with its refresh and expiry instants
     * @throws CredentialException the one reference's failure, or a {@link CredentialChainException} listing the
     *     failures of a chain
     */
    RefreshingValue.Loaded<ResolvedCredential> load(List<CredentialRef> refs) {
        List<CredentialException> failures = new ArrayList<>();
        for (CredentialRef ref : refs) {
            long start = System.nanoTime();
            if (!sources.serves(ref.scheme())) {
                // No source for the scheme: like a missing secret, it passes to the next reference.
                failures.add(failed(ref, sources.noSource(ref), start));
                continue;
            }
            try {
                VersionedSecret loaded = sources.source(ref).load(ref);
                if (loaded == null) {
                    throw new SourceUnavailableException(ref, "the '" + ref.scheme() + "' source returned "
                            + "nothing", null);
                }
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                notifyLoad(l -> l.loaded(ref, loaded.version(), took));
                RefreshingValue.Loaded<ResolvedCredential> stamped = ttl.stamp(new ResolvedCredential(ref, loaded));
                LOG.debug("Loaded {}{}", ref, loaded.version().map(v -> " version " + v).orElse(""));
                return stamped;
            } catch (CredentialNotFoundException e) {
                failures.add(failed(ref, e, start));
            } catch (CredentialException e) {
                failures.add(failed(ref, e, start));
                break;
            } catch (IllegalArgumentException e) {
                failures.add(failed(ref, new CredentialException(CredentialException.Kind.CONFIGURATION, ref, "the '"
                        + ref.scheme() + "' source refused the reference: " + e.getMessage(), e), start));
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

    private void notifyLoad(Consumer<CredentialLoadListener> event) {
        for (CredentialLoadListener listener : loadListeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A credential load listener threw {}", e.getClass().getName());
            }
        }
    }
}
