package com.bigledger.auth.it;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.TokenListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts a token manager's events. Thread-safe. */
final class Events implements TokenListener {
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicInteger rotated = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger writtenBack = new AtomicInteger();
    final AtomicInteger writeBackFailures = new AtomicInteger();
    final AtomicInteger conflicts = new AtomicInteger();
    final List<Duration> retries = new CopyOnWriteArrayList<>();
    final List<BigLedgerAuthException> failures = new CopyOnWriteArrayList<>();
    final List<ReauthenticationRequiredException> reauthentications = new CopyOnWriteArrayList<>();
    private final CountDownLatch reauthenticated = new CountDownLatch(1);

    @Override
    public void refreshStarted(String manager, boolean tokenStillServed) {
        started.incrementAndGet();
    }

    @Override
    public void refreshSucceeded(String manager, Duration took, Instant expiresAt, boolean refreshTokenRotated) {
        succeeded.incrementAndGet();
        if (refreshTokenRotated) {
            rotated.incrementAndGet();
        }
    }

    @Override
    public void refreshFailed(String manager, BigLedgerAuthException failure, int consecutiveFailures,
            boolean tokenStillServed) {
        failed.incrementAndGet();
        failures.add(failure);
    }

    @Override
    public void retryScheduled(String manager, Duration delay, int consecutiveFailures) {
        retries.add(delay);
    }

    @Override
    public void reauthenticationRequired(String manager, ReauthenticationRequiredException failure) {
        reauthentications.add(failure);
        reauthenticated.countDown();
    }

    /**
     * Waits, at most 30 s, for the first re-authentication event: listeners run on the manager's thread, which may
     * tell them after the waiting caller got the same refusal.
     */
    boolean awaitReauthentication() throws InterruptedException {
        return reauthenticated.await(30, TimeUnit.SECONDS);
    }

    @Override
    public void writeBackSucceeded(String manager, CredentialRef ref, Optional<String> version) {
        writtenBack.incrementAndGet();
    }

    @Override
    public void writeBackFailed(String manager, CredentialRef ref, RuntimeException failure, Duration retryIn) {
        writeBackFailures.incrementAndGet();
    }

    @Override
    public void writeBackConflict(String manager, CredentialRef ref, Optional<String> currentVersion) {
        conflicts.incrementAndGet();
    }
}
