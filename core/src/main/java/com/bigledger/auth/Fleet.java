package com.bigledger.auth;

import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.oauth.TokenSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fleet mode: every manager over one token record behaves as one manager. The record is re-read before every
 * refresh; a stored access token still outside the refresh window is adopted; otherwise the lease is taken by a
 * compare-and-set write, only its holder asks the token endpoint, and it writes the new record (generation + 1,
 * lease cleared) before handing the new token out. Runs on the refreshing value's load thread, one load at a
 * time, so its state needs no lock except what write retries share.
 */
final class Fleet {
    /** The manager's logger: fleet mode logs as part of {@link TokenManager}. */
    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);
    private static final int MAX_ROUNDS = 16;
    private static final String HOLDER_PREFIX = ProcessHandle.current().pid() + "/";

    /** {@link #rejected}, compared and set without a lock (no {@code AtomicReference} per manager). */
    private static final AtomicReferenceFieldUpdater<Fleet, Secret> REJECTED =
            AtomicReferenceFieldUpdater.newUpdater(Fleet.class, Secret.class, "rejected");

    private final TokenManager manager;
    private final CredentialVault vault;
    private final CredentialRef ref;
    /** This manager as a lease holder, with the process id: see {@link #holder()}. */
    private final long holderId;
    private final Duration leaseTtl;
    private final Duration poll;
    private final boolean shareAccessTokens;
    private final Duration requestTimeout;
    /**
     * The token a caller reported rejected: never adopted again from the record. Kept until a record holding
     * another access token is read, however many loads that takes (another process may hold the lease).
     */
    private volatile Secret rejected;

    // Guarded by this (the fleet state is private to its manager).
    private TokenRecord unwritten;
    private long unwrittenBase;
    private int recordWriteFailures;
    private Scheduler.Cancellable recordRetry;

    /**
     * Creates the fleet side of a manager.
     *
     * @param manager the manager it loads for: its grant, breaker, clock and scheduler, its schedule of tokens and
     *     its listeners' queue
     * @param storage where the token record lives
     * @param requestTimeout the client's request timeout
     * @param leaseTtl the lease's length, or {@code null} for 3 times the request timeout
     * @param poll how often a waiting manager reads the record again
     * @param shareAccessTokens whether access tokens are kept in the record
     */
    Fleet(TokenManager manager, RefreshTokenStorage storage, Duration requestTimeout, Duration leaseTtl,
            Duration poll, boolean shareAccessTokens) {
        this.manager = manager;
        this.vault = storage.vault();
        this.ref = storage.ref();
        this.requestTimeout = requestTimeout;
        this.leaseTtl = leaseTtl;
        this.poll = poll;
        this.shareAccessTokens = shareAccessTokens;
        this.holderId = ThreadLocalRandom.current().nextLong() & 0xffffffffffffL;
    }

    /** Keeps {@code token}, which a caller reported rejected, from being adopted again. */
    void reject(Secret token) {
        rejected = token;
    }

    /** Who this manager is in a lease: the process id and a random number, as text made on use, not kept. */
    String holder() {
        return HOLDER_PREFIX + Long.toHexString(holderId);
    }

    /** The lease's length: the builder's, or by default 3 times the request timeout. */
    Duration leaseTtl() {
        return leaseTtl != null ? leaseTtl : requestTimeout.multipliedBy(3);
    }

    RefreshingValue.Loaded<AccessToken> load(AccessToken previous) {
        writePendingRecordFirst();
        Secret reject = rejected;
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Stored current = read();
            TokenRecord record = current.record;
            if (reject != null && !reject.equals(record.accessToken)) {
                // The record moved past the rejected token: nothing left to keep out.
                REJECTED.compareAndSet(this, reject, null);
            }
            Instant now = manager.clock().instant();
            RefreshingValue.Loaded<AccessToken> adopted = adoptable(record, reject, now);
            if (adopted != null) {
                if (previous == null || !previous.value().equals(record.accessToken)) {
                    LOG.debug("{}: adopted the access token of generation {} from {}", manager.name(),
                            record.generation, ref);
                    manager.notifyListeners(l -> l.recordAdopted(manager.name(), ref, record.generation, true));
                }
                return adopted;
            }
            TokenRecord.Lease lease = record.lease;
            if (lease != null && !lease.heldBy(holder()) && lease.until.isAfter(now)) {
                Duration left = Duration.between(now, lease.until);
                Duration recheck = min(poll, left.plusMillis(1));
                if (previous == null && shareAccessTokens && record.accessToken != null
                        && !record.accessToken.equals(reject)) {
                    // Nothing served yet: the stored token, while still valid, beats waiting for the holder.
                    RefreshingValue.Loaded<AccessToken> meanwhile = manager.schedule(new AccessToken(
                            record.accessToken, record.expiresAt, record.scopes), record.issuedAt,
                            Optional.of(now.plus(recheck)));
                    if (now.isBefore(meanwhile.expiresAt())) {
                        return meanwhile;
                    }
                }
                throw new LeaseHeld(manager.tokenEndpoint(), ref, lease.until, recheck);
            }
            boolean takeover = lease != null && !lease.heldBy(holder());
            Instant until = now.plus(leaseTtl());
            WriteResult taken = write(record.withLease(new TokenRecord.Lease(holder(), until)), current.version);
            if (taken.isConflict()) {
                // Another process wrote first: read what it wrote.
                continue;
            }
            if (takeover) {
                LOG.info("{}: took over the lease on {} from a holder whose lease expired at {}", manager.name(), ref,
                        lease.until);
            }
            manager.notifyListeners(l -> l.leaseTaken(manager.name(), ref, until, takeover));
            // Double check: the record as it is now that the lease is ours.
            Stored held = read();
            if (!held.version.equals(taken.version()) || held.record.lease == null
                    || !held.record.lease.heldBy(holder())) {
                manager.notifyListeners(l -> l.leaseLost(manager.name(), ref));
                continue;
            }
            if (Duration.between(manager.clock().instant(), until).compareTo(requestTimeout) < 0) {
                // Too little of the lease is left to finish a request in it: take a fresh one.
                continue;
            }
            RefreshingValue.Loaded<AccessToken> refreshed = refreshAsHolder(held, previous);
            if (refreshed != null) {
                return refreshed;
            }
        }
        throw new TokenRefreshException(manager.tokenEndpoint(), "the token record at " + ref + " kept "
                + "changing while this manager read it; trying again", null, true);
    }

    /** The stored access token, when it is shared, not rejected and still outside this manager's window. */
    private RefreshingValue.Loaded<AccessToken> adoptable(TokenRecord record, Secret reject, Instant now) {
        if (!shareAccessTokens || record.accessToken == null || record.accessToken.equals(reject)) {
            return null;
        }
        RefreshingValue.Loaded<AccessToken> loaded = manager.schedule(new AccessToken(record.accessToken,
                record.expiresAt, record.scopes), record.issuedAt, Optional.empty());
        return now.isBefore(loaded.refreshAt()) ? loaded : null;
    }

    /**
     * Refreshes with the lease held; returns the new token once the record holding it is written, or
     * {@code null} when another process's newer record should be looked at instead.
     */
    private RefreshingValue.Loaded<AccessToken> refreshAsHolder(Stored held, AccessToken previous) {
        TokenRecord record = held.record;
        CircuitBreaker circuitBreaker = manager.guard().circuitBreaker();
        if (!circuitBreaker.tryAcquirePermission()) {
            release(held);
            throw manager.guard().refusedWhileOpen(manager.tokenEndpoint());
        }
        // Only here, where a request is sent, is a refresh started: reading or adopting the record is not one.
        // Read here, on the load's thread: the value's loadStarted event reaches Hooks later, on a worker.
        boolean served = manager.served();
        manager.notifyListeners(l -> l.refreshStarted(manager.name(), served));
        Instant start = manager.clock().instant();
        long startNanos = System.nanoTime();
        TokenResponse response;
        try {
            response = manager.grant().fetch(TokenSource.Request.of(previous, record.refreshToken, manager.scopes()));
            circuitBreaker.onSuccess(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        } catch (ReauthenticationRequiredException refused) {
            circuitBreaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, refused);
            // Checked against the store first: a newer generation means another process rotated the token.
            Stored after = read();
            if (after.record.generation > record.generation) {
                LOG.info("{}: the refresh token was refused, and {} holds a newer generation ({}): using it",
                        manager.name(), ref, after.record.generation);
                manager.notifyListeners(l -> l.recordAdopted(manager.name(), ref, after.record.generation, false));
                return null;
            }
            release(after);
            throw refused;
        } catch (InvalidTokenResponseException e) {
            circuitBreaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, e);
            if (e.receivedRefreshToken().isPresent()) {
                writeNewRecord(TokenRecord.ofRefreshToken(record.generation + 1, e.receivedRefreshToken().get()),
                        held.version, record.generation);
            } else {
                release(held);
            }
            throw e;
        } catch (RuntimeException e) {
            circuitBreaker.onError(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS, e);
            release(held);
            throw e;
        } catch (Error e) {
            circuitBreaker.releasePermission();
            throw e;
        }
        Instant expiresAt = start.plus(response.expiresIn());
        AccessToken token = new AccessToken(response.accessToken(), expiresAt, response.scopes());
        Secret refresh = response.refreshToken().orElse(record.refreshToken);
        boolean rotated = !refresh.equals(record.refreshToken);
        TokenRecord next = new TokenRecord(record.generation + 1, refresh,
                shareAccessTokens ? response.accessToken() : null, shareAccessTokens ? start : null,
                shareAccessTokens ? expiresAt : null, response.scopes(), null);
        writeNewRecord(next, held.version, record.generation);
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        manager.notifyListeners(l -> l.refreshSucceeded(manager.name(), took, expiresAt, rotated));
        return manager.schedule(token, start, response.refreshIn().map(start::plus));
    }

    /**
     * Writes the record that follows generation {@code base}, on {@code expected}. A conflict from another
     * field of the secret is merged; a record another process wrote meanwhile is kept if it is newer. A failed
     * write is retried in the background with backoff.
     */
    private void writeNewRecord(TokenRecord next, Optional<String> expected, long base) {
        synchronized (this) {
            if (recordRetry != null) {
                recordRetry.cancel();
                recordRetry = null;
            }
            unwritten = next;
            unwrittenBase = base;
            try {
                writeUnwritten(expected);
            } catch (RuntimeException e) {
                scheduleRecordRetry(e);
            }
        }
    }

    /**
     * Writes the record this manager could not write yet before anything else: it holds the refresh token the
     * server issued last, and the store still holds the one it replaced. A refresh from the store's record would
     * present that retired token (an {@code invalid_grant}, or the grant revoked by reuse detection). If the
     * write fails again, this load fails as temporary and the current token stays served; the pending retry goes
     * on.
     */
    private void writePendingRecordFirst() {
        synchronized (this) {
            if (unwritten == null) {
                return;
            }
            try {
                writeUnwritten(read().version);
            } catch (RuntimeException e) {
                throw new TokenRefreshException(manager.tokenEndpoint(), "the new token record is not yet "
                        + "written to " + ref + "; no refresh with the refresh token it replaces", e, true);
            }
            // Written (or superseded by a newer generation): its retry has nothing left to do.
            if (recordRetry != null) {
                recordRetry.cancel();
                recordRetry = null;
            }
        }
    }

    /** Call holding this fleet state's lock. */
    private void writeUnwritten(Optional<String> expected) {
        boolean merged = false;
        for (int attempt = 0; attempt <= RefreshTokenWriteBack.MAX_MERGES; attempt++) {
            WriteResult result = write(unwritten, expected);
            if (result.isWritten()) {
                Optional<String> version = result.version();
                unwritten = null;
                recordWriteFailures = 0;
                if (merged) {
                    manager.notifyListeners(l -> l.writeBackConflictMerged(manager.name(), ref, version));
                } else {
                    manager.notifyListeners(l -> l.writeBackSucceeded(manager.name(), ref, version));
                }
                return;
            }
            Stored now = read();
            TokenRecord.Lease lease = now.record.lease;
            if (now.record.generation == unwrittenBase && lease != null && lease.heldBy(holder())) {
                // Another field of the secret moved (or the store's version did): the lease is still ours.
                merged = true;
            } else if (now.record.generation == unwrittenBase) {
                // The lease ran out and another process took it, but has not written yet: ours is newer.
                LOG.warn("{}: the lease on {} was taken over before the new record was written; writing it",
                        manager.name(), ref);
                manager.notifyListeners(l -> l.leaseLost(manager.name(), ref));
            } else {
                LOG.warn("{}: {} moved to generation {} while this manager refreshed; its own record is not "
                        + "written over it", manager.name(), ref, now.record.generation);
                unwritten = null;
                manager.notifyListeners(l -> l.leaseLost(manager.name(), ref));
                return;
            }
            expected = now.version;
        }
        throw new SourceUnavailableException(ref, "the write kept conflicting with other writers", null);
    }

    /** Call holding this fleet state's lock. */
    private void scheduleRecordRetry(RuntimeException failure) {
        recordWriteFailures++;
        Duration delay = TokenManager.WRITE_BACKOFF.delay(recordWriteFailures);
        LOG.warn("{}: writing the new token record to {} failed; retrying in {}: {}", manager.name(), ref, delay,
                failure.getMessage());
        manager.notifyListeners(l -> l.writeBackFailed(manager.name(), ref, failure, delay));
        if (!manager.writesStopped()) {
            try {
                recordRetry = manager.scheduler().schedule(this::retryRecordWrite, delay);
            } catch (RuntimeException | Error refused) {
                // The record stays held: the next refresh or close() writes it. The token is served meanwhile.
                LOG.warn("{}: the scheduler refused the retry of the record write ({}); the next refresh or "
                        + "close writes it", manager.name(), refused.getClass().getName());
            }
        }
    }

    private void retryRecordWrite() {
        synchronized (this) {
            recordRetry = null;
            if (unwritten == null) {
                return;
            }
            try {
                writeUnwritten(read().version);
            } catch (RuntimeException e) {
                scheduleRecordRetry(e);
            }
        }
    }

    /** For close(): one last try of a pending record write. */
    void flush() {
        synchronized (this) {
            if (recordRetry != null) {
                recordRetry.cancel();
                recordRetry = null;
            }
            if (unwritten != null) {
                try {
                    writeUnwritten(read().version);
                } catch (RuntimeException e) {
                    LOG.warn("{}: closed with the new token record not written to {}: {}", manager.name(), ref,
                            e.getMessage());
                }
            }
        }
    }

    /** Clears this manager's lease, if it still holds it; best effort, since it expires anyway. */
    private void release(Stored held) {
        if (held.record.lease == null || !held.record.lease.heldBy(holder())) {
            return;
        }
        try {
            write(held.record.withLease(null), held.version);
        } catch (RuntimeException e) {
            LOG.debug("{}: releasing the lease on {} failed: {}", manager.name(), ref, e.getMessage());
        }
    }

    private Stored read() {
        VersionedSecret stored;
        try {
            stored = vault.read(ref);
        } catch (CredentialNotFoundException e) {
            throw new ReauthenticationRequiredException(manager.tokenEndpoint(), "no token record is stored at "
                    + ref + "; log in (bigledger-auth login) or store one with TokenManager.storeRefreshToken",
                    e);
        } catch (CredentialException e) {
            if (e.kind() == CredentialException.Kind.INVALID) {
                // Unusable as stored, like a record that does not decode: thrown as it is.
                throw e;
            }
            throw new TokenRefreshException(manager.tokenEndpoint(), "the token record at " + ref
                    + " could not be read", e, e.retryable());
        }
        return new Stored(TokenRecord.decode(ref, stored.secret()), stored.version());
    }

    private WriteResult write(TokenRecord record, Optional<String> expected) {
        return vault.write(ref, record.encode(), expected);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Another process holds the lease on the token record and is refreshing: not a failure, a reason to look at the
     * record again shortly. Callers with no valid token keep waiting, up to their deadlines.
     */
    static final class LeaseHeld extends TokenRefreshException {
        private static final long serialVersionUID = 1L;
        final transient Duration recheckIn;

        LeaseHeld(URI endpoint, CredentialRef record, Instant until, Duration recheckIn) {
            super(endpoint, -1, null, null, recheckIn, "another process holds the lease on the token record at "
                    + record + " until " + until + " and is refreshing; waiting for its record", null, true);
            this.recheckIn = recheckIn;
        }
    }


    /** A token record as read, with the store's version of it. */
    private static final class Stored {
        final TokenRecord record;
        final Optional<String> version;

        Stored(TokenRecord record, Optional<String> version) {
            this.record = record;
            this.version = version;
        }
    }

}
