package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Scheduler;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of token login, renewal and re-login share: the Vault double on a fake clock holding an API key at
 * {@link #REF}, a fake scheduler that runs the source's background work (counted, so that a test can wait for a login
 * to be queued), a store for AppRole secret ids, and threads for reads that wait for a login.
 */
abstract class VaultTokenFixture {

    static final CredentialRef REF = CredentialRef.parse("vault:secret/bigledger#api_key");
    static final Duration HOUR = Duration.ofHours(1);

    final FakeClock clock = new FakeClock();
    final FakeScheduler scheduler = new FakeScheduler(clock);
    final CountingScheduler counting = new CountingScheduler();
    final VaultHttpDouble vault = VaultHttpDouble.start(clock);
    final ExecutorService threads = Executors.newCachedThreadPool();
    final InMemoryCredentialSource secretIds = new InMemoryCredentialSource("mem");
    final Secret apiKey = Canary.secret("blg_live_sk_");
    VaultCredentialSource source;

    @AfterEach
    void stopVault() throws InterruptedException {
        if (source != null) {
            source.close();
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        vault.close();
    }

    /** Puts the API key in Vault and builds the source, on the fake clock and the counting scheduler. */
    VaultCredentialSource build(VaultAuthentication authentication) {
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal()));
        source = TestVaults.builder(vault).clock(clock).scheduler(counting).authentication(authentication).build();
        return source;
    }

    /** Reads on another thread while this one runs the login (or lookup) the read waits for. */
    VersionedSecret loadWaitingForAToken() throws Exception {
        return startLoadWaitingForAToken().get(30, TimeUnit.SECONDS);
    }

    /** Starts a read on another thread and runs the login (or lookup) it waits for; the read may still be running. */
    Future<VersionedSecret> startLoadWaitingForAToken() throws InterruptedException {
        int started = counting.immediate();
        Future<VersionedSecret> read = threads.submit(() -> source.load(REF));
        counting.awaitImmediate(started + 1);
        scheduler.runDue();
        return read;
    }

    /**
     * The fake scheduler, counting the work handed to it to run at once (a login the reads wait for), so that a test
     * can wait for it to be queued even when a timer was cancelled meanwhile.
     */
    final class CountingScheduler implements Scheduler {
        private int immediate;

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            Cancellable cancellable = scheduler.schedule(task, delay);
            if (delay.isZero() || delay.isNegative()) {
                synchronized (this) {
                    immediate++;
                    notifyAll();
                }
            }
            return cancellable;
        }

        synchronized int immediate() {
            return immediate;
        }

        synchronized void awaitImmediate(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (immediate < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " tasks to run at once, had " + immediate);
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }
}
