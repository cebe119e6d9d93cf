package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A {@link CredentialVault} in front of the Vault store: cached reads, and a rotation picked up without a restart. */
class VaultRotationTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final CredentialRef REF = CredentialRef.parse("vault:secret/bigledger#api_key");

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final VaultHttpDouble vault = VaultHttpDouble.start(clock);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private VaultCredentialSource source;
    private CredentialVault credentials;

    @AfterEach
    void stop() throws InterruptedException {
        if (credentials != null) {
            credentials.close();
        }
        if (source != null) {
            source.close();
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        vault.close();
    }

    /** Runs {@code work} on another thread while this one runs the fake scheduler's due work. */
    private <T> T whileRunningDueWork(java.util.concurrent.Callable<T> work) throws Exception {
        Future<T> result = threads.submit(work);
        return scheduler.runUntilDone(result);
    }

    @Test
    void rotationInVaultIsPickedUpByTheCredentialVaultWithoutARestart() throws Exception {
        Secret first = Canary.secret("blg_live_sk_");
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", first.reveal()));
        // A token that never expires, so that the only background work is the credential vault's.
        String token = vault.root().issueToken(Duration.ZERO, Duration.ZERO, false, "bigledger-read");
        source = TestVaults.builder(vault).clock(clock).scheduler(scheduler)
                .authentication(VaultAuthentication.token(Secret.of(token))).build();
        whileRunningDueWork(() -> source.load(REF));
        credentials = CredentialVault.builder().source(source).discoverSources(false).clock(clock)
                .scheduler(scheduler).ttl(TTL).jitter(0).build();
        CredentialHandle handle = credentials.handle(REF);
        Secret loaded = whileRunningDueWork(() -> handle.get());
        assertThat(loaded).isEqualTo(first);
        List<VersionedSecret> changes = new CopyOnWriteArrayList<>();
        handle.onChange((ref, current) -> changes.add(current));
        int requests = vault.requests().size();

        for (int i = 0; i < 100; i++) {
            assertThat(handle.get(Duration.ZERO)).isEqualTo(first);
        }
        assertThat(vault.requests()).hasSize(requests);

        Secret rotated = Canary.secret("blg_live_sk_");
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", rotated.reveal()));
        assertThat(handle.get(Duration.ZERO)).isEqualTo(first);
        scheduler.advance(TTL);

        assertThat(handle.get(Duration.ZERO)).isEqualTo(rotated);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).version()).contains("2");
    }

    @Test
    void writeThroughTheCredentialVaultChecksTheVersionAndRefreshesTheHandle() throws Exception {
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", Canary.value("blg_live_sk_")));
        String token = vault.root().issueToken(Duration.ZERO, Duration.ZERO, false, "bigledger-write");
        source = TestVaults.builder(vault).clock(clock).scheduler(scheduler)
                .authentication(VaultAuthentication.token(Secret.of(token))).build();
        whileRunningDueWork(() -> source.load(REF));
        credentials = CredentialVault.builder().source(source).discoverSources(false).clock(clock)
                .scheduler(scheduler).ttl(TTL).build();
        CredentialHandle handle = credentials.handle(REF);
        whileRunningDueWork(() -> handle.get());
        String read = handle.versioned().version().orElseThrow();

        Secret rotated = Canary.secret("blg_live_sk_");
        assertThat(credentials.write(REF, rotated, Optional.of(read)).isWritten()).isTrue();
        scheduler.runDue();
        assertThat(credentials.write(REF, Canary.secret("blg_live_sk_"), Optional.of(read)).isConflict()).isTrue();

        assertThat(handle.get(Duration.ZERO)).isEqualTo(rotated);
        assertThat(handle.versioned().version()).contains("2");
    }
}
