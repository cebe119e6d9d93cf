package com.bigledger.auth.benchmarks;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Idle cost of many token managers: the heap each one retains (difference of heap used after GC, divided by the
 * count) and the CPU the library's own threads use over a minute of doing nothing, measured only after start-up
 * has settled.
 *
 * <pre>
 * java -Xmx3g -cp benchmarks/target/benchmarks.jar com.bigledger.auth.benchmarks.IdleCost \
 *     [--managers=10000] [--seconds=60] [--settle=15] [--token-bytes=1024]
 * </pre>
 *
 * <p>Each manager is in fleet mode over its own token record in an in-memory store, and the record holds a valid
 * access token of {@code --token-bytes} characters (JWT-sized by default): the manager adopts it without a token
 * request, as a service that restarts does. The records are stored before the "before" heap figure is taken, so
 * that the store's own copies are not counted. Each manager hands out its token once as text
 * ({@code bearerToken()}), as a caller building an {@code Authorization} header does. The endpoint (a fake on
 * 127.0.0.1) counts requests: it should see none.
 */
public final class IdleCost {

    private static final SecureRandom RANDOM = new SecureRandom();

    private IdleCost() {
    }

    /**
     * Runs the measurement.
     *
     * @param args {@code --managers=N}, {@code --seconds=S}, {@code --settle=S}, {@code --token-bytes=B}
     * @throws Exception if the measurement cannot run
     */
    public static void main(String[] args) throws Exception {
        int managers = 10_000;
        int seconds = 60;
        int settle = 15;
        int tokenBytes = 1024;
        for (String arg : args) {
            if (arg.startsWith("--managers=")) {
                managers = Integer.parseInt(arg.substring("--managers=".length()));
            } else if (arg.startsWith("--seconds=")) {
                seconds = Integer.parseInt(arg.substring("--seconds=".length()));
            } else if (arg.startsWith("--settle=")) {
                settle = Integer.parseInt(arg.substring("--settle=".length()));
            } else if (arg.startsWith("--token-bytes=")) {
                tokenBytes = Integer.parseInt(arg.substring("--token-bytes=".length()));
            } else {
                System.err.println("usage: IdleCost [--managers=10000] [--seconds=60] [--settle=15] "
                        + "[--token-bytes=1024]");
                System.exit(2);
            }
        }
        Report.machine();
        run(managers, seconds, settle, tokenBytes);
        System.exit(0);
    }

    /** A version-1 token record holding a valid access token of {@code tokenBytes} characters. */
    static String record(int tokenBytes, Instant issuedAt) {
        String prefix = "blg_oauth_at_bench_";
        String access = prefix + hex(Math.max(0, tokenBytes - prefix.length()));
        return "{\"bigledger_token_record\":1,\"generation\":1,\"refresh_token\":\"blg_oauth_rt_bench_" + hex(24)
                + "\",\"access_token\":\"" + access + "\",\"issued_at\":\"" + issuedAt + "\",\"expires_at\":\""
                + issuedAt.plus(1, ChronoUnit.HOURS) + "\",\"scopes\":[\"read:accounts\"]}";
    }

    private static String hex(int chars) {
        byte[] random = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random).substring(0, chars);
    }

    private static void run(int count, int seconds, int settle, int tokenBytes) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        TokenServer server = TokenServer.start();
        OAuthClient client = server.client();
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        Instant issued = Instant.now();
        List<CredentialRef> refs = new ArrayList<>(count + 1);
        for (int i = 0; i <= count; i++) {
            refs.add(store.put("tenants/t" + i + "/bigledger", Secret.of(record(tokenBytes, issued))));
        }
        CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
        // Warm the shared parts (scheduler, classes) with one manager, so that only the rest is counted.
        TokenManager first = TokenManager.builder().client(client).tokenRecord(vault, refs.get(count)).build();
        first.bearerToken();
        long heapBefore = Report.usedAfterGc(memory);

        List<TokenManager> all = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            all.add(TokenManager.builder().client(client).tokenRecord(vault, refs.get(i)).name("tenant t" + i)
                    .build());
        }
        ExecutorService callers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-fetch");
            t.setDaemon(true);
            return t;
        });
        List<Future<?>> fetches = new ArrayList<>(count);
        for (TokenManager manager : all) {
            fetches.add(callers.submit(manager::bearerToken));
        }
        for (Future<?> fetch : fetches) {
            fetch.get(120, TimeUnit.SECONDS);
        }
        fetches = null;
        callers.shutdown();
        long built = System.nanoTime() - start;
        int requests = server.requests();

        // Let start-up settle: worker threads that fetched end or go idle, the JIT quietens.
        Thread.sleep(TimeUnit.SECONDS.toMillis(settle));
        long heapAfter = Report.usedAfterGc(memory);

        Map<Long, Long> cpuStart = cpuByThread(threads);
        Map<String, long[]> tasksStart = taskTicks();
        long processStart = os.getProcessCpuTime();
        long idleStart = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        long idleNanos = System.nanoTime() - idleStart;
        long processCpu = os.getProcessCpuTime() - processStart;
        Map<String, Long> cpuUsed = cpuByGroup(threads, cpuStart);
        Map<String, long[]> tasksEnd = taskTicks();
        long fresh = all.stream().filter(m -> m.state() == TokenManager.State.FRESH).count();

        double perManager = (heapAfter - heapBefore) / (double) count;
        // The token's own bytes, once: its text as a byte array (a header of 16 bytes and one byte a character).
        long tokenOwn = 16 + tokenBytes;
        System.out.println("### Idle cost of " + count + " managers holding " + tokenBytes + "-character tokens");
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---:|");
        System.out.println("| managers holding a fresh token | " + fresh + " of " + count + " (" + requests
                + " token requests; built and first token in " + Report.seconds(built) + ") |");
        System.out.println("| heap used after GC: before → with the managers | " + Report.mib(heapBefore) + " → "
                + Report.mib(heapAfter) + " |");
        System.out.println("| retained heap per manager | " + String.format(Locale.ROOT, "%.0f bytes", perManager)
                + " |");
        System.out.println("| of which not the token's own " + tokenOwn + " bytes | "
                + String.format(Locale.ROOT, "%.0f bytes", perManager - tokenOwn) + " |");
        for (Map.Entry<String, Long> group : cpuUsed.entrySet()) {
            long used = group.getValue();
            System.out.println("| CPU of `" + group.getKey() + "` threads over " + seconds + " s idle | "
                    + String.format(Locale.ROOT, "%.1f ms (%.3f%% of one core)", used / 1e6,
                            used * 100.0 / idleNanos) + " |");
        }
        System.out.println("| process CPU over " + seconds + " s idle | " + String.format(Locale.ROOT,
                "%.1f ms (%.3f%% of one core)", processCpu / 1e6, processCpu * 100.0 / idleNanos) + " |");
        System.out.println("| JVM threads | " + threads.getThreadCount() + " |");
        System.out.println();
        printTasks(tasksStart, tasksEnd, seconds);
        for (TokenManager manager : all) {
            manager.close();
        }
        first.close();
        vault.close();
        server.close();
    }

    /** CPU time of each of the library's threads, by thread id. */
    private static Map<Long, Long> cpuByThread(ThreadMXBean threads) {
        Map<Long, Long> cpu = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("bigledger-auth")) {
                long time = threads.getThreadCpuTime(info.getThreadId());
                if (time >= 0) {
                    cpu.put(info.getThreadId(), time);
                }
            }
        }
        return cpu;
    }

    /**
     * CPU time the library's threads used since {@code start}, by name without the trailing number. A thread that
     * started meanwhile counts from zero; one that ended meanwhile is missing (its last stretch is not counted).
     */
    private static Map<String, Long> cpuByGroup(ThreadMXBean threads, Map<Long, Long> start) {
        Map<String, Long> cpu = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || !info.getThreadName().startsWith("bigledger-auth")) {
                continue;
            }
            long time = threads.getThreadCpuTime(info.getThreadId());
            if (time >= 0) {
                cpu.merge(info.getThreadName().replaceAll("[-#]?\\d+$", ""),
                        time - start.getOrDefault(info.getThreadId(), 0L), Long::sum);
            }
        }
        return cpu;
    }

    /**
     * CPU ticks (user + system, in clock ticks) of every thread of this process, JVM-internal ones included (GC,
     * compiler, VM periodic task), keyed by "tid name", from {@code /proc/self/task}; empty where there is none.
     */
    private static Map<String, long[]> taskTicks() {
        Map<String, long[]> ticks = new TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
        if (tasks == null) {
            return ticks;
        }
        for (java.io.File task : tasks) {
            try {
                String stat = java.nio.file.Files.readString(task.toPath().resolve("stat"));
                // The name is in parentheses and may hold spaces; the fields after it are space-separated.
                int close = stat.lastIndexOf(')');
                String name = stat.substring(stat.indexOf('(') + 1, close);
                String[] fields = stat.substring(close + 2).split(" ");
                // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
                ticks.put(task.getName() + " " + name,
                        new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])});
            } catch (java.io.IOException | RuntimeException e) {
                // A thread that ended meanwhile: not counted.
            }
        }
        return ticks;
    }

    /** The threads of the process that used CPU over the idle time, most first, from {@code /proc/self/task}. */
    private static void printTasks(Map<String, long[]> start, Map<String, long[]> end, int seconds) {
        if (end.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Long>> used = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> task : end.entrySet()) {
            long[] before = start.getOrDefault(task.getKey(), new long[2]);
            long ticks = task.getValue()[0] + task.getValue()[1] - before[0] - before[1];
            total += ticks;
            if (ticks > 0) {
                used.add(Map.entry(task.getKey(), ticks));
            }
        }
        used.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        // Linux's USER_HZ is 100 on every common configuration: a tick is 10 ms.
        System.out.println("Every thread of the process that used CPU over the " + seconds + " s idle "
                + "(`/proc/self/task/*/stat`, user + system, 10 ms ticks; " + total * 10 + " ms in all):");
        System.out.println();
        System.out.println("| thread (id, name as the kernel keeps it) | CPU | of one core |");
        System.out.println("|---|---:|---:|");
        for (Map.Entry<String, Long> task : used) {
            System.out.println("| " + task.getKey() + " | " + task.getValue() * 10 + " ms | " + String.format(Locale.ROOT,
                    "%.3f%%", task.getValue() * 10 * 100.0 / (seconds * 1000.0)) + " |");
        }
        System.out.println();
    }
}
