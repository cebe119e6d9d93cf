package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Listeners run one at a time, in order, on a worker: never on the timer thread, never under a lock of the manager,
 * and a listener that blocks or throws holds back nothing but its own later events.
 */
class TokenManagerListenerIsolationTest {

    private static final long LIFETIME = 3600;
    /** A safety net for waits on real threads, not a timing assertion: the work finishes long before it. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeClock clock = new FakeClock();
    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "isolation-timer");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "isolation-worker");
        thread.setDaemon(true);
        return thread;
    });
    private final Scheduler realScheduler = Scheduler.of(timer, workers);
    private final List<TokenManager> managers = new ArrayList<>();
    private final List<CountDownLatch> releaseOnExit = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        releaseOnExit.forEach(CountDownLatch::countDown);
        managers.forEach(TokenManager::close);
        endpoint.close();
        timer.shutdownNow();
        workers.shutdownNow();
        assertThat(workers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private OAuthClient client() {
        return OAuthClient.builder()
                .tokenEndpoint(endpoint.uri())
                .clientId("test-client")
                .clientSecret(Canary.secret(""))
                .allowInsecureLoopback(true)
                .build();
    }

    private TokenManagerBuilder builder(Scheduler scheduler) {
        return TokenManager.builder()
                .client(client())
                .clock(clock)
                .scheduler(scheduler)
                .jitter(0)
                .retry(new RetrySettings(3, Duration.ofSeconds(1), 1.0, 0.0, Duration.ofSeconds(1)));
    }

    private TokenManager track(TokenManager manager) {
        managers.add(manager);
        return manager;
    }

    private static String accessToken() {
        return Canary.value("blg_oauth_at_");
    }

    private CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        releaseOnExit.add(latch);
        return latch;
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("reached").isTrue();
    }

    @Test
    void blockedListenerDelaysNeitherTheTokenNorTheNextRefresh() throws Exception {
        String first = accessToken();
        String second = accessToken();
        endpoint.enqueue(Response.token(first, LIFETIME), Response.token(second, LIFETIME));
        CountDownLatch blocked = latch();
        CountDownLatch release = latch();
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch heardBoth = new CountDownLatch(2);
        TokenManager manager = track(builder(realScheduler).clientCredentials().addListener(new TokenListener() {
            @Override
            public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                heard.add("succeeded");
                heardBoth.countDown();
                if (heard.size() == 1) {
                    blocked.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }).build());

        AccessToken token = manager.token(Duration.ofSeconds(10));
        assertThat(token.reveal()).isEqualTo(first);
        await(blocked);

        // The listener is still blocked in its first event: the next refresh runs and is served anyway.
        assertThat(manager.invalidate(token)).isTrue();
        assertThat(manager.token(Duration.ofSeconds(10)).reveal()).isEqualTo(second);
        assertThat(endpoint.requestCount()).isEqualTo(2);
        assertThat(heard).containsExactly("succeeded");

        release.countDown();
        await(heardBoth);
        assertThat(heard).containsExactly("succeeded", "succeeded");
    }

    @Test
    void throwingListenerIsIsolatedAndLoggedOnceWithoutItsMessage() throws Exception {
        String first = accessToken();
        endpoint.enqueue(Response.token(first, LIFETIME));
        String secretInMessage = Canary.value("blg_oauth_at_");
        List<String> heard = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(tee(originalErr, log), true, StandardCharsets.UTF_8));
        try {
            TokenManager manager = track(builder(realScheduler).clientCredentials().addListener(new TokenListener() {
                @Override
                public void refreshStarted(String name, boolean served) {
                    throw new IllegalStateException("listener bug near " + secretInMessage);
                }

                @Override
                public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                    // An Error, not only a RuntimeException, stays with the listener.
                    throw new Error("listener error near " + secretInMessage);
                }
            }).addListener(new TokenListener() {
                @Override
                public void refreshStarted(String name, boolean served) {
                    heard.add("started");
                }

                @Override
                public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                    heard.add("succeeded");
                    done.countDown();
                }
            }).build());

            assertThat(manager.token(Duration.ofSeconds(10)).reveal()).isEqualTo(first);
            await(done);
            assertThat(heard).containsExactly("started", "succeeded");
            assertThat(manager.state()).isEqualTo(TokenManager.State.FRESH);
        } finally {
            System.setErr(originalErr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain(secretInMessage).doesNotContain("listener bug").doesNotContain(
                "listener error");
        // Two throws, one warning: the second is at debug level.
        List<String> reports = logged.lines().filter(line -> line.contains("token listener")).toList();
        assertThat(reports).hasSize(2);
        assertThat(reports.get(0)).contains("WARN").contains(IllegalStateException.class.getName());
        assertThat(reports.get(1)).doesNotContain("WARN").contains(Error.class.getName());
    }

    @Test
    void eventsArriveInTheOrderTheyHappened() throws Exception {
        FakeScheduler scheduler = new FakeScheduler(clock);
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            endpoint.enqueue(Response.status(503), Response.token(accessToken(), LIFETIME));
            List<String> events = new CopyOnWriteArrayList<>();
            TokenManager manager = track(builder(scheduler).clientCredentials().addListener(new TokenListener() {
                @Override
                public void refreshStarted(String name, boolean served) {
                    events.add("started");
                }

                @Override
                public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                    events.add("succeeded");
                }

                @Override
                public void refreshFailed(String name, BigLedgerAuthException failure, int consecutive,
                        boolean served) {
                    events.add("failed");
                }

                @Override
                public void retryScheduled(String name, Duration delay, int consecutive) {
                    events.add("retry in " + delay.toSeconds() + " s");
                }
            }).build());

            Future<AccessToken> token = callers.submit(() -> manager.token(Duration.ofSeconds(30)));
            while (!token.isDone()) {
                if (scheduler.runDue() == 0) {
                    clock.advance(Duration.ofMillis(100));
                }
            }
            assertThat(token.get()).isNotNull();
            scheduler.runDue();
            assertThat(events).containsExactly("started", "failed", "retry in 1 s", "started", "succeeded");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void noListenerRunsOnTheTimerThreadOrUnderALockOfTheManager() throws Exception {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("rt", Canary.secret("blg_oauth_rt_"));
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        endpoint.enqueue(Response.status(503), Response.token(accessToken(), LIFETIME, Canary.value("blg_oauth_rt_")),
                Response.token(accessToken(), LIFETIME, Canary.value("blg_oauth_rt_")));
        List<String> violations = new CopyOnWriteArrayList<>();
        List<String> heard = new CopyOnWriteArrayList<>();
        List<Object> locks = new CopyOnWriteArrayList<>();
        CountDownLatch written = new CountDownLatch(1);
        TokenListener checking = new TokenListener() {
            private void check(String event) {
                heard.add(event);
                if (Thread.currentThread().getName().equals("isolation-timer")) {
                    violations.add(event + " on the timer thread");
                }
                for (Object lock : locks) {
                    boolean held = lock instanceof ReentrantLock ? ((ReentrantLock) lock).isHeldByCurrentThread()
                            : Thread.holdsLock(lock);
                    if (held) {
                        violations.add(event + " under a lock of " + lock.getClass().getName());
                    }
                }
            }

            @Override
            public void refreshStarted(String name, boolean served) {
                check("refreshStarted");
            }

            @Override
            public void refreshSucceeded(String name, Duration took, Instant expiresAt, boolean rotated) {
                check("refreshSucceeded");
            }

            @Override
            public void refreshFailed(String name, BigLedgerAuthException failure, int consecutive, boolean served) {
                check("refreshFailed");
            }

            @Override
            public void retryScheduled(String name, Duration delay, int consecutive) {
                check("retryScheduled");
            }

            @Override
            public void writeBackSucceeded(String name, CredentialRef at, Optional<String> version) {
                check("writeBackSucceeded");
                written.countDown();
            }

            @Override
            public void writeBackFailed(String name, CredentialRef at, RuntimeException e, Duration retryIn) {
                check("writeBackFailed");
            }
        };
        TokenManager manager = track(builder(realScheduler).refreshToken(vault, ref).addListener(checking).build());
        locks.addAll(locksOf(manager));
        assertThat(locks).isNotEmpty();

        // The first request fails and is retried after 1 s on the timer; the write-back of the rotated token fails.
        vault.resolve(ref);
        store.down(true);
        AccessToken token = manager.token(Duration.ofSeconds(10));
        // The write-back that close() makes is the last chance: it succeeds.
        store.down(false);
        manager.invalidate(token);
        manager.token(Duration.ofSeconds(10));
        manager.close();
        await(written);

        assertThat(heard).contains("refreshStarted", "refreshFailed", "retryScheduled", "refreshSucceeded",
                "writeBackFailed", "writeBackSucceeded");
        assertThat(violations).isEmpty();
        vault.close();
    }

    /** Every object the manager may synchronize on: the lock fields of it and of the objects it holds. */
    private static List<Object> locksOf(Object root) throws IllegalAccessException {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        List<Object> locks = new ArrayList<>();
        collect(root, seen, locks, 0);
        return locks;
    }

    private static void collect(Object object, Map<Object, Boolean> seen, List<Object> locks, int depth)
            throws IllegalAccessException {
        if (object == null || seen.put(object, Boolean.TRUE) != null || depth > 3) {
            return;
        }
        if (object.getClass() == Object.class || object instanceof ReentrantLock) {
            locks.add(object);
            return;
        }
        if (!object.getClass().getName().startsWith("com.bigledger.auth.")
                || object.getClass().getName().startsWith("com.bigledger.auth.testing.") || object instanceof Enum) {
            return;
        }
        locks.add(object);
        for (Class<?> type = object.getClass(); type != null && type.getName().startsWith("com.bigledger.auth."); type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                field.setAccessible(true);
                collect(field.get(object), seen, locks, depth + 1);
            }
        }
    }

    private static OutputStream tee(PrintStream original, ByteArrayOutputStream copy) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (copy) {
                    copy.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (copy) {
                    copy.write(bytes, offset, length);
                }
            }
        };
    }
}
