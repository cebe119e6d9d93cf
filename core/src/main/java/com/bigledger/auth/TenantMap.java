package com.bigledger.auth;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The map of a {@link TokenManagers} registry and its evictions: one slot per tenant in a {@link LinkedHashMap} in
 * access order under one lock; single-flight creation of a tenant's manager (after its previous one finished
 * closing); eviction of the least recently used beyond the maximum size, of the idle ones by a periodic sweep on the
 * {@link Scheduler}, and on request; and the closing of evicted managers off the lock, on the scheduler's threads.
 * What it does is told through {@link TokenManagersEvents}. Thread-safe.
 */
final class TenantMap {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManagers.class);
    /** How long creating a tenant's manager waits for its previous manager to finish closing. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final TenantTemplate template;
    private final TokenManagersEvents events;
    private final Duration idleTimeout;
    private final int maximumSize;

    private final Object lock = new Object();
    // Guarded by lock: access order, least recently used first.
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    /** Managers evicted and still closing, by tenant: a new manager for the tenant waits for the close. */
    private final Map<String, CompletableFuture<Void>> closing = new HashMap<>();
    private Scheduler.Cancellable sweep;
    private boolean closed;

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

    TenantMap(TenantTemplate template, TokenManagersEvents events, Duration idleTimeout, int maximumSize) {
        this.template = template;
        this.events = events;
        this.idleTimeout = idleTimeout;
        this.maximumSize = maximumSize;
    }

    /** The tenant's manager, created on first use; see {@link TokenManagers#get(String)}. */
    TokenManager get(String tenant) {
        Objects.requireNonNull(tenant, "tenant");
        Slot slot;
        List<Slot> victims = null;
        CompletableFuture<Void> previousClose = null;
        synchronized (lock) {
            if (closed) {
                throw closedError();
            }
            slot = slots.get(tenant);
            long now = template.clock().millis();
            if (slot != null) {
                slot.lastUsedMillis = now;
                if (slot.manager != null) {
                    return slot.manager;
                }
            } else {
                TenantKeys.check(tenant);
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

    /** Removes the tenant's manager and closes it in the background; see {@link TokenManagers#evict(String)}. */
    boolean evict(String tenant) {
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
        events.evicted(tenant, TokenManagersListener.Eviction.EXPLICIT);
        template.scheduler().execute(() -> closeEvicted(slot));
        return true;
    }

    /** How many managers the map holds, including those being created. */
    int size() {
        synchronized (lock) {
            return slots.size();
        }
    }

    /**
     * Stops the idle sweep and closes every manager, one after the other on the calling thread.
     *
     * @return whether this call closed the map (and not an earlier one)
     */
    boolean close() {
        List<Slot> all;
        synchronized (lock) {
            if (closed) {
                return false;
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
        return true;
    }

    boolean isClosed() {
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
            manager = template.build(tenant);
        } catch (RuntimeException | Error e) {
            CompletableFuture<TokenManager> creation;
            synchronized (lock) {
                // remove(key, value) does not touch the access order.
                slots.remove(tenant, slot);
                creation = slot.creation;
            }
            if (e instanceof RuntimeException) {
                events.creationFailed(tenant, (RuntimeException) e);
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
        events.created(tenant);
        if (!kept) {
            closeManager(slot);
            IllegalStateException gone = closedError();
            creation.completeExceptionally(gone);
            throw gone;
        }
        creation.complete(manager);
        return manager;
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
            events.evicted(victim.tenant, TokenManagersListener.Eviction.SIZE);
            closeOnWorker(victim);
        }
    }

    /** Closes an evicted manager on a worker of its own; on this thread if the scheduler refuses. */
    private void closeOnWorker(Slot slot) {
        try {
            template.scheduler().execute(() -> closeEvicted(slot));
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
        events.closed(slot.tenant, took);
    }

    /** Starts the idle sweep; called once, when the registry is built. */
    void startSweeping() {
        synchronized (lock) {
            sweep = template.scheduler().schedule(this::sweepIdle, sweepInterval());
        }
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
            long now = template.clock().millis();
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
            sweep = template.scheduler().schedule(this::sweepIdle, sweepInterval());
        }
        for (Slot slot : idle) {
            events.evicted(slot.tenant, TokenManagersListener.Eviction.IDLE);
            // Each on a worker: one slow close (a store that answers slowly) does not hold back the others.
            closeOnWorker(slot);
        }
    }

    IllegalStateException closedError() {
        return new IllegalStateException("TokenManagers for " + template.pattern() + " is closed");
    }
}
