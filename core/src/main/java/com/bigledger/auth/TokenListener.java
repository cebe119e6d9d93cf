package com.bigledger.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Observes a {@link TokenManager}: refreshes, failures, retries and the write-back of rotated refresh tokens.
 *
 * <p>Events carry no secret: exceptions of this library never hold one. A manager's events are delivered one at a
 * time, in the order they happened ({@link #refreshStarted} before the {@link #refreshSucceeded} or
 * {@link #refreshFailed} it led to, {@link #refreshFailed} before its {@link #retryScheduled}), on a scheduler worker:
 * never on the thread that caused them, never on the scheduler's timer thread, never while the manager holds a lock.
 * A method that blocks delays only that manager's later events, not its tokens or refreshes; one that throws (an
 * {@code Error} too) is ignored, the first time with a warning naming the listener's and the exception's classes,
 * never the message. Every method does nothing by default.
 */
public interface TokenListener {

    /**
     * A refresh started: a request to the token endpoint is about to be sent. In fleet mode only the lease holder
     * tells of one; reading the token record, waiting for another process's refresh or adopting its access token
     * is not a refresh (see {@link #recordAdopted}).
     *
     * @param manager the manager's name
     * @param tokenStillServed whether a valid token is served meanwhile (refresh ahead) or callers wait (expired)
     */
    default void refreshStarted(String manager, boolean tokenStillServed) {
    }

    /**
     * A refresh succeeded.
     *
     * @param manager the manager's name
     * @param took how long the token endpoint took
     * @param expiresAt when the new token expires
     * @param refreshTokenRotated whether the response carried a new refresh token
     */
    default void refreshSucceeded(String manager, Duration took, Instant expiresAt, boolean refreshTokenRotated) {
    }

    /**
     * A refresh failed.
     *
     * @param manager the manager's name
     * @param failure the failure; {@link BigLedgerAuthException#retryable()} says whether it will be retried
     * @param consecutiveFailures how many refreshes in a row have failed
     * @param tokenStillServed whether the last token is still valid and served
     */
    default void refreshFailed(String manager, BigLedgerAuthException failure, int consecutiveFailures,
            boolean tokenStillServed) {
    }

    /**
     * A retry is scheduled after a failure.
     *
     * @param manager the manager's name
     * @param delay when it will run
     * @param consecutiveFailures how many refreshes in a row have failed
     */
    default void retryScheduled(String manager, Duration delay, int consecutiveFailures) {
    }

    /**
     * The server refused the grant or the client for good: a person or an operator must act (log in again, fix the
     * client secret). No more refreshes are tried until {@link TokenManager#refreshNow()}.
     *
     * @param manager the manager's name
     * @param failure the refusal
     */
    default void reauthenticationRequired(String manager, ReauthenticationRequiredException failure) {
    }

    /**
     * A rotated refresh token was written back to its store.
     *
     * @param manager the manager's name
     * @param ref where it was written
     * @param version the store's new version, when it keeps versions
     */
    default void writeBackSucceeded(String manager, CredentialRef ref, Optional<String> version) {
    }

    /**
     * Writing a rotated refresh token back failed; the token is kept in memory, used for the next refresh, and the
     * write is retried.
     *
     * @param manager the manager's name
     * @param ref where it was to be written
     * @param failure why the write failed
     * @param retryIn when the write will be tried again
     */
    default void writeBackFailed(String manager, CredentialRef ref, RuntimeException failure, Duration retryIn) {
    }

    /**
     * Another writer changed the stored refresh token since it was read, so the rotated one was not written over
     * it. The rotated token is kept in memory and used for the next refresh.
     *
     * @param manager the manager's name
     * @param ref where it was to be written
     * @param currentVersion the version now in the store, when known
     */
    default void writeBackConflict(String manager, CredentialRef ref, Optional<String> currentVersion) {
    }
    /**
     * A write-back met a conflict because another writer changed another field of the same secret (or the store
     * moved its version); the stored refresh token was still the one this manager last read or wrote, so the
     * rotated token was written again on the new version, keeping the other fields.
     *
     * @param manager the manager's name
     * @param ref where it was written
     * @param version the store's new version, when it keeps versions
     */
    default void writeBackConflictMerged(String manager, CredentialRef ref, Optional<String> version) {
    }

    /**
     * Fleet mode: this manager took the lease on the shared token record, and only it will ask the token endpoint
     * until it writes the new record or the lease ends.
     *
     * @param manager the manager's name
     * @param record the token record's reference
     * @param until when the lease ends unless released before
     * @param takenOver whether an expired lease of another holder was taken over (that holder likely died)
     */
    default void leaseTaken(String manager, CredentialRef record, Instant until, boolean takenOver) {
    }

    /**
     * Fleet mode: this manager's lease ended before it could write the new record (it expired and another holder
     * took over, or the record moved on). The outcome of its request was written only if no newer record was there.
     *
     * @param manager the manager's name
     * @param record the token record's reference
     */
    default void leaseLost(String manager, CredentialRef record) {
    }

    /**
     * Fleet mode: this manager adopted what another process stored in the token record instead of asking the token
     * endpoint itself.
     *
     * @param manager the manager's name
     * @param record the token record's reference
     * @param generation the record's generation now used
     * @param accessTokenAdopted whether the stored access token was adopted (no request at all), or only the refresh
     *     token
     */
    default void recordAdopted(String manager, CredentialRef record, long generation, boolean accessTokenAdopted) {
    }
}
