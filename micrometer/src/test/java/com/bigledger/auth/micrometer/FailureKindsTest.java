package com.bigledger.auth.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialChainException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The {@code kind} tag of a failed load, from the failure's kind: the tag values are those of earlier versions. */
class FailureKindsTest {

    private static final CredentialRef REF = CredentialRef.parse("mem:bigledger/api_key");

    @Test
    void eachKindOfLoadFailureHasItsTag() {
        assertThat(FailureKinds.ofLoad(new CredentialNotFoundException(REF, "absent"), true)).isEqualTo("not_found");
        assertThat(FailureKinds.ofLoad(new SourceUnavailableException(REF, "down", null), true))
                .isEqualTo("unavailable");
        assertThat(FailureKinds.ofLoad(new CredentialException(Kind.ACCESS_DENIED, REF, "refused", null), true))
                .isEqualTo("access_denied");
        assertThat(FailureKinds.ofLoad(new CredentialException(Kind.INVALID, REF, "not JSON", null), true))
                .isEqualTo("invalid");
        assertThat(FailureKinds.ofLoad(new CredentialException(Kind.CONFIGURATION, REF, "no region", null), true))
                .isEqualTo("other");
        assertThat(FailureKinds.ofLoad(new CredentialException(Kind.CONFIGURATION, REF, "no source", null), false))
                .isEqualTo("no_source");
        assertThat(FailureKinds.ofRefresh(new CredentialException(Kind.ACCESS_DENIED, REF, "refused", null)))
                .isEqualTo("store");
    }

    @Test
    void aSchemeWithNoSourceIsCountedAsNoSourceAndAStoreSetUpWrongAsOther() throws Exception {
        FakeClock clock = new FakeClock();
        FakeScheduler scheduler = new FakeScheduler(clock);
        CredentialSource misconfigured = new CredentialSource() {
            @Override
            public String scheme() {
                return "mem";
            }

            @Override
            public VersionedSecret load(CredentialRef ref) {
                throw new CredentialException(Kind.CONFIGURATION, ref, "no passphrase is set", null);
            }
        };
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutorService threads = Executors.newCachedThreadPool();
        try (CredentialVault vault = CredentialVault.builder().source(misconfigured).discoverSources(false)
                .clock(clock).scheduler(scheduler).build();
             CredentialVaultMetrics metrics = CredentialVaultMetrics.of(vault, "bigledger")) {
            metrics.bindTo(registry);

            assertThatThrownBy(() -> scheduler.runUntilDone(threads.submit(() -> vault.handle(List.of(
                    CredentialRef.parse("nosuch:x"), REF)).get(Duration.ofSeconds(30)))))
                    .cause().isInstanceOf(CredentialChainException.class);

            assertThat(registry.get("bigledger.auth.credential.load.failures").tags("scheme", "nosuch", "kind",
                    "no_source").counter().count()).isEqualTo(1);
            assertThat(registry.get("bigledger.auth.credential.load.failures").tags("scheme", "mem", "kind",
                    "other").counter().count()).isEqualTo(1);
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
