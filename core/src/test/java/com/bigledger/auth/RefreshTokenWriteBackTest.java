package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.internal.Backoff;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshTokenWriteBackTest {

    private static final Backoff BACKOFF = Backoff.of(Duration.ofSeconds(1), Duration.ofMinutes(5), 2.0, 0);

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final Store store = new Store();
    private final CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        store.release.countDown();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        vault.close();
    }

    /** An in-memory store that can also apply a write and then fail to answer, or hold a write until released. */
    private static final class Store extends CompareAndSetMemoryStore {
        volatile boolean loseAnswers;
        /** When set, another field of this secret is changed before every write: each one conflicts. */
        volatile CredentialRef otherField;
        volatile CountDownLatch entered = new CountDownLatch(0);
        volatile CountDownLatch release = new CountDownLatch(0);

        Store() {
            super(new InMemoryCredentialSource("mem"));
        }

        @Override
        public WriteResult write(CredentialRef ref, Secret value, Optional<String> expectedVersion) {
            writes.incrementAndGet();
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            CredentialRef other = otherField;
            if (other != null) {
                delegate.write(other, Secret.of(Canary.value("cs_")), Optional.empty());
            }
            WriteResult result = delegate.write(ref, value, expectedVersion);
            if (loseAnswers) {
                throw new SourceUnavailableException(ref, "the connection was reset before the answer", null);
            }
            return result;
        }
    }

    private final TokenListener recorder = new TokenListener() {
        @Override
        public void writeBackSucceeded(String manager, CredentialRef ref, Optional<String> version) {
            events.add("written @" + version.orElse("-"));
        }

        @Override
        public void writeBackFailed(String manager, CredentialRef ref, RuntimeException failure, Duration retryIn) {
            events.add("failed, retry in " + retryIn.toSeconds() + " s");
        }

        @Override
        public void writeBackConflict(String manager, CredentialRef ref, Optional<String> currentVersion) {
            events.add("conflict @" + currentVersion.orElse("-"));
        }

        @Override
        public void writeBackConflictMerged(String manager, CredentialRef ref, Optional<String> version) {
            events.add("merged @" + version.orElse("-"));
        }
    };

    private RefreshTokenWriteBack writeBack(CredentialRef ref) {
        RefreshTokenWriteBack writeBack = new RefreshTokenWriteBack("test", vault, ref, null, scheduler, BACKOFF,
                event -> event.accept(recorder));
        writeBack.adopt(vault.resolve(ref));
        return writeBack;
    }

    private CredentialRef stored(String path) {
        return store.delegate.put(path, Canary.secret("blg_oauth_rt_"));
    }

    private String inStore(CredentialRef ref) {
        return store.delegate.load(ref).secret().reveal();
    }

    @Test
    void rotatedTokenIsWrittenOnTheVersionItWasRead() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        Secret rotated = Canary.secret("blg_oauth_rt_");

        writeBack.keep(rotated);

        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
        assertThat(writeBack.held()).isEqualTo(rotated);
        assertThat(writeBack.unwritten()).isFalse();
        assertThat(events).containsExactly("written @2");
        scheduler.assertNoMoreTasks();
    }

    @Test
    void tokenWithoutAStoreIsHeldAndCountsAsWritten() {
        Secret initial = Canary.secret("blg_oauth_rt_");
        RefreshTokenWriteBack writeBack = new RefreshTokenWriteBack("test", null, null, initial, scheduler, BACKOFF,
                event -> event.accept(recorder));
        assertThat(writeBack.held()).isEqualTo(initial);
        Secret rotated = Canary.secret("blg_oauth_rt_");

        writeBack.keep(rotated);
        writeBack.close();

        assertThat(writeBack.held()).isEqualTo(rotated);
        assertThat(writeBack.unwritten()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void refusedWriteIsKeptInMemoryAndRetriedWithBackoff() {
        CredentialRef ref = stored("rt");
        String initial = inStore(ref);
        RefreshTokenWriteBack writeBack = writeBack(ref);
        Secret rotated = Canary.secret("blg_oauth_rt_");

        store.delegate.down(true);
        writeBack.keep(rotated);
        assertThat(writeBack.held()).isEqualTo(rotated);
        assertThat(writeBack.unwritten()).isTrue();
        assertThat(scheduler.queuedDelays()).containsExactly(Duration.ofSeconds(1));
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(scheduler.queuedDelays()).containsExactly(Duration.ofSeconds(2));

        store.delegate.down(false);
        assertThat(inStore(ref)).isEqualTo(initial);
        scheduler.advance(Duration.ofSeconds(2));

        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
        assertThat(writeBack.unwritten()).isFalse();
        assertThat(events).containsExactly("failed, retry in 1 s", "failed, retry in 2 s", "written @2");
        scheduler.assertNoMoreTasks();
    }

    @Test
    void writeAppliedThoughItsAnswerWasLostIsRecognisedAsOursOnTheRetry() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        Secret rotated = Canary.secret("blg_oauth_rt_");

        store.loseAnswers = true;
        writeBack.keep(rotated);
        store.loseAnswers = false;
        scheduler.advance(Duration.ofSeconds(1));

        // The retry meets the version its own lost write made: that is no other writer's token.
        assertThat(events).containsExactly("failed, retry in 1 s", "written @2");
        // And the next rotation is written over it.
        Secret next = Canary.secret("blg_oauth_rt_");
        writeBack.keep(next);
        assertThat(inStore(ref)).isEqualTo(next.reveal());
        assertThat(events).containsExactly("failed, retry in 1 s", "written @2", "written @3");
    }

    @Test
    void conflictFromAnotherFieldOfTheSecretIsMerged() {
        String initial = Canary.value("blg_oauth_rt_");
        CredentialRef whole = store.delegate.put("bigledger", Secret.of("{\"refresh_token\":\"" + initial
                + "\",\"client_secret\":\"" + Canary.value("cs_") + "\"}"));
        CredentialRef ref = whole.withField("refresh_token");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        String newClientSecret = Canary.value("cs_");
        store.delegate.write(whole.withField("client_secret"), Secret.of(newClientSecret), Optional.empty());
        Secret rotated = Canary.secret("blg_oauth_rt_");

        writeBack.keep(rotated);

        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
        assertThat(inStore(whole.withField("client_secret"))).isEqualTo(newClientSecret);
        assertThat(events).containsExactly("merged @3");
    }

    @Test
    void conflictWithAnotherWritersTokenKeepsTheirsInTheStoreAndOursInMemory() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        String theirs = Canary.value("blg_oauth_rt_");
        store.delegate.write(ref, Secret.of(theirs), Optional.empty());
        Secret rotated = Canary.secret("blg_oauth_rt_");

        writeBack.keep(rotated);

        assertThat(inStore(ref)).isEqualTo(theirs);
        assertThat(writeBack.held()).isEqualTo(rotated);
        assertThat(writeBack.unwritten()).isFalse();
        assertThat(events).containsExactly("conflict @2");
        scheduler.assertNoMoreTasks();
    }

    @Test
    void newerRotationSupersedesThePendingRetryOfAnOlderOne() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        Secret older = Canary.secret("blg_oauth_rt_");
        Secret newer = Canary.secret("blg_oauth_rt_");

        store.delegate.down(true);
        writeBack.keep(older);
        store.delegate.down(false);
        writeBack.keep(newer);
        int writes = store.writes.get();
        scheduler.advance(Duration.ofMinutes(10));

        assertThat(inStore(ref)).isEqualTo(newer.reveal());
        assertThat(store.writes).hasValue(writes);
        assertThat(events).containsExactly("failed, retry in 1 s", "written @2");
    }

    @Test
    void schedulerThatRefusesTheRetryLeavesTheTokenHeldForTheNextWrite() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = new RefreshTokenWriteBack("test", vault, ref, null, (task, delay) -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }, BACKOFF, event -> event.accept(recorder));
        writeBack.adopt(vault.resolve(ref));
        Secret rotated = Canary.secret("blg_oauth_rt_");

        store.delegate.down(true);
        // The refresh that received the token must not fail because its write-back could not be retried.
        writeBack.keep(rotated);
        assertThat(writeBack.held()).isEqualTo(rotated);
        assertThat(writeBack.unwritten()).isTrue();

        store.delegate.down(false);
        writeBack.close();
        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
    }

    @Test
    void closeWritesAPendingTokenAndCancelsItsRetry() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        Secret rotated = Canary.secret("blg_oauth_rt_");
        store.delegate.down(true);
        writeBack.keep(rotated);
        store.delegate.down(false);

        writeBack.close();

        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
        assertThat(writeBack.unwritten()).isFalse();
        scheduler.assertNoMoreTasks();
        assertThat(events).containsExactly("failed, retry in 1 s", "written @2");
    }

    @Test
    void closeWithTheStoreStillDownKeepsNothingScheduledAndWritesNothingAfter() {
        CredentialRef ref = stored("rt");
        String initial = inStore(ref);
        RefreshTokenWriteBack writeBack = writeBack(ref);
        store.delegate.down(true);
        writeBack.keep(Canary.secret("blg_oauth_rt_"));

        writeBack.close();
        scheduler.assertNoMoreTasks();
        store.delegate.down(false);
        writeBack.keep(Canary.secret("blg_oauth_rt_"));

        assertThat(inStore(ref)).isEqualTo(initial);
        assertThat(writeBack.unwritten()).isTrue();
        scheduler.assertNoMoreTasks();
        assertThat(events).containsExactly("failed, retry in 1 s");
    }

    @Test
    void closeDuringAWriteWaitsForItAndDoesNotWriteAgain() throws Exception {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        Secret rotated = Canary.secret("blg_oauth_rt_");
        store.entered = new CountDownLatch(1);
        store.release = new CountDownLatch(1);

        Future<?> writing = threads.submit(() -> writeBack.keep(rotated));
        assertThat(store.entered.await(30, TimeUnit.SECONDS)).isTrue();
        Thread[] closer = new Thread[1];
        Future<?> closing = threads.submit(() -> {
            closer[0] = Thread.currentThread();
            writeBack.close();
        });
        // close() waits for the write in progress.
        while (closer[0] == null || closer[0].getState() != Thread.State.BLOCKED) {
            assertThat(closing.isDone()).isFalse();
            Thread.onSpinWait();
        }
        store.release.countDown();
        writing.get(30, TimeUnit.SECONDS);
        closing.get(30, TimeUnit.SECONDS);

        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
        assertThat(store.writes).hasValue(1);
        assertThat(events).containsExactly("written @2");
    }

    @Test
    void forgettingDropsOnlyATokenAlreadyWritten() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        writeBack.forgetIfWritten();
        assertThat(writeBack.held()).isNull();

        writeBack.adopt(vault.resolve(ref));
        Secret rotated = Canary.secret("blg_oauth_rt_");
        store.delegate.down(true);
        writeBack.keep(rotated);
        writeBack.forgetIfWritten();
        assertThat(writeBack.held()).isEqualTo(rotated);
    }

    @Test
    void newerTokenFromTheStoreReplacesTheHeldOneAndIsTheBaseOfTheNextWrite() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        String theirs = Canary.value("blg_oauth_rt_");
        store.delegate.write(ref, Secret.of(theirs), Optional.empty());

        writeBack.useStored(store.delegate.load(ref));
        assertThat(writeBack.held().reveal()).isEqualTo(theirs);
        Secret rotated = Canary.secret("blg_oauth_rt_");
        writeBack.keep(rotated);

        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
        assertThat(events).containsExactly("written @3");
    }

    @Test
    void readTokenIsAdoptedOnlyWhenNoneIsHeld() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack writeBack = new RefreshTokenWriteBack("test", vault, ref, null, scheduler, BACKOFF,
                event -> event.accept(recorder));
        VersionedSecret read = vault.resolve(ref);
        assertThat(writeBack.adopt(read)).isEqualTo(read.secret());
        Secret rotated = Canary.secret("blg_oauth_rt_");
        writeBack.keep(rotated);

        assertThat(writeBack.adopt(read)).isEqualTo(rotated);
        assertThat(writeBack.held()).isEqualTo(rotated);
    }

    @Test
    void conflictsThatKeepComingAreMergedAFewTimesThenRetriedLater() {
        CredentialRef whole = store.delegate.put("bigledger", Secret.of("{\"refresh_token\":\""
                + Canary.value("blg_oauth_rt_") + "\"}"));
        CredentialRef ref = whole.withField("refresh_token");
        RefreshTokenWriteBack writeBack = writeBack(ref);
        store.otherField = whole.withField("client_secret");
        Secret rotated = Canary.secret("blg_oauth_rt_");

        writeBack.keep(rotated);

        assertThat(store.writes).hasValue(1 + RefreshTokenWriteBack.MAX_MERGES);
        assertThat(writeBack.unwritten()).isTrue();
        assertThat(events).containsExactly("failed, retry in 1 s");

        store.otherField = null;
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(inStore(ref)).isEqualTo(rotated.reveal());
        // Version 1, then one change of the other field before each of the 6 writes, then ours.
        assertThat(events).containsExactly("failed, retry in 1 s", "merged @8");
    }

    @Test
    void closeWarnsOnlyWhenARotatedTokenIsLeftUnwritten() {
        CredentialRef ref = stored("rt");
        RefreshTokenWriteBack written = writeBack(ref);
        written.keep(Canary.secret("blg_oauth_rt_"));
        RefreshTokenWriteBack unwritten = writeBack(stored("rt2"));
        store.delegate.down(true);
        unwritten.keep(Canary.secret("blg_oauth_rt_"));

        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        java.io.PrintStream originalErr = System.err;
        System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            written.close();
            assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("closed while");
            unwritten.close();
            assertThat(log.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .contains("closed while the rotated refresh token was not yet written back to mem:rt2");
        } finally {
            System.setErr(originalErr);
        }
    }
}
