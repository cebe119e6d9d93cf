package com.bigledger.auth;

import com.bigledger.auth.internal.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The refresh token of one {@link TokenManager}'s refresh-token grant: the one held in memory, and the write-back of
 * each rotated one to its store.
 *
 * <p>A rotated refresh token is written with compare-and-set on the version it was read (or last written) at. A
 * conflict caused by another field of the same secret is merged: the write is made again on the new version, up to
 * {@link #MAX_MERGES} times. A conflict with a different refresh token from another writer keeps theirs in the store
 * and ours in memory. A write that fails is retried with backoff on the scheduler; the token is never dropped, and a
 * newer one supersedes an older one's pending write, so an older token never overwrites a newer one.
 *
 * <p>Writes are made one at a time, under this object's lock, on the thread that received the token (the refresh's
 * worker) or the scheduler's; listeners hear of them through {@code events}, which queues and never runs them here.
 * Events are queued while the lock is still held, so that they are told in the order the writes happened; the
 * store's I/O and the scheduler already run under it, to keep the writes in order. Thread-safe.
 */
final class RefreshTokenWriteBack {

    private static final Logger LOG = LoggerFactory.getLogger(RefreshTokenWriteBack.class);
    /** How many times in a row a write-back conflict is merged before it is retried later with backoff. */
    static final int MAX_MERGES = 5;

    private final String name;
    private final CredentialVault vault;
    private final CredentialRef ref;
    private final Scheduler scheduler;
    private final Backoff backoff;
    private final Consumer<Consumer<TokenListener>> events;

    // Guarded by this (the object is private to its manager).
    private Secret refreshToken;
    /** The refresh token the store held at {@code version}, as this manager last read or wrote it. */
    private Secret stored;
    private Optional<String> version = Optional.empty();
    private long sequence;
    private long writtenSequence;
    private int failures;
    private Scheduler.Cancellable retry;
    private boolean stopped;

    /**
     * Creates the write-back.
     *
     * @param name the manager's name, for logs and events
     * @param vault the vault that writes the store, or {@code null} when the token is not stored
     * @param ref where the refresh token is stored, or {@code null} when it is not
     * @param initial the refresh token to start from, or {@code null} to read it from {@code ref}
     * @param scheduler runs the retries of failed writes
     * @param backoff the delays between those retries
     * @param events queues an event for the listeners; never runs them on the calling thread
     */
    RefreshTokenWriteBack(String name, CredentialVault vault, CredentialRef ref, Secret initial, Scheduler scheduler,
            Backoff backoff, Consumer<Consumer<TokenListener>> events) {
        this.name = Objects.requireNonNull(name, "name");
        this.vault = vault;
        this.ref = ref;
        this.refreshToken = initial;
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * Returns the refresh token held in memory.
     *
     * @return the token, or {@code null} when none is held and it must be read from the store
     */
    Secret held() {
        synchronized (this) {
            return refreshToken;
        }
    }

    /**
     * Holds the token read from the store, unless another one was held meanwhile.
     *
     * @param read what the store holds
     * @return the token held now
     */
    Secret adopt(VersionedSecret read) {
        synchronized (this) {
            if (refreshToken == null) {
                refreshToken = read.secret();
                stored = read.secret();
                version = read.version();
            }
            return refreshToken;
        }
    }

    /**
     * Holds a newer token another process stored, read past the vault's cache after the server refused ours.
     *
     * @param read what the store holds
     */
    void useStored(VersionedSecret read) {
        synchronized (this) {
            refreshToken = read.secret();
            stored = read.secret();
            version = read.version();
        }
    }

    /**
     * Tells whether the token held in memory is newer than the store's: a rotated one not yet written.
     *
     * @return whether a write is pending
     */
    boolean unwritten() {
        synchronized (this) {
            return writtenSequence != sequence;
        }
    }

    /** Forgets the held token when nothing unwritten is held, so that the next refresh reads the store. */
    void forgetIfWritten() {
        synchronized (this) {
            if (writtenSequence == sequence) {
                refreshToken = null;
            }
        }
    }

    /**
     * Holds a rotated refresh token and writes it back; never drops it. Blocks on the store's I/O.
     *
     * @param rotated the refresh token the server sent
     */
    void keep(Secret rotated) {
        Objects.requireNonNull(rotated, "rotated");
        long current;
        synchronized (this) {
            refreshToken = rotated;
            current = ++sequence;
            if (ref == null) {
                writtenSequence = current;
                return;
            }
        }
        write(current);
    }

    /**
     * Stops writing: a write still pending is tried once more, and a token that still could not be written is logged
     * as a warning. Waits for a write in progress. Blocks on the store's I/O.
     */
    void close() {
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            cancelRetry();
            if (writtenSequence != sequence && ref != null) {
                attempt(sequence);
            }
            if (writtenSequence != sequence && ref != null) {
                LOG.warn("{}: closed while the rotated refresh token was not yet written back to {}", name, ref);
            }
        }
    }

    private void cancelRetry() {
        if (retry != null) {
            try {
                retry.cancel();
            } catch (RuntimeException e) {
                // A retry that cannot be cancelled finds the write stopped and does nothing.
                LOG.debug("{}: cancelling a write-back retry threw {}", name, e.getClass().getName());
            }
            retry = null;
        }
    }

    /** A write, or its retry: nothing once stopped, nothing for a token a newer one superseded. */
    private void write(long written) {
        synchronized (this) {
            if (stopped || written != sequence) {
                // A newer token arrived; its own write supersedes this one.
                return;
            }
            retry = null;
            attempt(written);
        }
    }

    /**
     * Writes the held token, sequence {@code written}; on failure schedules a retry unless stopped. Call with the
     * lock held.
     */
    private void attempt(long written) {
        Secret token = refreshToken;
        try {
            WriteResult result = vault.write(ref, token, version);
            boolean merged = false;
            boolean theirs = false;
            for (int attempt = 0; result.isConflict() && attempt < MAX_MERGES; attempt++) {
                // The secret moved: another field's write, or another writer's rotation of this one.
                VersionedSecret current = vault.read(ref);
                if (current.secret().equals(token)) {
                    // Our own token: an earlier write of it was applied though its answer was lost.
                    result = WriteResult.written(current.version().orElse(null));
                    break;
                }
                if (!current.secret().equals(stored)) {
                    theirs = true;
                    break;
                }
                result = vault.write(ref, token, current.version());
                merged = true;
            }
            Optional<String> newVersion = result.version();
            if (result.isWritten()) {
                writtenSequence = written;
                failures = 0;
                version = result.version();
                stored = token;
                if (merged) {
                    LOG.info("{}: {} changed elsewhere since it was read; the rotated refresh token was written "
                            + "on the new version, keeping the other fields", name, ref);
                    events.accept(l -> l.writeBackConflictMerged(name, ref, newVersion));
                } else {
                    events.accept(l -> l.writeBackSucceeded(name, ref, newVersion));
                }
            } else if (theirs) {
                writtenSequence = written;
                failures = 0;
                LOG.warn("{}: another writer stored a different refresh token at {}; the rotated one is kept in "
                        + "memory and not written over it", name, ref);
                events.accept(l -> l.writeBackConflict(name, ref, newVersion));
            } else {
                throw new SourceUnavailableException(ref, "the write kept conflicting with other writers of "
                        + "the same secret", null);
            }
        } catch (RuntimeException e) {
            failures++;
            Duration delay = backoff.delay(failures);
            if (stopped) {
                LOG.warn("{}: writing the rotated refresh token back to {} failed: {}", name, ref,
                        e.getMessage());
                return;
            }
            try {
                retry = scheduler.schedule(() -> write(written), delay);
            } catch (RuntimeException refused) {
                // The token received stays held: the next rotation or close() writes it.
                LOG.warn("{}: writing the rotated refresh token back to {} failed, and the scheduler refused its "
                        + "retry ({}); kept in memory until the next write: {}", name, ref,
                        refused.getClass().getName(), e.getMessage());
                return;
            }
            LOG.warn("{}: writing the rotated refresh token back to {} failed; kept in memory, retrying in {}: "
                    + "{}", name, ref, delay, e.getMessage());
            events.accept(l -> l.writeBackFailed(name, ref, e, delay));
        }
    }
}
