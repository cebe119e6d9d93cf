package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a {@link CredentialException}'s kind says, and the kinds the vault itself gives. */
class CredentialExceptionTest {

    private static final CredentialRef REF = CredentialRef.parse("mem:prod/bigledger#client_secret");

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private CredentialVault vault;

    @AfterEach
    void close() throws InterruptedException {
        if (vault != null) {
            vault.close();
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    /** Gets a handle's value on another thread while this one runs the fake scheduler's due work. */
    private Secret getLoading(CredentialHandle handle) throws Exception {
        Future<Secret> value = threads.submit(() -> handle.get());
        return scheduler.runUntilDone(value);
    }

    @Test
    void accessDeniedIsAPlainCredentialExceptionThatIsNotRetryable() {
        IOException cause = new IOException("HTTP 403");
        CredentialException e = new CredentialException(Kind.ACCESS_DENIED, REF, "the token lacks 'read'", cause);

        assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(e.retryable()).isFalse();
        assertThat(e.ref()).isEqualTo(REF);
        assertThat(e).hasMessage(REF + ": the token lacks 'read'").hasCause(cause);
    }

    @Test
    void invalidIsAPlainCredentialExceptionThatIsNotRetryable() {
        CredentialException e = new CredentialException(Kind.INVALID, REF, "the stored value is not a JSON object",
                null);

        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessage(REF + ": the stored value is not a JSON object").hasNoCause();
    }

    @Test
    void configurationIsAPlainCredentialExceptionThatIsNotRetryable() {
        CredentialException e = new CredentialException(Kind.CONFIGURATION, REF, "no region is configured", null);

        assertThat(e.kind()).isEqualTo(Kind.CONFIGURATION);
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessage(REF + ": no region is configured");
    }

    @Test
    void notFoundIsACredentialNotFoundExceptionThatIsNotRetryable() {
        CredentialException e = new CredentialNotFoundException(REF, "no such secret");

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessage(REF + ": no such secret").hasNoCause();
    }

    @Test
    void unavailableIsASourceUnavailableExceptionAndTheOnlyRetryableKind() {
        IOException cause = new IOException("connection refused");
        CredentialException e = new SourceUnavailableException(REF, "the store could not be reached", cause);

        assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessage(REF + ": the store could not be reached").hasCause(cause);
        for (Kind kind : List.of(Kind.ACCESS_DENIED, Kind.INVALID, Kind.CONFIGURATION)) {
            assertThat(new CredentialException(kind, REF, "detail", null).retryable()).as(kind.name()).isFalse();
        }
    }

    @Test
    void theKindsWithAClassOfTheirOwnAreRefusedToAnyOtherClass() {
        assertThatThrownBy(() -> new CredentialException(Kind.NOT_FOUND, REF, "no such secret", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CredentialNotFoundException");
        assertThatThrownBy(() -> new CredentialException(Kind.UNAVAILABLE, REF, "down", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SourceUnavailableException");
        assertThatThrownBy(() -> new CredentialException(null, REF, "detail", null))
                .isInstanceOf(NullPointerException.class).hasMessage("kind");
    }

    @Test
    void aStoresOwnSubclassCarriesTheKindItGives() {
        class LockedException extends CredentialException {
            private static final long serialVersionUID = 1L;

            LockedException(CredentialRef ref) {
                super(Kind.ACCESS_DENIED, ref, "the store is locked", null);
            }
        }

        CredentialException e = new LockedException(REF);

        assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessage(REF + ": the store is locked");
    }

    @Test
    void aSchemeWithNoSourceIsAConfigurationProblem() {
        vault = builder().build();

        assertThatThrownBy(() -> vault.handle(CredentialRef.parse("nosuch:thing")))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION))
                .satisfies(e -> assertThat(((CredentialException) e).ref().scheme()).isEqualTo("nosuch"))
                .hasMessageContaining("no credential source for scheme 'nosuch' (available: mem)");
        assertThatThrownBy(() -> vault.read(CredentialRef.parse("nosuch:thing")))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION));
        assertThatThrownBy(() -> vault.handle(List.of(CredentialRef.parse("nosuch:a"),
                CredentialRef.parse("other:b"))))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION))
                .hasMessageStartingWith("nosuch:a: ");
    }

    @Test
    void aChainPassesOverASchemeWithNoSourceButStopsAtAStoreSetUpWrong() throws Exception {
        CredentialSource misconfigured = new CredentialSource() {
            @Override
            public String scheme() {
                return "locked";
            }

            @Override
            public VersionedSecret load(CredentialRef ref) {
                throw new CredentialException(Kind.CONFIGURATION, ref, "no passphrase is set", null);
            }
        };
        InMemoryCredentialSource backup = new InMemoryCredentialSource("mem");
        Secret key = Canary.secret("blg_test_sk_");
        CredentialRef backupRef = backup.put("key", key);
        List<String> heard = new CopyOnWriteArrayList<>();
        vault = builder(backup).source(misconfigured).build();
        vault.addListener(new CredentialLoadListener() {
            @Override
            public void loadFailed(CredentialRef ref, CredentialException failure, Duration took) {
                heard.add(ref + " " + failure.kind());
            }
        });

        CredentialHandle passes = vault.handle(List.of(CredentialRef.parse("nosuch:thing"), backupRef));
        assertThat(getLoading(passes)).isEqualTo(key);
        assertThat(heard).containsExactly("nosuch:thing CONFIGURATION");

        CredentialHandle stops = vault.handle(List.of(CredentialRef.parse("locked:thing"), backupRef));
        assertThatThrownBy(() -> getLoading(stops))
                .cause()
                .isInstanceOf(CredentialChainException.class)
                .hasMessageContaining("stopped at a failure that is not a missing secret")
                .hasMessageContaining("locked:thing: no passphrase is set")
                .satisfies(e -> assertThat(((CredentialChainException) e).retryable()).isFalse());
        assertThat(heard).containsExactly("nosuch:thing CONFIGURATION", "locked:thing CONFIGURATION");
        assertThat(backup.loads()).isEqualTo(1);
    }

    private CredentialVault.Builder builder() {
        return builder(new InMemoryCredentialSource("mem"));
    }

    private CredentialVault.Builder builder(InMemoryCredentialSource store) {
        return CredentialVault.builder()
                .source(store)
                .discoverSources(false)
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0);
    }
}
