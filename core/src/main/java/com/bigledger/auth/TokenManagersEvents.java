package com.bigledger.auth;

import com.bigledger.auth.internal.SerialNotifier;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link TokenManagers} registry tells: its counts for {@link TokenManagers#stats()}, and its
 * {@link TokenManagersListener}s' events, delivered in order on a scheduler worker, never on the caller's thread and
 * never under a lock; a listener that throws is logged. Thread-safe.
 */
final class TokenManagersEvents {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManagers.class);

    private final List<TokenManagersListener> listeners;
    private final SerialNotifier notifier;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong evictedIdle = new AtomicLong();
    private final AtomicLong evictedSize = new AtomicLong();
    private final AtomicLong evictedExplicitly = new AtomicLong();
    private final AtomicLong closedManagers = new AtomicLong();

    TokenManagersEvents(String name, Scheduler scheduler, List<TokenManagersListener> listeners) {
        this.listeners = new CopyOnWriteArrayList<>(listeners);
        this.notifier = new SerialNotifier(name, scheduler);
    }

    /** Adds a listener that hears the events from now on; closing the result removes it. */
    AutoCloseable add(TokenManagersListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void created(String tenant) {
        created.incrementAndGet();
        tell(l -> l.managerCreated(tenant));
    }

    void creationFailed(String tenant, RuntimeException failure) {
        tell(l -> l.managerCreationFailed(tenant, failure));
    }

    void evicted(String tenant, TokenManagersListener.Eviction why) {
        switch (why) {
            case IDLE:
                evictedIdle.incrementAndGet();
                break;
            case SIZE:
                evictedSize.incrementAndGet();
                break;
            default:
                evictedExplicitly.incrementAndGet();
                break;
        }
        tell(l -> l.managerEvicted(tenant, why));
    }

    void closed(String tenant, Duration took) {
        closedManagers.incrementAndGet();
        tell(l -> l.managerClosed(tenant, took));
    }

    /** The counts so far, with the registry's size. */
    TokenManagers.Stats stats(int size) {
        return new TokenManagers.Stats(size, created.get(), evictedIdle.get(), evictedSize.get(),
                evictedExplicitly.get(), closedManagers.get());
    }

    /** Waits until the events told so far are delivered, up to the timeout; from a listener, returns at once. */
    void flush(Duration timeout) {
        notifier.flush(System.nanoTime() + timeout.toNanos());
    }

    private void tell(Consumer<TokenManagersListener> event) {
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
}
