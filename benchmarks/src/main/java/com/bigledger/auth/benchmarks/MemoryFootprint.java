package com.bigledger.auth.benchmarks;

import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jol.info.GraphLayout;

/**
 * Target 6, memory: the retained size of one {@link TokenManager} holding its token (JOL), and the heap and threads of
 * 10,000 managers on the shared scheduler.
 *
 * <pre>
 * java -Xmx1g -Djdk.attach.allowAttachSelf=true -cp benchmarks/target/benchmarks.jar \
 *     com.bigledger.auth.benchmarks.MemoryFootprint [--managers=10000]
 * </pre>
 *
 * <p>"Retained" is measured as what one manager reaches that a second manager, built the same way, does not: the
 * objects both reach (the shared scheduler and its threads, the shared JDK HTTP client, the clock, interned
 * constants) belong to the process, not to a manager. All traffic goes to a fake endpoint on 127.0.0.1.
 */
public final class MemoryFootprint {

    private MemoryFootprint() {
    }

    /**
     * Runs the measurements.
     *
     * @param args {@code --managers=N}, 10,000 by default
     * @throws Exception if a measurement cannot run
     */
    public static void main(String[] args) throws Exception {
        int managers = 10_000;
        for (String arg : args) {
            if (arg.startsWith("--managers=")) {
                managers = Integer.parseInt(arg.substring("--managers=".length()));
            } else {
                System.err.println("usage: MemoryFootprint [--managers=10000]");
                System.exit(2);
            }
        }
        // The managers hold lambdas, which are hidden classes: JOL reads their fields only with this option.
        System.setProperty("jol.magicFieldOffset", "true");
        Report.machine();
        one();
        many(managers);
        System.exit(0);
    }

    /**
     * JOL walks every reference, so the shared scheduler would lead it from one manager's timer task through the
     * scheduler's queue to every other manager. Here each of the two managers gets a private {@link FakeScheduler}
     * (run by hand) on one shared clock, so that what only manager A reaches is what A retains: itself, its token,
     * its {@code OAuthClient}, its Resilience4j retry and circuit breaker, its pending timer task, and the private
     * scheduler's own few objects, which are reported and taken off.
     */
    private static void one() throws Exception {
        System.out.println("### 6a. Retained size of one TokenManager holding its token (JOL GraphLayout)");
        System.out.println();
        try (TokenServer server = TokenServer.start()) {
            FakeClock clock = new FakeClock(java.time.Instant.now());
            OAuthClient clientA = server.client();
            OAuthClient clientB = server.client();
            FakeScheduler schedulerA = new FakeScheduler(clock);
            FakeScheduler schedulerB = new FakeScheduler(clock);
            TokenManager a = fetched(TokenManager.builder().client(clientA).clientCredentials().clock(clock)
                    .scheduler(schedulerA).build(), schedulerA);
            TokenManager b = fetched(TokenManager.builder().client(clientB).clientCredentials().clock(clock)
                    .scheduler(schedulerB).build(), schedulerB);
            GraphLayout own = GraphLayout.parseInstance(a).subtract(GraphLayout.parseInstance(b));
            GraphLayout ownClient = GraphLayout.parseInstance(clientA).subtract(GraphLayout.parseInstance(clientB));
            GraphLayout token = GraphLayout.parseInstance(a.token());
            GraphLayout emptyScheduler = GraphLayout.parseInstance(new FakeScheduler(clock))
                    .subtract(GraphLayout.parseInstance(clock));
            long retained = own.totalSize() - emptyScheduler.totalSize();

            // A handle reaches its vault, and the vault every handle: measure how much the vault's graph grows when
            // one more handle loads its value.
            InMemoryCredentialSource source = new InMemoryCredentialSource("mem");
            CredentialRef refA = source.put("bench/a", Secret.of(TokenServer.fakeValue("blg_test_sk_bench_")));
            CredentialRef refB = source.put("bench/b", Secret.of(TokenServer.fakeValue("blg_test_sk_bench_")));
            long handleBytes;
            long handleObjects;
            FakeScheduler vaultScheduler = new FakeScheduler(clock);
            try (CredentialVault vault = CredentialVault.builder().source(source).discoverSources(false)
                    .clock(clock).scheduler(vaultScheduler).build()) {
                loaded(vault.handle(refA), vaultScheduler);
                GraphLayout withOne = GraphLayout.parseInstance(vault);
                loaded(vault.handle(refB), vaultScheduler);
                GraphLayout withTwo = GraphLayout.parseInstance(vault);
                handleBytes = withTwo.totalSize() - withOne.totalSize();
                handleObjects = withTwo.totalCount() - withOne.totalCount();
            }

            System.out.println("| what | objects | bytes |");
            System.out.println("|---|---:|---:|");
            System.out.println("| one TokenManager with its token, OAuthClient and pending timer task | "
                    + (own.totalCount() - emptyScheduler.totalCount()) + " | " + retained + " |");
            System.out.println("| of which its OAuthClient (its own objects; the JDK HttpClient is shared) | "
                    + ownClient.totalCount() + " | " + ownClient.totalSize() + " |");
            System.out.println("| of which the cached AccessToken | " + token.totalCount() + " | " + token.totalSize()
                    + " |");
            System.out.println("| (the private test scheduler's own objects, taken off above) | "
                    + emptyScheduler.totalCount() + " | " + emptyScheduler.totalSize() + " |");
            System.out.println("| one more CredentialHandle in a vault, with its cached secret and pending timer task | "
                    + handleObjects + " | " + handleBytes + " |");
            System.out.println();
            System.out.println("What one TokenManager retains, by class (JOL, top 20 by bytes; includes the private "
                    + "test scheduler's objects):");
            System.out.println();
            System.out.println("```");
            top(own, 20);
            System.out.println("```");
            System.out.println();
            a.close();
            b.close();
        }
    }

    /** Fetches the manager's first token, running the load on the private scheduler. */
    private static TokenManager fetched(TokenManager manager, FakeScheduler scheduler) throws Exception {
        int queued = scheduler.queued().size();
        Thread caller = new Thread(manager::token, "bench-first-token");
        caller.setDaemon(true);
        caller.start();
        scheduler.awaitQueued(queued + 1);
        scheduler.runDue();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        if (manager.state() != TokenManager.State.FRESH) {
            throw new IllegalStateException("no fresh token: " + manager.state());
        }
        return manager;
    }

    /** Loads the handle's first value, running the load on the private scheduler. */
    private static CredentialHandle loaded(CredentialHandle handle, FakeScheduler scheduler) throws Exception {
        int queued = scheduler.queued().size();
        Thread caller = new Thread(handle::get, "bench-first-load");
        caller.setDaemon(true);
        caller.start();
        scheduler.awaitQueued(queued + 1);
        scheduler.runDue();
        caller.join(TimeUnit.SECONDS.toMillis(30));
        return handle;
    }

    private static void top(GraphLayout layout, int n) {
        List<Class<?>> classes = new ArrayList<>(layout.getClasses());
        classes.sort((x, y) -> Long.compare(layout.getClassSizes().count(y), layout.getClassSizes().count(x)));
        System.out.println(String.format(Locale.ROOT, "%8s %8s  %s", "count", "bytes", "class"));
        for (Class<?> c : classes.subList(0, Math.min(n, classes.size()))) {
            System.out.println(String.format(Locale.ROOT, "%8d %8d  %s", layout.getClassCounts().count(c),
                    layout.getClassSizes().count(c), c.getName()));
        }
        System.out.println(String.format(Locale.ROOT, "%8d %8d  (total, %d classes)", layout.totalCount(),
                layout.totalSize(), classes.size()));
    }

    private static void many(int count) throws Exception {
        System.out.println("### 6b. " + count + " TokenManagers, each with its own OAuthClient and a cached token, on "
                + "the shared scheduler");
        System.out.println();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        TokenServer server = TokenServer.start();
        // Warm the shared parts (scheduler, HTTP client, classes) with one manager, so that only the rest is counted.
        TokenManager first = TokenManager.builder().client(server.client()).clientCredentials().build();
        first.token();
        long heapBefore = Report.usedAfterGc(memory);
        double cpuBaseline = idleCpu(os, 5);
        int threadsBefore = threads.getThreadCount();
        Map<String, Integer> namesBefore = threadNames(threads);

        List<TokenManager> all = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            all.add(TokenManager.builder().client(server.client()).clientCredentials().build());
        }
        ExecutorService callers = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "bench-fetch");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> fetches = new ArrayList<>();
        for (TokenManager manager : all) {
            fetches.add(callers.submit(() -> manager.token()));
        }
        for (Future<?> fetch : fetches) {
            fetch.get(60, TimeUnit.SECONDS);
        }
        callers.shutdown();
        fetches = null;
        long built = System.nanoTime() - start;
        int requests = server.requests();
        // The fake endpoint records every request: close and drop it, so that its records are not counted.
        server.close();
        server = null;
        int threadsAfterFetch = threads.getThreadCount();

        // Idle: only the managers' timers run (each re-reads the clock once a second).
        long cpuStart = os.getProcessCpuTime();
        long idleStart = System.nanoTime();
        int peak = 0;
        while (System.nanoTime() - idleStart < TimeUnit.SECONDS.toNanos(10)) {
            peak = Math.max(peak, threads.getThreadCount());
            Thread.sleep(100);
        }
        long idleNanos = System.nanoTime() - idleStart;
        double cpuShare = (os.getProcessCpuTime() - cpuStart) / (double) idleNanos;
        long heapAfter = Report.usedAfterGc(memory);
        Map<String, Integer> namesAfter = threadNames(threads);
        long fresh = all.stream().filter(m -> m.state() == TokenManager.State.FRESH).count();

        System.out.println("| measure | value |");
        System.out.println("|---|---:|");
        System.out.println("| managers built and holding a fresh token | " + fresh + " of " + count + " ("
                + requests + " endpoint requests, " + Report.seconds(built) + ") |");
        System.out.println("| heap used after GC, before | " + Report.mib(heapBefore) + " |");
        System.out.println("| heap used after GC, with the managers | " + Report.mib(heapAfter) + " |");
        System.out.println("| heap per manager (difference ÷ " + count + ") | "
                + String.format(Locale.ROOT, "%.0f bytes", (heapAfter - heapBefore) / (double) count) + " |");
        System.out.println("| JVM threads before | " + threadsBefore + " |");
        System.out.println("| JVM threads after fetching all tokens | " + threadsAfterFetch + " |");
        System.out.println("| JVM threads, highest during 10 s idle | " + peak + " |");
        System.out.println("| process CPU idle, before the managers (5 s) | "
                + String.format(Locale.ROOT, "%.1f%% of one core", cpuBaseline * 100) + " |");
        System.out.println("| process CPU idle, with the managers (10 s; their timers tick once a second) | "
                + String.format(Locale.ROOT, "%.1f%% of one core", cpuShare * 100) + " |");
        System.out.println("| CPU per manager per second, above the baseline | "
                + String.format(Locale.ROOT, "%.1f µs", (cpuShare - cpuBaseline) * 1e6 / count) + " |");
        System.out.println();
        System.out.println("Threads by name before: " + namesBefore);
        System.out.println();
        System.out.println("Threads by name after: " + namesAfter);
        System.out.println();
        for (TokenManager manager : all) {
            manager.close();
        }
        first.close();
    }

    /** The share of one core the process used over {@code seconds} of doing nothing. */
    private static double idleCpu(com.sun.management.OperatingSystemMXBean os, int seconds)
            throws InterruptedException {
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        return (os.getProcessCpuTime() - cpuStart) / (double) (System.nanoTime() - start);
    }

    /** Live threads grouped by name, with trailing numbers dropped. */
    private static Map<String, Integer> threadNames(ThreadMXBean threads) {
        Map<String, Integer> names = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                names.merge(info.getThreadName().replaceAll("[-#]?\\d+$", ""), 1, Integer::sum);
            }
        }
        return names;
    }
}
