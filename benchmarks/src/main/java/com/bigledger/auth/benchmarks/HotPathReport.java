package com.bigledger.auth.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link HotPathBenchmark} at 1 and then 2 threads with JMH's GC profiler, in one run, and prints the table of
 * target 1: time per call, throughput and its scaling, bytes allocated per call, and each subject's time as a
 * multiple of {@code TokenManager.token()}'s.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar com.bigledger.auth.benchmarks.HotPathReport [JMH options, e.g. -f 1 -wi 2 -i 3]
 * </pre>
 *
 * <p>JMH options on the command line (forks, iterations, a benchmark regex) override the annotations; the thread
 * count and the GC profiler are set here.
 */
public final class HotPathReport {

    private static final String[] ORDER = {"floor", "tokenManager", "tokenManagerBearer", "credentialHandle",
        "googleAuth", "awsCachedSupplier", "awsCachedSupplierNonBlocking", "caffeine"};
    private static final List<String> ALTERNATIVES = List.of("googleAuth", "awsCachedSupplier",
            "awsCachedSupplierNonBlocking", "caffeine");

    private HotPathReport() {
    }

    /** One subject's numbers at one thread count. */
    private static final class Row {
        double opsPerMicro;
        double opsError;
        double bytesPerOp = Double.NaN;
    }

    /**
     * Runs the benchmarks and prints the table.
     *
     * @param args JMH command-line options
     * @throws Exception if JMH fails
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        String loadBefore = Report.load();
        Map<Integer, Map<String, Row>> byThreads = new LinkedHashMap<>();
        for (int threads : new int[] {1, 2}) {
            ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).threads(threads)
                    .addProfiler(GCProfiler.class);
            if (cli.getIncludes().isEmpty()) {
                options.include(HotPathBenchmark.class.getName() + "\\.");
            }
            Collection<RunResult> results = new Runner(options.build()).run();
            Map<String, Row> rows = new LinkedHashMap<>();
            for (RunResult result : results) {
                String benchmark = result.getParams().getBenchmark();
                Row row = new Row();
                row.opsPerMicro = result.getPrimaryResult().getScore();
                row.opsError = result.getPrimaryResult().getScoreError();
                for (String key : result.getSecondaryResults().keySet()) {
                    if (key.endsWith("gc.alloc.rate.norm")) {
                        row.bytesPerOp = result.getSecondaryResults().get(key).getScore();
                    }
                }
                rows.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), row);
            }
            byThreads.put(threads, rows);
        }
        print(byThreads, loadBefore);
    }

    private static void print(Map<Integer, Map<String, Row>> byThreads, String loadBefore) {
        Map<String, Row> one = byThreads.get(1);
        Map<String, Row> two = byThreads.get(2);
        System.out.println();
        Report.machine();
        System.out.println("Load average (1 min) before the JMH runs: " + loadBefore + "; after: " + Report.load()
                + ".");
        System.out.println();
        System.out.println("| subject | ns per call, 1 thread | calls/µs, 1 thread | calls/µs, 2 threads | 2 threads ÷ 1 "
                + "| bytes allocated per call | time per call ÷ TokenManager's |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        Row ours = one.get("tokenManager");
        List<String> names = new ArrayList<>(List.of(ORDER));
        one.keySet().stream().filter(name -> !names.contains(name)).forEach(names::add);
        for (String name : names) {
            Row r1 = one.get(name);
            if (r1 == null) {
                continue;
            }
            Row r2 = two.get(name);
            System.out.println("| " + name + " | " + f(1e3 / r1.opsPerMicro, 2) + " | " + f(r1.opsPerMicro, 1) + " ± "
                    + f(r1.opsError, 1) + " | " + (r2 == null ? "—" : f(r2.opsPerMicro, 1) + " ± " + f(r2.opsError, 1))
                    + " | " + (r2 == null ? "—" : f(r2.opsPerMicro / r1.opsPerMicro, 2)) + " | "
                    + f(r1.bytesPerOp, 3) + (r2 == null ? "" : " / " + f(r2.bytesPerOp, 3)) + " | "
                    + (ours == null ? "—" : f(ours.opsPerMicro / r1.opsPerMicro, 1) + "×") + " |");
        }
        System.out.println();
        if (ours == null) {
            return;
        }
        double oursNs = 1e3 / ours.opsPerMicro;
        String fastest = null;
        double fastestNs = Double.MAX_VALUE;
        for (String name : ALTERNATIVES) {
            Row r = one.get(name);
            if (r != null && 1e3 / r.opsPerMicro < fastestNs) {
                fastestNs = 1e3 / r.opsPerMicro;
                fastest = name;
            }
        }
        System.out.println("Target 1 (TokenManager.token()):");
        System.out.println("- under 5 ns per call on one thread: " + f(oursNs, 2) + " ns — "
                + (oursNs < 5 ? "met" : "MISSED"));
        Row handle = one.get("credentialHandle");
        if (handle != null) {
            double handleNs = 1e3 / handle.opsPerMicro;
            System.out.println("- CredentialHandle.get() under 5 ns: " + f(handleNs, 2) + " ns — "
                    + (handleNs < 5 ? "met" : "MISSED"));
        }
        if (fastest != null) {
            double ratio = fastestNs / oursNs;
            System.out.println("- at least 5× faster than the fastest alternative (" + fastest + ", " + f(fastestNs, 2)
                    + " ns): " + f(ratio, 1) + "× — " + (ratio >= 5 ? "met" : "MISSED"));
        }
        System.out.println("- 0 bytes allocated per call: " + f(ours.bytesPerOp, 3) + " B — "
                + (ours.bytesPerOp < 0.01 ? "met" : "MISSED"));
        Row ours2 = two.get("tokenManager");
        if (ours2 != null) {
            double scaling = ours2.opsPerMicro / ours.opsPerMicro;
            Row floor1 = one.get("floor");
            Row floor2 = two.get("floor");
            System.out.println("- throughput at 2 threads at least 1.8× that at 1: " + f(scaling, 2) + "× — "
                    + (scaling >= 1.8 ? "met" : "MISSED") + (floor1 != null && floor2 != null
                            ? " (the floor, a volatile getter, scaled " + f(floor2.opsPerMicro / floor1.opsPerMicro, 2)
                                    + "× in the same run)" : ""));
        }
    }

    private static String f(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
