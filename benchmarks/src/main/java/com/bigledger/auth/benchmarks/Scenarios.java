package com.bigledger.auth.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * The plain harness (not JMH) for the concurrency scenarios 2 to 5 of the benchmark issue, run for this library and
 * the alternatives side by side, each subject against its own fake endpoint on 127.0.0.1. Prints Markdown tables.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar com.bigledger.auth.benchmarks.Scenarios [--outage-seconds=60] [--only=2,3,4,5]
 * </pre>
 *
 * <p>Every scenario is bounded: a fixed number of callers, a time limit on every wait, daemon threads only, and
 * each endpoint closed when its subject is done; the process exits by itself. With the defaults it runs about seven
 * minutes, five of them in scenario 4 (60 s per subject).
 */
public final class Scenarios {

    /** How long the fake endpoint takes to answer, success or failure, in scenarios 2 to 5. */
    static final Duration ENDPOINT_TIME = Duration.ofMillis(50);

    /** Measured rounds per subject in scenario 2. */
    static final int ROUNDS = 5;

    /** Callers of the unreported warm-up round of scenario 2. */
    static final int WARM_UP_CALLERS = 16;

    /**
     * Caffeine logs every failed refresh with its stack trace through {@code System.Logger} (JUL here); scenario 4
     * makes hundreds. The harness counts them itself. Held in a field: JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger CAFFEINE_LOG =
            java.util.logging.Logger.getLogger("com.github.benmanes.caffeine");

    private Scenarios() {
    }

    /**
     * Runs the scenarios.
     *
     * @param args {@code --outage-seconds=N} (scenario 4's length per subject, 60 by default) and {@code --only=2,3}
     * @throws Exception if a scenario cannot run
     */
    public static void main(String[] args) throws Exception {
        Duration outage = Duration.ofSeconds(60);
        Set<String> only = Set.of("2", "3", "4", "5");
        for (String arg : args) {
            if (arg.startsWith("--outage-seconds=")) {
                outage = Duration.ofSeconds(Long.parseLong(arg.substring("--outage-seconds=".length())));
            } else if (arg.startsWith("--only=")) {
                only = Set.of(arg.substring("--only=".length()).split(","));
            } else {
                System.err.println("usage: Scenarios [--outage-seconds=60] [--only=2,3,4,5]");
                System.exit(2);
            }
        }
        CAFFEINE_LOG.setLevel(Level.OFF);
        long start = System.nanoTime();
        Report.machine();
        if (only.contains("2")) {
            singleFlight(64);
            singleFlight(512);
        }
        if (only.contains("3")) {
            refreshWindow(512);
        }
        if (only.contains("4")) {
            outageWhileValid(outage);
        }
        if (only.contains("5")) {
            outageExpired(200);
        }
        System.out.println("Harness done in " + Report.seconds(System.nanoTime() - start) + "; load average at end "
                + Report.load() + ".");
        System.exit(0);
    }

    /**
     * Scenario 2: {@code callers} threads at once on an expired token; the endpoint takes 50 ms. After an unreported
     * warm-up round, {@link #ROUNDS} rounds per subject (this machine is shared and noisy): the median and the worst.
     */
    static void singleFlight(int callers) throws Exception {
        System.out.println("### 2. Single flight: " + callers + " callers at once on an expired token, endpoint "
                + "answering in " + ENDPOINT_TIME.toMillis() + " ms (" + ROUNDS + " rounds each)");
        System.out.println();
        System.out.println("| subject | endpoint requests per round | request took (median) | last caller done, after "
                + "the request ended (median / worst) | slowest caller, from the release (median / worst) "
                + "| outcomes |");
        System.out.println("|---|---|---:|---:|---:|---|");
        for (Subject subject : Subject.all(true)) {
            try (subject) {
                subject.prepare();
                subject.server.delay(ENDPOINT_TIME);
                // A warm-up round, not reported: the first pass through each code path compiles and links it.
                subject.jump(Subject.PAST_EXPIRY);
                Callers.burst(WARM_UP_CALLERS, i -> subject::call, Duration.ofSeconds(30));
                List<Integer> requests = new ArrayList<>();
                long[] took = new long[ROUNDS];
                long[] fanOut = new long[ROUNDS];
                long[] slowest = new long[ROUNDS];
                Map<String, Integer> outcomes = new java.util.TreeMap<>();
                for (int round = 0; round < ROUNDS; round++) {
                    subject.jump(Subject.PAST_EXPIRY);
                    int before = subject.requests();
                    subject.attempts.reset();
                    subject.attempts.arm();
                    Callers.Burst burst = Callers.burst(callers, i -> subject::call, Duration.ofSeconds(30));
                    requests.add(subject.requests() - before);
                    took[round] = subject.attempts.firstEnd() - subject.attempts.firstStart();
                    fanOut[round] = burst.release + burst.slowest() - subject.attempts.firstEnd();
                    slowest[round] = burst.slowest();
                    burst.outcomes().forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
                    Thread.sleep(100);
                }
                System.out.println("| " + subject.name + " | " + requests.stream().map(String::valueOf)
                        .collect(Collectors.joining(", ")) + " | " + Report.millis(median(took)) + " | "
                        + Report.millis(median(fanOut)) + " / " + Report.millis(max(fanOut)) + " | "
                        + Report.millis(median(slowest)) + " / " + Report.millis(max(slowest)) + " | "
                        + outcomes(outcomes) + " |");
            }
            pause();
        }
        System.out.println();
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long max(long[] values) {
        return java.util.Arrays.stream(values).max().orElse(0);
    }

    /**
     * Scenario 3: 512 threads calling steadily (a pause of 1 to 9 ms between calls) while the token enters its
     * refresh window and one refresh runs (the endpoint takes 50 ms). Per-call latency of every call from the moment
     * the clock moved until 300 ms after the first refresh attempt ended, beside a control in the same run.
     */
    static void refreshWindow(int callers) throws Exception {
        System.out.println("### 3. Refresh window: " + callers + " callers while one background refresh runs "
                + "(endpoint " + ENDPOINT_TIME.toMillis() + " ms)");
        System.out.println();
        System.out.println("| subject | calls | of them during the refresh | p50 | p99 | p99.9 | max | calls > 1 ms "
                + "| control calls > 1 ms | control max | endpoint requests | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Subject subject : Subject.all(true)) {
            try (subject; Subject control = new Subject.Floor()) {
                subject.prepare();
                subject.server.delay(ENDPOINT_TIME);
                Callers.Load load = Callers.Load.start(callers, subject::call, Duration.ofMillis(1),
                        Duration.ofMillis(9), subject.attempts, control::call);
                Thread.sleep(500);
                // A warm-up round, not reported: one refresh under the same load, so that the measured one runs
                // compiled and linked code, as every refresh after a service's first does.
                subject.attempts.arm();
                subject.jump(Subject.INTO_REFRESH_WINDOW);
                awaitFirstAttemptEnd(subject);
                subject.attempts.reset();
                int before = subject.requests();
                subject.attempts.arm();
                load.record();
                subject.jump(Subject.INTO_REFRESH_WINDOW);
                awaitFirstAttemptEnd(subject);
                load.stop();
                LatencyHistogram all = load.all();
                LatencyHistogram floor = load.control();
                long oneMs = TimeUnit.MILLISECONDS.toNanos(1);
                System.out.println("| " + subject.name + " | " + all.count() + " | " + load.duringRefresh().count()
                        + " | " + Report.time(all.percentile(0.5)) + " | " + Report.time(all.percentile(0.99))
                        + " | " + Report.time(all.percentile(0.999)) + " | " + Report.time(all.max()) + " | "
                        + all.countAbove(oneMs) + " | " + floor.countAbove(oneMs) + " | " + Report.time(floor.max())
                        + " | " + (subject.requests() - before) + " | " + outcomes(load.errors()) + " |");
            }
            pause();
        }
        System.out.println();
        System.out.println("The control: right after each call, the same thread calls and times a getter of a volatile "
                + "field, so the control has as many calls as the subject, in the same conditions: what the machine "
                + "itself does to a call that cannot block.");
        System.out.println();
    }

    /**
     * Scenario 4: the endpoint fails (HTTP 503 after 50 ms) while the token is still valid and inside its refresh
     * window, for {@code duration} of steady calls by 16 threads (one call per thread per millisecond). Counts the
     * endpoint requests.
     */
    static void outageWhileValid(Duration duration) throws Exception {
        System.out.println("### 4. Outage while the token is valid: " + duration.toSeconds() + " s of calls by 16 "
                + "threads, endpoint failing (HTTP 503 after " + ENDPOINT_TIME.toMillis() + " ms)");
        System.out.println();
        System.out.println("| subject | endpoint requests | per minute | refresh attempts | failed calls | p99 call "
                + "| slowest call |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        List<String> notes = new ArrayList<>();
        for (Subject subject : Subject.all(true)) {
            try (subject) {
                subject.prepare();
                subject.server.delay(ENDPOINT_TIME).failing(true);
                Callers.Load load = Callers.Load.start(16, subject::call, Duration.ofMillis(1), Duration.ofMillis(1),
                        subject.attempts, null);
                Thread.sleep(200);
                int before = subject.requests();
                subject.attempts.arm();
                load.record();
                long start = System.nanoTime();
                subject.jump(Subject.INTO_REFRESH_WINDOW);
                Thread.sleep(duration.toMillis());
                int requests = subject.requests() - before;
                long elapsed = System.nanoTime() - start;
                load.stop();
                LatencyHistogram all = load.all();
                List<Long> attempts = subject.attempts.starts();
                System.out.println("| " + subject.name + " | " + requests + " | "
                        + String.format(Locale.ROOT, "%.0f", requests * 60e9 / elapsed) + " | " + attempts.size()
                        + " | " + load.errors().values().stream().mapToInt(Integer::intValue).sum() + " | "
                        + Report.time(all.percentile(0.99)) + " | " + Report.time(all.max()) + " |");
                if (subject instanceof Subject.Ours) {
                    notes.add("Refresh attempts of " + subject.name + ", seconds after the clock entered the refresh "
                            + "window: " + attempts.stream()
                                    .map(t -> String.format(Locale.ROOT, "%.2f", (t - start) / 1e9))
                                    .collect(Collectors.joining(", ")));
                }
            }
            pause();
        }
        System.out.println();
        notes.forEach(note -> System.out.println(note + "\n"));
    }

    /**
     * Scenario 5: the endpoint fails (HTTP 503 after 50 ms) and the token has expired; 200 callers at once. This
     * library's callers have deadlines of 1, 2, 3 and 4 s (50 each); the alternatives have no deadline in their API.
     */
    static void outageExpired(int callers) throws Exception {
        System.out.println("### 5. Outage with an expired token: " + callers + " callers at once, endpoint failing "
                + "(HTTP 503 after " + ENDPOINT_TIME.toMillis() + " ms)");
        System.out.println();
        System.out.println("| subject | endpoint requests | refresh attempts | outcomes | fastest answer | slowest "
                + "answer | latest answer after its own deadline |");
        System.out.println("|---|---:|---:|---|---:|---:|---:|");
        for (Subject subject : Subject.all(true)) {
            try (subject) {
                subject.prepare();
                subject.server.delay(ENDPOINT_TIME).failing(true);
                subject.jump(Subject.PAST_EXPIRY);
                int before = subject.requests();
                subject.attempts.arm();
                Callers.Burst burst = Callers.burst(callers, i -> () -> subject.call(deadline(i)),
                        Duration.ofSeconds(30));
                int requests = subject.requests() - before;
                long fastest = Long.MAX_VALUE;
                long lateness = Long.MIN_VALUE;
                for (int i = 0; i < callers; i++) {
                    fastest = Math.min(fastest, burst.ownTime[i]);
                    lateness = Math.max(lateness, burst.ownTime[i] - deadline(i).toNanos());
                }
                System.out.println("| " + subject.name + " | " + requests + " | " + subject.attempts.starts().size()
                        + " | " + outcomes(burst.outcomes()) + " | " + Report.millis(fastest) + " | "
                        + Report.millis(burst.slowest()) + " | "
                        + (subject.hasDeadline() ? Report.millis(lateness) : "no deadline in the API") + " |");
            }
            pause();
        }
        System.out.println();
    }

    /** Waits until the subject's first recorded refresh attempt ended, and 300 ms more (8 s at most). */
    private static void awaitFirstAttemptEnd(Subject subject) throws InterruptedException {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (System.nanoTime() < limit) {
            long end = subject.attempts.firstEnd();
            if (end != 0 && System.nanoTime() > end + TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
            Thread.sleep(10);
        }
    }

    /** Caller {@code i}'s deadline in scenario 5: 1, 2, 3 or 4 seconds. */
    private static Duration deadline(int i) {
        return Duration.ofSeconds(1 + i % 4);
    }

    private static String outcomes(Map<String, Integer> outcomes) {
        if (outcomes.isEmpty()) {
            return "none";
        }
        return outcomes.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }

    /** Lets background work of the subject just closed (AWS NonBlocking's tasks, say) drain before the next. */
    private static void pause() throws InterruptedException {
        Thread.sleep(1000);
    }
}
