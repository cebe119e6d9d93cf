package com.bigledger.auth.benchmarks;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenManagers;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The tenant registry at scale: {@link TokenManagers} creates the managers of many tenants from their stored token
 * records (each holding a valid access token, adopted with no token request), then serves
 * {@code get(tenant).token()} for random tenants, timed call by call.
 *
 * <pre>
 * java -Xmx3g -cp benchmarks/target/benchmarks.jar com.bigledger.auth.benchmarks.TenantRegistry \
 *     [--tenants=100000] [--calls=2000000] [--token-bytes=1024]
 * </pre>
 *
 * <p>Beside the registry, the same lookups through a {@link ConcurrentHashMap} of the same managers (no idle time,
 * no LRU order, no size bound) show what the registry's bookkeeping adds. The rounds alternate the two and one and
 * two calling threads, in one run. Each timed call includes two {@code System.nanoTime()} reads (about 20–25 ns
 * here). The endpoint (a fake on 127.0.0.1) counts requests: it should see none.
 */
public final class TenantRegistry {

    private static final int ROUNDS = 3;

    private TenantRegistry() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code --tenants=N}, {@code --calls=N} (per round and subject), {@code --token-bytes=B}
     * @throws Exception if the measurement cannot run
     */
    public static void main(String[] args) throws Exception {
        int tenants = 100_000;
        int calls = 2_000_000;
        int tokenBytes = 1024;
        for (String arg : args) {
            if (arg.startsWith("--tenants=")) {
                tenants = Integer.parseInt(arg.substring("--tenants=".length()));
            } else if (arg.startsWith("--calls=")) {
                calls = Integer.parseInt(arg.substring("--calls=".length()));
            } else if (arg.startsWith("--token-bytes=")) {
                tokenBytes = Integer.parseInt(arg.substring("--token-bytes=".length()));
            } else {
                System.err.println("usage: TenantRegistry [--tenants=100000] [--calls=2000000] [--token-bytes=1024]");
                System.exit(2);
            }
        }
        Report.machine();
        run(tenants, calls, tokenBytes);
        System.exit(0);
    }

    private static void run(int count, int calls, int tokenBytes) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        TokenServer server = TokenServer.start();
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        Instant issued = Instant.now();
        for (int i = 0; i < count; i++) {
            store.put("tenants/t" + i + "/bigledger", Secret.of(IdleCost.record(tokenBytes, issued)));
        }
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        TokenManagers registry = TokenManagers.builder()
                .client(server.client())
                .tokenRecord(vault, "mem:tenants/{tenant}/bigledger")
                .maximumSize(count)
                .idleTimeout(Duration.ofMinutes(30))
                .build();
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = "t" + i;
        }
        long heapBefore = Report.usedAfterGc(memory);

        // Creation: every tenant once, from 4 threads, each manager adopting its stored token.
        ExecutorService creators = Executors.newFixedThreadPool(4, daemon("bench-create"));
        long start = System.nanoTime();
        List<Future<?>> created = new ArrayList<>(count);
        for (String key : keys) {
            created.add(creators.submit(() -> registry.token(key)));
        }
        for (Future<?> f : created) {
            f.get(120, TimeUnit.SECONDS);
        }
        long createNanos = System.nanoTime() - start;
        created = null;
        creators.shutdown();
        int requests = server.requests();
        long heapAfter = Report.usedAfterGc(memory);

        ConcurrentHashMap<String, TokenManager> plain = new ConcurrentHashMap<>();
        for (String key : keys) {
            plain.put(key, registry.get(key));
        }

        System.out.println("### Tenant registry: " + count + " tenants from stored token records ("
                + tokenBytes + "-character tokens)");
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---:|");
        System.out.println("| tenants created and holding a token | " + registry.size() + " (" + requests
                + " token requests) |");
        System.out.println("| time to create them all (4 threads), each with its first `token()` | "
                + Report.seconds(createNanos) + String.format(Locale.ROOT, " (%.1f µs a tenant)",
                        createNanos / 1e3 / count) + " |");
        System.out.println("| heap per tenant: registry entry, manager and token | " + String.format(Locale.ROOT,
                "%.0f bytes", (heapAfter - heapBefore) / (double) count) + " |");
        System.out.println();

        Function<String, AccessToken> viaRegistry = key -> registry.get(key).token();
        Function<String, AccessToken> viaMap = key -> plain.get(key).token();
        System.out.println("`get(tenant).token()` for a random tenant among " + count + ", " + calls
                + " calls per subject and thread count in each of " + ROUNDS + " rounds (the first is warm-up and "
                + "not reported); rounds alternate the subjects and the thread counts:");
        System.out.println();
        LatencyHistogram[][] results = new LatencyHistogram[2][2];
        for (int round = 0; round < ROUNDS; round++) {
            for (int threads = 1; threads <= 2; threads++) {
                for (int subject = 0; subject < 2; subject++) {
                    LatencyHistogram h = timed(subject == 0 ? viaRegistry : viaMap, keys, calls, threads);
                    if (round > 0) {
                        if (results[subject][threads - 1] == null) {
                            results[subject][threads - 1] = h;
                        } else {
                            results[subject][threads - 1].add(h);
                        }
                    }
                }
            }
        }
        System.out.println("| subject | threads | p50 | p99 | p99.9 | max |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (int threads = 1; threads <= 2; threads++) {
            for (int subject = 0; subject < 2; subject++) {
                LatencyHistogram h = results[subject][threads - 1];
                System.out.println("| " + (subject == 0 ? "**`TokenManagers.get(tenant).token()`**"
                        : "`ConcurrentHashMap.get(tenant).token()` (no bookkeeping)") + " | " + threads + " | "
                        + Report.time(h.percentile(0.50)) + " | " + Report.time(h.percentile(0.99)) + " | "
                        + Report.time(h.percentile(0.999)) + " | " + Report.time(h.max()) + " |");
            }
        }
        System.out.println();
        System.out.println("Token requests after the lookups: " + server.requests() + "; load average at the end: "
                + Report.load());
        registry.close();
        vault.close();
        server.close();
    }

    private static LatencyHistogram timed(Function<String, AccessToken> call, String[] keys, int calls, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemon("bench-call"));
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<LatencyHistogram>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            parts.add(pool.submit(() -> {
                LatencyHistogram h = new LatencyHistogram();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                start.await(30, TimeUnit.SECONDS);
                long sink = 0;
                for (int i = 0; i < calls; i++) {
                    String key = keys[random.nextInt(keys.length)];
                    long begin = System.nanoTime();
                    AccessToken token = call.apply(key);
                    h.record(System.nanoTime() - begin);
                    sink += token.expiresAt().getNano();
                }
                if (sink == 42) {
                    System.out.print("");
                }
                return h;
            }));
        }
        LatencyHistogram all = new LatencyHistogram();
        for (Future<LatencyHistogram> part : parts) {
            all.add(part.get(300, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return all;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
