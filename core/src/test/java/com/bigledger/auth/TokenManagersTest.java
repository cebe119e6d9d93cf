package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tenant registry: managers made on first use from a template, single flight per key, idle and LRU eviction. */
class TokenManagersTest {

    private static final String PATTERN = "mem:tenants/{tenant}/bigledger";

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
    /** On the real clock and scheduler: it loads while a manager's load runs on the fake scheduler's thread. */
    private final CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("tenants")
            .clientSecret(Canary.secret("cs_")).allowInsecureLoopback(true).build();
    private TokenManagers registry;

    @AfterEach
    void stop() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
        vault.close();
        endpoint.close();
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private TokenManagers.Builder records() {
        return TokenManagers.builder()
                .client(client)
                .tokenRecord(vault, PATTERN)
                .clock(clock)
                .scheduler(scheduler)
                .addListener(new TokenManagersListener() {
                    @Override
                    public void managerCreated(String tenant) {
                        events.add("created " + tenant);
                    }

                    @Override
                    public void managerEvicted(String tenant, Eviction cause) {
                        events.add("evicted " + tenant + " " + cause);
                    }

                    @Override
                    public void managerClosed(String tenant, Duration took) {
                        events.add("closed " + tenant);
                    }
                });
    }

    /** Stores a record for {@code tenant} holding a valid access token, and returns that token. */
    private String storeRecord(String tenant) {
        String access = Canary.value("blg_oauth_at_");
        Instant now = clock.instant();
        store.put("tenants/" + tenant + "/bigledger", new TokenRecord(1, Canary.secret("blg_oauth_rt_"),
                Secret.of(access), now, now.plus(Duration.ofHours(1)), Set.of("read:accounts"), null).encode());
        return access;
    }

    private AccessToken token(String tenant) throws Exception {
        Future<AccessToken> token = threads.submit(() -> registry.token(tenant));
        return scheduler.runUntilDone(token);
    }

    @Test
    void listenerThatBlocksHoldsUpNeitherGetNorAnotherTenant() throws Exception {
        storeRecord("a");
        storeRecord("b");
        CountDownLatch release = new CountDownLatch(1);
        registry = records().addListener(new TokenManagersListener() {
            @Override
            public void managerCreated(String tenant) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }).build();

        assertThat(threads.submit(() -> registry.get("a")).get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(threads.submit(() -> registry.get("b")).get(30, TimeUnit.SECONDS)).isNotNull();
        // The listeners are told later, in order, on the scheduler's worker: here, the thread that runs the tasks.
        assertThat(events).isEmpty();
        Future<Integer> drain = threads.submit(scheduler::runDue);
        release.countDown();
        drain.get(30, TimeUnit.SECONDS);
        assertThat(events).containsExactly("created a", "created b");
    }

    @Test
    void storedAccessTokenOfEachTenantIsAdoptedWithoutARequest() throws Exception {
        String acme = storeRecord("acme");
        String globex = storeRecord("globex-eu_2.prod");
        registry = records().build();

        assertThat(token("acme").reveal()).isEqualTo(acme);
        assertThat(token("globex-eu_2.prod").reveal()).isEqualTo(globex);
        assertThat(registry.get("acme")).isSameAs(registry.get("acme"));
        assertThat(registry.get("acme").toString()).contains("tenant acme");
        assertThat(endpoint.requestCount()).isZero();
        assertThat(events).containsExactly("created acme", "created globex-eu_2.prod");
        assertThat(registry.stats().created()).isEqualTo(2);
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void concurrentFirstUsesOfOneTenantCreateOneManager() throws Exception {
        storeRecord("acme");
        AtomicInteger creations = new AtomicInteger();
        CountDownLatch creating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        registry = records().configure((tenant, builder) -> {
            creations.incrementAndGet();
            creating.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).build();

        int callers = 16;
        CyclicBarrier start = new CyclicBarrier(callers);
        List<Thread> started = new ArrayList<>();
        List<Future<TokenManager>> got = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            got.add(threads.submit(() -> {
                synchronized (started) {
                    started.add(Thread.currentThread());
                }
                start.await(30, TimeUnit.SECONDS);
                return registry.get("acme");
            }));
        }
        assertThat(creating.await(30, TimeUnit.SECONDS)).isTrue();
        // Every other caller is waiting for the one creation before it is let go.
        awaitBlocked(started, callers - 1);
        release.countDown();

        TokenManager first = got.get(0).get(30, TimeUnit.SECONDS);
        for (Future<TokenManager> manager : got) {
            assertThat(manager.get(30, TimeUnit.SECONDS)).isSameAs(first);
        }
        assertThat(creations).hasValue(1);
        scheduler.runDue();
        assertThat(events).containsExactly("created acme");
    }

    /** Waits (bounded) until {@code count} of the threads are parked or blocked. */
    private static void awaitBlocked(List<Thread> threads, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long blocked;
            synchronized (threads) {
                blocked = threads.stream().filter(t -> t.getState() == Thread.State.WAITING
                        || t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.BLOCKED)
                        .count();
            }
            if (blocked >= count) {
                return;
            }
            assertThat(System.nanoTime()).as("callers blocked in time").isLessThan(deadline);
            Thread.yield();
        }
    }

    @Test
    void idleManagerIsClosedAfterWritingItsRotatedRefreshTokenBack() throws Exception {
        String first = Canary.value("blg_oauth_rt_");
        String rotated = Canary.value("blg_oauth_rt_");
        store.put("tenants/acme/bigledger", Secret.of(first));
        endpoint.dispatcher(request -> {
            // The store fails the write-back that follows: the rotated token is only in memory.
            store.down(true);
            return Response.token(Canary.value("blg_oauth_at_"), 3 * 3600, rotated);
        });
        registry = TokenManagers.builder()
                .client(client)
                .refreshToken(vault, PATTERN)
                .clock(clock)
                .scheduler(scheduler)
                .idleTimeout(Duration.ofMinutes(30))
                .addListener(new TokenManagersListener() {
                    @Override
                    public void managerEvicted(String tenant, Eviction cause) {
                        events.add("evicted " + tenant + " " + cause);
                        // The store is back as the idle manager is closed: its close writes the token.
                        store.down(false);
                    }

                    @Override
                    public void managerClosed(String tenant, Duration took) {
                        events.add("closed " + tenant);
                    }
                })
                .build();
        token("acme");
        TokenManager manager = registry.get("acme");
        assertThat(endpoint.requestCount()).isEqualTo(1);

        // Used 20 minutes in: not idle yet at 30.
        scheduler.advance(Duration.ofMinutes(20));
        registry.get("acme");
        scheduler.advance(Duration.ofMinutes(20));
        assertThat(events).isEmpty();
        assertThat(manager.state()).isNotEqualTo(TokenManager.State.CLOSED);

        // 30 minutes after its last use, within a sweep interval: evicted, closed, and the rotated token written.
        scheduler.advance(Duration.ofMinutes(10).plus(Duration.ofMinutes(30).dividedBy(4)));
        assertThat(events).containsExactly("evicted acme IDLE", "closed acme");
        assertThat(manager.state()).isEqualTo(TokenManager.State.CLOSED);
        assertThat(store.load(CredentialRef.parse("mem:tenants/acme/bigledger")).secret().reveal())
                .isEqualTo(rotated);
        assertThat(registry.size()).isZero();
        assertThat(registry.stats().evictedIdle()).isEqualTo(1);

        // The next use makes a new manager, which reads the token written back (past the vault's cached copy,
        // whose own refreshes failed while the store was down).
        vault.invalidate(CredentialRef.parse("mem:tenants/acme/bigledger"));
        endpoint.dispatcher(request -> Response.token(Canary.value("blg_oauth_at_"), 3600));
        token("acme");
        assertThat(registry.get("acme")).isNotSameAs(manager);
        assertThat(endpoint.requests().get(1).params()).containsEntry("refresh_token", rotated);
    }

    @Test
    void fullRegistryClosesTheLeastRecentlyUsedManager() throws Exception {
        for (String tenant : List.of("a", "b", "c")) {
            storeRecord(tenant);
        }
        registry = records().maximumSize(2).build();
        TokenManager a = registry.get("a");
        TokenManager b = registry.get("b");
        registry.get("a");

        TokenManager c = registry.get("c");
        scheduler.runDue();
        assertThat(events).containsExactly("created a", "created b", "evicted b SIZE", "created c", "closed b");
        assertThat(b.state()).isEqualTo(TokenManager.State.CLOSED);
        assertThat(a.state()).isNotEqualTo(TokenManager.State.CLOSED);
        assertThat(c.state()).isNotEqualTo(TokenManager.State.CLOSED);
        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.get("a")).isSameAs(a);
        assertThat(registry.stats().evictedSize()).isEqualTo(1);
        assertThat(registry.stats().closed()).isEqualTo(1);
    }

    @Test
    void tokenOfAnEvictedManagerIsReadThroughANewOne() throws Exception {
        String acme = storeRecord("acme");
        registry = records().build();
        TokenManager old = registry.get("acme");
        assertThat(registry.evict("acme")).isTrue();
        scheduler.runDue();
        assertThat(old.state()).isEqualTo(TokenManager.State.CLOSED);

        assertThat(token("acme").reveal()).isEqualTo(acme);
        assertThat(registry.get("acme")).isNotSameAs(old);
        assertThat(events).containsExactly("created acme", "evicted acme EXPLICIT", "closed acme", "created acme");
    }

    @Test
    void closedRegistryClosesItsManagersAndRefusesNewUses() throws Exception {
        storeRecord("acme");
        registry = records().build();
        TokenManager acme = registry.get("acme");

        registry.close();
        assertThat(acme.state()).isEqualTo(TokenManager.State.CLOSED);
        assertThat(events).containsExactly("created acme", "closed acme");
        assertThatThrownBy(() -> registry.get("acme")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> registry.get("other")).isInstanceOf(IllegalStateException.class);
        assertThat(scheduler.queued()).isEmpty();
    }

    @Test
    void tenantKeysThatAreNotIdentifiersAreRefusedWithoutEchoingLongOrSecretLookingOnes() {
        registry = records().build();
        for (String bad : List.of("../other", "acme/../../admin", "a/b", "a?version=1", "a#field", "..", ".hidden",
                "-x", "a..b", "a b", "a\nb", "é")) {
            assertThatThrownBy(() -> registry.get(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("A tenant key must be");
        }
        assertThatThrownBy(() -> registry.get("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an empty key");
        assertThatThrownBy(() -> registry.get("a/b")).hasMessageContaining("'a/b'");

        String secretLooking = Canary.value("blg_live_sk_");
        assertThatThrownBy(() -> registry.get(secretLooking + "/x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not shown");
        String longKey = "k".repeat(129);
        assertThatThrownBy(() -> registry.get(longKey)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("129 characters (not shown)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(longKey));
        assertThat(registry.size()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void patternMustHoldThePlaceholderInItsPath() {
        for (String bad : List.of("mem:tenants/bigledger", "mem:tenants/x#{tenant}", "mem:a?version={tenant}",
                "mem:{tenant}/{tenant}")) {
            assertThatThrownBy(() -> TokenManagers.builder().tokenRecord(vault, bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{tenant}");
        }
        assertThatThrownBy(() -> TokenManagers.builder().tokenRecord(vault, PATTERN).refreshToken(vault, PATTERN))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two grants");
        assertThatThrownBy(() -> TokenManagers.builder().tokenRecord(vault, PATTERN).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client");
    }
}
