package com.bigledger.auth.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@link HotPathBenchmark} at 1 and 2 threads <em>interleaved in one run</em>: several rounds, each running every
 * benchmark at 1 thread and at 2 threads (the order of the two alternating from round to round), so that a change
 * of load on a shared machine falls on both thread counts alike. Prints each round with the load average at its
 * start, then the medians over the rounds, the 2-thread ÷ 1-thread ratio per round and its median, and each
 * subject's time per call as a multiple of the floor's and of {@code TokenManager.token()}'s.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar com.bigledger.auth.benchmarks.HotPathInterleaved \
 *     [--rounds=3] [JMH options, e.g. -f 1 -wi 2 -i 3 -w 1 -r 1]
 * </pre>
 *
 * <p>JMH options override the annotations; the thread count is set here. The default per run (one thread count
 * of one round) is 1 fork, 2 warm-up and 3 measurement iterations of 1 s: with the eight benchmarks, about two
 * minutes a round.
 */
public final class HotPathInterleaved {

    private static final String[] ORDER = {"floor", "tokenManager", "tokenManagerBearer", "credentialHandle",
        "googleAuth", "awsCachedSupplier", "awsCachedSupplierNonBlocking", "caffeine"};

    private HotPathInterleaved() {
    }

    /**
     * Runs the rounds and prints the tables.
     *
     * @param args {@code --rounds=N}, then JMH command-line options
     * @throws Exception if JMH fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = 3;
        List<String> jmhArgs = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else {
                jmhArgs.add(arg);
            }
        }
        if (jmhArgs.isEmpty()) {
            jmhArgs.addAll(List.of("-f", "1", "-wi", "2", "-i", "3", "-w", "1", "-r", "1"));
        }
        CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
        // round → threads → benchmark → calls per µs
        List<Map<Integer, Map<String, Double>>> results = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Map<Integer, Map<String, Double>> byThreads = new LinkedHashMap<>();
            int[] order = round % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1};
            StringBuilder load = new StringBuilder();
            for (int threads : order) {
                load.append(load.length() == 0 ? "" : ", ").append(threads).append(threads == 1 ? " thread: " : " threads: ")
                        .append(Report.load());
                ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).threads(threads);
                if (cli.getIncludes().isEmpty()) {
                    options.include(HotPathBenchmark.class.getName() + "\\.");
                }
                Collection<RunResult> run = new Runner(options.build()).run();
                Map<String, Double> scores = new LinkedHashMap<>();
                for (RunResult result : run) {
                    String benchmark = result.getParams().getBenchmark();
                    scores.put(benchmark.substring(benchmark.lastIndexOf('.') + 1), result.getPrimaryResult().getScore());
                }
                byThreads.put(threads, scores);
            }
            results.add(byThreads);
            loads.add(load.toString());
        }
        print(results, loads, String.join(" ", jmhArgs));
    }

    private static void print(List<Map<Integer, Map<String, Double>>> results, List<String> loads, String jmhArgs) {
        System.out.println();
        Report.machine();
        System.out.println("JMH options per run: `" + jmhArgs + "`; " + results.size() + " rounds, 1 and 2 threads "
                + "alternated (odd rounds start with 2). Load average (1 min) at the start of each run:");
        System.out.println();
        for (int i = 0; i < loads.size(); i++) {
            System.out.println("- round " + (i + 1) + ": " + loads.get(i));
        }
        System.out.println("- after the last run: " + Report.load());
        System.out.println();
        List<String> names = new ArrayList<>(List.of(ORDER));
        results.get(0).get(1).keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);

        System.out.println("Per round, calls per µs (1 thread / 2 threads):");
        System.out.println();
        StringBuilder header = new StringBuilder("| subject |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 0; i < results.size(); i++) {
            header.append(" round ").append(i + 1).append(" |");
            rule.append("---:|");
        }
        System.out.println(header);
        System.out.println(rule);
        for (String name : names) {
            StringBuilder line = new StringBuilder("| " + name + " |");
            for (Map<Integer, Map<String, Double>> round : results) {
                line.append(' ').append(f(round.get(1).getOrDefault(name, Double.NaN), 1)).append(" / ")
                        .append(f(round.get(2).getOrDefault(name, Double.NaN), 1)).append(" |");
            }
            System.out.println(line);
        }
        System.out.println();

        System.out.println("Medians over the rounds:");
        System.out.println();
        System.out.println("| subject | ns per call, 1 thread | calls/µs, 1 thread | calls/µs, 2 threads "
                + "| 2 threads ÷ 1 (median of the rounds' ratios) | time per call ÷ floor's | ÷ TokenManager.token()'s |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        double floor1 = median(results, 1, "floor");
        double ours1 = median(results, 1, "tokenManager");
        for (String name : names) {
            double one = median(results, 1, name);
            double two = median(results, 2, name);
            List<Double> ratios = new ArrayList<>();
            for (Map<Integer, Map<String, Double>> round : results) {
                Double a = round.get(1).get(name);
                Double b = round.get(2).get(name);
                if (a != null && b != null) {
                    ratios.add(b / a);
                }
            }
            System.out.println("| " + name + " | " + f(1e3 / one, 2) + " | " + f(one, 1) + " | " + f(two, 1) + " | "
                    + f(median(ratios), 2) + " | " + f(floor1 / one, 1) + "× | " + f(ours1 / one, 1) + "× |");
        }
        System.out.println();
        System.out.println("Target: TokenManager.token() ≤ 2 ns at 1 thread (median over rounds): " + f(1e3 / ours1, 2)
                + " ns — " + (1e3 / ours1 <= 2 ? "met" : "MISSED"));
    }

    private static double median(List<Map<Integer, Map<String, Double>>> results, int threads, String name) {
        List<Double> values = new ArrayList<>();
        for (Map<Integer, Map<String, Double>> round : results) {
            Double v = round.get(threads).get(name);
            if (v != null) {
                values.add(v);
            }
        }
        return median(values);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String f(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "—";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
