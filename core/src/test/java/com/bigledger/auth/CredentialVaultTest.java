package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialVaultTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration MAX_STALE = Duration.ofMinutes(15);

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
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

    private CredentialVault.Builder builder() {
        return CredentialVault.builder()
                .source(store)
                .discoverSources(false)
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0)
                .ttl(TTL)
                .maxStale(MAX_STALE)
                .backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    /** Gets a handle's value on another thread while this one runs the fake scheduler's due work. */
    private Secret getLoading(CredentialHandle handle) throws Exception {
        Future<Secret> value = threads.submit(() -> handle.get());
        return scheduler.runUntilDone(value);
    }

    @Test
    void handleResolvesThroughItsSourceAndIsSharedForEqualReferences() throws Exception {
        Secret key = Canary.secret("blg_test_sk_");
        CredentialRef ref = store.put("api-key", key);
        vault = builder().build();

        CredentialHandle handle = vault.handle(ref);
        assertThat(vault.handle(CredentialRef.parse(ref.toString()))).isSameAs(handle);
        assertThat(getLoading(handle)).isEqualTo(key);
        assertThat(handle.versioned().version()).contains("1");
        assertThat(handle.resolvedRef()).isEqualTo(ref);
        assertThat(handle.toString()).doesNotContain(key.reveal());
    }

    @Test
    void loadListenersHearEachStoreReadOfAChainWithItsVersionOrFailureUntilRemoved() throws Exception {
        CredentialRef missing = CredentialRef.parse("mem:absent");
        CredentialRef ref = store.put("api-key", Canary.secret("blg_live_sk_"));
        vault = builder().build();
        List<String> heard = new CopyOnWriteArrayList<>();
        AutoCloseable registration = vault.addListener(new CredentialLoadListener() {
            @Override
            public void loaded(CredentialRef r, Optional<String> version, Duration took) {
                heard.add("loaded " + r + " " + version.orElse("-") + (took.isNegative() ? " negative" : ""));
            }

            @Override
            public void loadFailed(CredentialRef r, CredentialException failure, Duration took) {
                heard.add("failed " + r + " " + failure.getClass().getSimpleName());
            }
        });

        getLoading(vault.handle(List.of(missing, ref)));

        assertThat(heard).containsExactly("failed mem:absent CredentialNotFoundException", "loaded " + ref + " 1");
        registration.close();
        vault.invalidate(ref);
        getLoading(vault.handle(List.of(missing, ref)));
        assertThat(heard).hasSize(2);
    }

    @Test
    void fiveHundredTwelveThreadsResolvingOneColdReferenceCauseOneLoad() throws Exception {
        CredentialRef ref = store.put("api-key", Canary.secret("blg_live_sk_"));
        vault = builder().build();
        CredentialHandle handle = vault.handle(ref);

        int callers = 512;
        List<Future<Secret>> results = Callers.startAll(threads, callers, () -> vault.handle(ref).get());
        scheduler.awaitQueued(1);
        scheduler.runDue();
        Secret first = results.get(0).get(30, TimeUnit.SECONDS);
        for (Future<Secret> result : results) {
            assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(store.loads()).isEqualTo(1);
        assertThat(handle.get(Duration.ZERO)).isSameAs(first);
    }

    @Test
    void valueIsReloadedInTheBackgroundAfterItsTtlAndListenersSeeARotation() throws Exception {
        CredentialRef ref = store.put("api-key", Canary.secret("blg_live_sk_"));
        vault = builder().build();
        CredentialHandle handle = vault.handle(ref);
        getLoading(handle);
        List<VersionedSecret> changes = new CopyOnWriteArrayList<>();
        handle.onChange((changedRef, current) -> changes.add(current));

        scheduler.advance(TTL);
        assertThat(store.loads()).isEqualTo(2);
        assertThat(changes).isEmpty();

        Secret rotated = Canary.secret("blg_live_sk_");
        store.put("api-key", rotated);
        assertThat(handle.get(Duration.ZERO)).isNotEqualTo(rotated);
        scheduler.advance(TTL);
        assertThat(handle.get(Duration.ZERO)).isEqualTo(rotated);
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).version()).contains("2");
    }

    @Test
    void failingStoreKeepsTheLastGoodValueUntilTheStaleBoundThenRaisesTheTypedError() throws Exception {
        Secret key = Canary.secret("blg_live_sk_");
        CredentialRef ref = store.put("api-key", key);
        vault = builder().build();
        CredentialHandle handle = vault.handle(ref);
        getLoading(handle);

        store.down(true);
        scheduler.advance(TTL);
        assertThat(handle.get(Duration.ZERO)).isEqualTo(key);
        for (long second = 1; second < MAX_STALE.toSeconds(); second++) {
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(handle.get(Duration.ZERO)).isEqualTo(key);
        }
        int attempts = store.loads();

        scheduler.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> handle.get(Duration.ZERO))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageStartingWith(ref.toString());
        // Backoff of 1 s doubling to a 1 minute cap over 15 minutes: far fewer attempts than seconds.
        assertThat(attempts).isBetween(15, 30);

        store.down(false);
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(handle.get(Duration.ZERO)).isEqualTo(key);
    }

    @Test
    void missingSecretIsATypedErrorNamingTheReferenceNotTheValue() throws Exception {
        vault = builder().build();
        CredentialRef ref = CredentialRef.of("mem", "nothing-here");
        CredentialHandle handle = vault.handle(ref);
        assertThatThrownBy(() -> getLoading(handle))
                .hasCauseInstanceOf(CredentialNotFoundException.class)
                .cause().hasMessageContaining("mem:nothing-here");
        assertThatThrownBy(() -> handle.get(Duration.ZERO)).isInstanceOf(CredentialNotFoundException.class);
    }

    @Test
    void chainTakesTheFirstReferenceThatResolves() throws Exception {
        Secret key = Canary.secret("blg_test_sk_");
        CredentialRef second = store.put("second", key);
        vault = builder().build();
        CredentialHandle handle = vault.handle(List.of(CredentialRef.of("mem", "first"), second));
        assertThat(getLoading(handle)).isEqualTo(key);
        assertThat(handle.resolvedRef()).isEqualTo(second);
    }

    @Test
    void chainThatFailsEverywhereReportsEveryFailureTogether() throws Exception {
        vault = builder().build();
        CredentialHandle handle = vault.handle(List.of(CredentialRef.of("mem", "first"),
                CredentialRef.parse("nosuch:thing"), CredentialRef.of("mem", "third")));
        assertThatThrownBy(() -> getLoading(handle))
                .cause()
                .isInstanceOf(CredentialChainException.class)
                .hasMessageContaining("No reference of the chain [mem:first, nosuch:thing, mem:third] resolved: ")
                .hasMessageContaining("mem:first")
                .hasMessageContaining("nosuch:thing")
                .hasMessageContaining("mem:third")
                .satisfies(e -> assertThat(((CredentialChainException) e).failures()).hasSize(3));
    }

    @Test
    void chainStopsAtAnOutageInsteadOfSwitchingCredentials() throws Exception {
        store.put("first", Canary.secret(""));
        store.down(true);
        InMemoryCredentialSource backup = new InMemoryCredentialSource("backup");
        CredentialRef backupRef = backup.put("key", Canary.secret(""));
        vault = builder().source(backup).build();
        CredentialHandle handle = vault.handle(List.of(CredentialRef.of("mem", "first"), backupRef));
        assertThatThrownBy(() -> handle.get(Duration.ZERO)).isInstanceOf(SourceUnavailableException.class);
        scheduler.runDue();
        assertThatThrownBy(() -> handle.get(Duration.ZERO))
                .isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("no value within 0ms; last failure: No reference of the chain [mem:first, backup:key] "
                        + "resolved (stopped at a failure that is not a missing secret): mem:first: the in-memory store is down")
                .cause()
                .isInstanceOf(CredentialChainException.class)
                .satisfies(e -> assertThat(((CredentialChainException) e).retryable()).isTrue());
        assertThat(backup.loads()).isZero();
    }

    @Test
    void invalidateDropsTheValueAndReloadsOnce() throws Exception {
        CredentialRef ref = store.put("api-key", Canary.secret("blg_live_sk_"));
        vault = builder().build();
        CredentialHandle handle = vault.handle(ref);
        CredentialHandle field = vault.handle(ref.withField("unused"));
        getLoading(handle);

        Secret rotated = Canary.secret("blg_live_sk_");
        store.put("api-key", rotated);
        assertThat(vault.invalidate(ref)).isEqualTo(2);
        assertThatThrownBy(() -> handle.get(Duration.ZERO)).hasMessageContaining("no value within 0ms");
        scheduler.runDue();
        assertThat(handle.get(Duration.ZERO)).isEqualTo(rotated);
        assertThat(store.loads()).isEqualTo(3);
        assertThat(field.refs()).containsExactly(ref.withField("unused"));
    }

    @Test
    void writeWithTheExpectedVersionSucceedsAndRefreshesHandles() throws Exception {
        CredentialRef ref = store.put("token", Canary.secret("blg_oauth_rt_"));
        vault = builder().build();
        CredentialHandle handle = vault.handle(ref);
        getLoading(handle);

        Secret rotated = Canary.secret("blg_oauth_rt_");
        WriteResult result = vault.write(ref, rotated, Optional.of("1"));
        assertThat(result.isWritten()).isTrue();
        assertThat(result.version()).contains("2");
        scheduler.runDue();
        assertThat(handle.get(Duration.ZERO)).isEqualTo(rotated);

        WriteResult stale = vault.write(ref, Canary.secret("blg_oauth_rt_"), Optional.of("1"));
        assertThat(stale.isConflict()).isTrue();
        assertThat(stale.version()).contains("2");
        scheduler.runDue();
        assertThat(handle.get(Duration.ZERO)).isEqualTo(rotated);
    }

    @Test
    void writeToAReadOnlySourceIsATypedError() {
        CredentialSource readOnly = new CredentialSource() {
            @Override
            public String scheme() {
                return "ro";
            }

            @Override
            public VersionedSecret load(CredentialRef ref) {
                throw new CredentialNotFoundException(ref, "empty");
            }
        };
        vault = builder().source(readOnly).build();
        assertThatThrownBy(() -> vault.write(CredentialRef.of("ro", "x"), Canary.secret(""), Optional.empty()))
                .isInstanceOf(CredentialException.class)
                .hasMessage("ro:x: the 'ro' store is read-only")
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION))
                .satisfies(e -> assertThat(((CredentialException) e).retryable()).isFalse());
    }

    @Test
    void unknownSchemeIsRefusedWithTheAvailableSchemesAndHowToAddOne() {
        vault = builder().build();
        assertThatThrownBy(() -> vault.handle(CredentialRef.parse("aws-sm:prod/bigledger")))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION))
                .hasMessageContaining("aws-sm:prod/bigledger")
                .hasMessageContaining("available: mem")
                .hasMessageContaining("class path");
    }

    @Test
    void optionTheSourceDoesNotSupportIsRefusedWithItsPosition() {
        vault = builder().build();
        assertThatThrownBy(() -> vault.handle(CredentialRef.parse("mem:x?version=2&colour=red")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid credential reference 'mem:x?version=***&***=***' at position 16: the 'mem' "
                        + "store does not support the option there (supported: version)");
    }

    @Test
    void optionSetTwiceFailsAtOnceWithTheValue() {
        assertThatThrownBy(() -> CredentialVault.builder().ttl(TTL).ttl(Duration.ofMinutes(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'ttl'")
                .hasMessageContaining("PT1M");
        assertThatThrownBy(() -> CredentialVault.builder().source(store).source(new InMemoryCredentialSource("mem")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'mem'");
    }

    public static final class FirstProvider implements CredentialSourceProvider {
        static final AtomicInteger CREATED = new AtomicInteger();
        static final List<InMemoryCredentialSource> SOURCES = new CopyOnWriteArrayList<>();

        @Override
        public String scheme() {
            return "disc";
        }

        @Override
        public CredentialSource create() {
            CREATED.incrementAndGet();
            InMemoryCredentialSource source = new InMemoryCredentialSource("disc");
            SOURCES.add(source);
            return source;
        }
    }

    public static final class SecondProvider implements CredentialSourceProvider {
        @Override
        public String scheme() {
            return "disc";
        }

        @Override
        public CredentialSource create() {
            return new InMemoryCredentialSource("disc");
        }
    }

    private static ClassLoader providers(Path dir, Class<?>... classes) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        List<String> names = new ArrayList<>();
        for (Class<?> type : classes) {
            names.add(type.getName());
        }
        Files.write(services.resolve(CredentialSourceProvider.class.getName()), names);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, CredentialVaultTest.class.getClassLoader());
    }

    @Test
    void discoveredProviderIsCreatedLazilyAndClosedWithTheVault(@TempDir Path dir) throws Exception {
        CredentialVault discovered = CredentialVault.builder()
                .classLoader(providers(dir, FirstProvider.class))
                .clock(clock)
                .scheduler(scheduler)
                .build();
        int before = FirstProvider.CREATED.get();
        assertThat(discovered.schemes()).contains("disc");
        assertThat(FirstProvider.CREATED.get()).isEqualTo(before);

        discovered.handle(CredentialRef.parse("disc:x"));
        assertThat(FirstProvider.CREATED.get()).isEqualTo(before + 1);
        InMemoryCredentialSource created = FirstProvider.SOURCES.get(FirstProvider.SOURCES.size() - 1);
        discovered.close();
        assertThat(created.closed()).isTrue();
    }

    @Test
    void twoDiscoveredProvidersForOneSchemeFailAtBuildWithHowToChoose(@TempDir Path dir) throws Exception {
        ClassLoader loader = providers(dir, FirstProvider.class, SecondProvider.class);
        assertThatThrownBy(() -> CredentialVault.builder().classLoader(loader).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'disc'")
                .hasMessageContaining(FirstProvider.class.getName())
                .hasMessageContaining(SecondProvider.class.getName())
                .hasMessageContaining("CredentialVault.builder().source(...)");
    }

    @Test
    void explicitSourceWinsOverDiscoveredProviders(@TempDir Path dir) throws Exception {
        InMemoryCredentialSource explicit = new InMemoryCredentialSource("disc");
        Secret key = Canary.secret("");
        CredentialRef ref = explicit.put("x", key);
        vault = CredentialVault.builder()
                .classLoader(providers(dir, FirstProvider.class, SecondProvider.class))
                .source(explicit)
                .clock(clock)
                .scheduler(scheduler)
                .build();
        assertThat(getLoading(vault.handle(ref))).isEqualTo(key);
        vault.close();
        assertThat(explicit.closed()).isFalse();
    }
}
