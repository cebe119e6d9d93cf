package com.bigledger.auth.benchmarks;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.TokenManager;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import software.amazon.awssdk.utils.cache.CachedSupplier;

/**
 * The wall clock jumps 2 hours forward under a cached one-hour token: how long after the jump is the expired token
 * still served? For this library, google-auth, the AWS SDK's {@code CachedSupplier} and Caffeine.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar com.bigledger.auth.benchmarks.ClockJump \
 *     [--rounds=5] [--window-ms=2000] [--gap-seconds=20]
 * </pre>
 *
 * <p><b>Part 1, an injected clock.</b> Each subject runs on its own {@link OffsetClock} (the system clock plus an
 * offset) holding a one-hour token from a healthy fake endpoint on 127.0.0.1; the offset jumps by 2 hours and one
 * thread then calls the subject without pause for {@code --window-ms}. Reported per subject, over
 * {@code --rounds} rounds (a new instance each): the latest start of a call, measured from the jump, that still
 * returned the old token, and how many calls did. This library takes the clock as a builder option
 * ({@code TokenManagerBuilder.clock}), AWS {@code CachedSupplier} in its builder, google-auth in a package-private
 * field (set by reflection). Caffeine's {@link Ticker} is monotonic ({@code System.nanoTime()}): a wall-clock jump
 * does not move it, so it runs on {@link Ticker#systemTicker()} here, as it would in a service, and the jump is
 * not seen at all.
 *
 * <p><b>Part 2, this library on the real system clock.</b> The wall clock of the machine is not moved (that needs
 * root and would disturb everything else on it). With {@code Clock.systemUTC()} and the default 1 s staleness
 * bound, {@code token()} compares the token's expiry with a process-wide coarse clock that a daemon thread
 * publishes every 250 ms; a jump is seen at its next publication. Two measurements stand in for the jump:
 * <ol>
 *   <li>a token that expires while it is being read: a 3-second token (expiry skew 0), with the endpoint then made
 *       to answer only after 30 s so that no refresh replaces it and no timer event runs near the expiry; one
 *       thread calls {@code token(10 ms)} without pause, and the latest call start (wall time) that still returned
 *       the token is compared with its {@code expiresAt}. To the coarse clock, the system clock passing the expiry
 *       and the system clock jumping past it are the same event;</li>
 *   <li>the coarse clock's publication gaps, read by reflection for {@code --gap-seconds}: a jump at a random
 *       instant is seen by {@code token()} at the end of the gap it falls in, so the largest gap is the longest an
 *       expired token is served after a real jump.</li>
 * </ol>
 *
 * <p>Bounded in time (a few seconds a round), loopback only; tokens are random run-time values, never printed.
 */
public final class ClockJump {

    private static final Duration JUMP = Duration.ofHours(2);

    private ClockJump() {
    }

    /** What one round saw after the jump. */
    private record Outcome(long lastOldNanos, long oldCalls, long calls, long errors, long firstNewNanos) {
    }

    /** One subject of part 1: a new instance per round, reading the token text. */
    private interface Instance extends AutoCloseable {
        String read() throws Exception;

        OffsetClock clock();

        @Override
        void close();
    }

    /**
     * Runs the scenario.
     *
     * @param args {@code --rounds=N}, {@code --window-ms=MS}, {@code --gap-seconds=S}
     * @throws Exception if the scenario cannot run
     */
    public static void main(String[] args) throws Exception {
        int rounds = 5;
        long windowMillis = 2000;
        int gapSeconds = 20;
        for (String arg : args) {
            if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            } else if (arg.startsWith("--window-ms=")) {
                windowMillis = Long.parseLong(arg.substring("--window-ms=".length()));
            } else if (arg.startsWith("--gap-seconds=")) {
                gapSeconds = Integer.parseInt(arg.substring("--gap-seconds=".length()));
            } else {
                System.err.println("usage: ClockJump [--rounds=5] [--window-ms=2000] [--gap-seconds=20]");
                System.exit(2);
            }
        }
        Report.machine();
        partOne(rounds, windowMillis);
        partTwo(rounds, gapSeconds);
        System.out.println("Load average (1 min) at the end: " + Report.load());
        System.exit(0);
    }

    private static void partOne(int rounds, long windowMillis) throws Exception {
        List<String> names = List.of("bigledger-auth `TokenManager`, injected clock", "google-auth `OAuth2Credentials`",
                "AWS `CachedSupplier`, `OneCallerBlocks`", "AWS `CachedSupplier`, `NonBlocking`",
                "Caffeine `LoadingCache` (`Ticker.systemTicker()`)");
        List<Supplier<Instance>> makers = List.of(ClockJump::ours, ClockJump::google, () -> aws(false),
                () -> aws(true), ClockJump::caffeine);
        System.out.println("### Part 1: the injected clock jumps 2 h forward (" + rounds + " rounds, one caller "
                + "without pause, " + windowMillis + " ms observed after each jump)");
        System.out.println();
        System.out.println("| subject | old token served after the jump: latest call start (median / worst) "
                + "| calls that got the old token (median / worst) | a caller had a new token after (median) "
                + "| calls in the window (median) | failed calls |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (int s = 0; s < names.size(); s++) {
            List<Outcome> outcomes = new ArrayList<>();
            // One unreported warm-up round, so that class loading and the first compilation are not counted.
            for (int round = -1; round < rounds; round++) {
                try (Instance instance = makers.get(s).get()) {
                    Outcome outcome = observe(instance, windowMillis);
                    if (round >= 0) {
                        outcomes.add(outcome);
                    }
                }
            }
            System.out.println("| " + names.get(s) + " | " + served(outcomes, windowMillis) + " | "
                    + (long) medianOf(outcomes, o -> (double) o.oldCalls) + " / "
                    + (long) maxOf(outcomes, o -> (double) o.oldCalls) + " | "
                    + firstNew(outcomes) + " | " + (long) medianOf(outcomes, o -> (double) o.calls) + " | "
                    + outcomes.stream().mapToLong(Outcome::errors).sum() + " |");
        }
        System.out.println();
    }

    private static Outcome observe(Instance instance, long windowMillis) throws Exception {
        String old = instance.read();
        // A random phase, so that nothing lines up with a timer.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(50, 300)));
        instance.clock().jump(JUMP);
        long jumped = System.nanoTime();
        long end = jumped + TimeUnit.MILLISECONDS.toNanos(windowMillis);
        long lastOld = -1;
        long firstNew = -1;
        long oldCalls = 0;
        long calls = 0;
        long errors = 0;
        while (true) {
            long start = System.nanoTime();
            if (start >= end) {
                break;
            }
            calls++;
            try {
                String value = instance.read();
                if (old.equals(value)) {
                    oldCalls++;
                    lastOld = start - jumped;
                } else if (firstNew < 0) {
                    // When the first caller had the new token: the end of its call.
                    firstNew = System.nanoTime() - jumped;
                }
            } catch (Exception e) {
                errors++;
            }
        }
        return new Outcome(lastOld, oldCalls, calls, errors, firstNew);
    }

    private static String served(List<Outcome> outcomes, long windowMillis) {
        if (outcomes.stream().allMatch(o -> o.lastOldNanos < 0)) {
            return "never (0 calls)";
        }
        long window = TimeUnit.MILLISECONDS.toNanos(windowMillis);
        if (outcomes.stream().allMatch(o -> o.lastOldNanos >= window - TimeUnit.MILLISECONDS.toNanos(50))) {
            return "the whole " + windowMillis + " ms window, every round";
        }
        return time(medianOf(outcomes, o -> (double) Math.max(0, o.lastOldNanos))) + " / "
                + time(maxOf(outcomes, o -> (double) o.lastOldNanos));
    }

    private static String firstNew(List<Outcome> outcomes) {
        if (outcomes.stream().allMatch(o -> o.firstNewNanos < 0)) {
            return "none in the window";
        }
        List<Double> values = new ArrayList<>();
        outcomes.stream().filter(o -> o.firstNewNanos >= 0).forEach(o -> values.add((double) o.firstNewNanos));
        return time(HotPathInterleaved.median(values));
    }

    private static Instance ours() {
        TokenServer server = TokenServer.start();
        OffsetClock clock = new OffsetClock();
        TokenManager manager = TokenManager.builder().client(server.client()).clientCredentials().clock(clock).build();
        return new Instance() {
            @Override
            public String read() {
                return manager.token(Duration.ofSeconds(5)).reveal();
            }

            @Override
            public OffsetClock clock() {
                return clock;
            }

            @Override
            public void close() {
                manager.close();
                server.close();
            }
        };
    }

    private static Instance google() {
        TokenServer server = TokenServer.start();
        OffsetClock clock = new OffsetClock();
        URI uri = URI.create("https://api.bigledger.com/v1/accounts");
        // google-auth's default margins: stale 3 min 45 s, expired 3 min before the expiry.
        Alternatives.EndpointCredentials credentials = new Alternatives.EndpointCredentials(server.fetch(), clock, null,
                Duration.ofSeconds(225), Duration.ofMinutes(3));
        Alternatives.useClock(credentials, clock);
        return new Instance() {
            @Override
            public String read() throws Exception {
                return credentials.getRequestMetadata(uri).get("Authorization").get(0);
            }

            @Override
            public OffsetClock clock() {
                return clock;
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    private static Instance aws(boolean nonBlocking) {
        TokenServer server = TokenServer.start();
        OffsetClock clock = new OffsetClock();
        CachedSupplier<String> supplier = Alternatives.aws(server.fetch(), clock, nonBlocking, Duration.ofSeconds(30),
                Duration.ofMinutes(5), true);
        return new Instance() {
            @Override
            public String read() {
                return supplier.get();
            }

            @Override
            public OffsetClock clock() {
                return clock;
            }

            @Override
            public void close() {
                supplier.close();
                server.close();
            }
        };
    }

    private static Instance caffeine() {
        TokenServer server = TokenServer.start();
        // The wall clock the token's expiry is on; Caffeine does not read it: its ticker is System.nanoTime().
        OffsetClock clock = new OffsetClock();
        LoadingCache<String, String> cache = Alternatives.caffeine(server.fetch(), Ticker.systemTicker(),
                Duration.ofMinutes(55), Optional.of(Duration.ofSeconds(3570)));
        return new Instance() {
            @Override
            public String read() {
                return cache.get(Subject.CAFFEINE_KEY);
            }

            @Override
            public OffsetClock clock() {
                return clock;
            }

            @Override
            public void close() {
                cache.invalidateAll();
                server.close();
            }
        };
    }

    private static void partTwo(int rounds, int gapSeconds) throws Exception {
        System.out.println("### Part 2: this library on the system clock (`Clock.systemUTC()`, staleness bound 1 s)");
        System.out.println();
        List<Double> after = new ArrayList<>();
        List<Double> firstRefused = new ArrayList<>();
        long oldAfterExpiry = 0;
        for (int round = -1; round < rounds; round++) {
            long[] result = expiresWhileRead();
            if (round >= 0) {
                after.add((double) result[0]);
                firstRefused.add((double) result[1]);
                oldAfterExpiry += result[2];
            }
        }
        System.out.println("| measure | median | worst |");
        System.out.println("|---|---:|---:|");
        System.out.println("| a 3 s token expiring under a caller: latest call start that still got it, after its "
                + "`expiresAt` (" + rounds + " rounds; " + oldAfterExpiry + " such calls in all) | "
                + signed(HotPathInterleaved.median(after)) + " | " + signed(max(after)) + " |");
        System.out.println("| the first call refused, after its `expiresAt` | "
                + signed(HotPathInterleaved.median(firstRefused)) + " | " + signed(max(firstRefused)) + " |");
        long[] gaps = publicationGaps(gapSeconds);
        if (gaps.length > 0) {
            long[] sorted = gaps.clone();
            java.util.Arrays.sort(sorted);
            System.out.println("| coarse clock: gap between publications over " + gapSeconds + " s (" + gaps.length
                    + " gaps; p99 " + time(sorted[(int) (sorted.length * 0.99)]) + ") | "
                    + time(sorted[sorted.length / 2]) + " | " + time(sorted[sorted.length - 1]) + " |");
        } else {
            System.out.println("| coarse clock: publication gaps | not readable in this build | |");
        }
        System.out.println();
    }

    /**
     * One round of part 2, item 1: returns, in nanoseconds relative to the token's {@code expiresAt}, the latest
     * call start that got the token, the first call start that did not, and how many calls after the expiry got it.
     */
    private static long[] expiresWhileRead() {
        // A random phase against the coarse clock's 250 ms period: otherwise each round starts a fixed time after the
        // previous one ended, and every round would see the same point of the period.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(0, 1000)));
        try (TokenServer server = TokenServer.start()) {
            server.expiresIn(Duration.ofSeconds(3));
            TokenManager manager = TokenManager.builder().client(server.client()).clientCredentials()
                    .clock(Clock.systemUTC()).expirySkew(Duration.ZERO).build();
            try {
                AccessToken token = manager.token();
                // From now on a refresh (due half-way through the token's life) waits 30 s for its answer: nothing
                // replaces the token, and no timer event of the manager runs near its expiry.
                server.delay(Duration.ofSeconds(30));
                Instant expiresAt = token.expiresAt();
                long lastOld = Long.MIN_VALUE;
                long firstRefused = Long.MIN_VALUE;
                long oldAfter = 0;
                Instant stop = expiresAt.plusSeconds(2);
                while (true) {
                    Instant start = Instant.now();
                    if (!start.isBefore(stop)) {
                        break;
                    }
                    long sinceExpiry = Duration.between(expiresAt, start).toNanos();
                    boolean old;
                    try {
                        old = manager.token(Duration.ofMillis(10)) == token;
                    } catch (RuntimeException e) {
                        old = false;
                    }
                    if (old) {
                        lastOld = sinceExpiry;
                        if (sinceExpiry >= 0) {
                            oldAfter++;
                        }
                    } else if (firstRefused == Long.MIN_VALUE) {
                        firstRefused = sinceExpiry;
                    }
                }
                return new long[] {lastOld, firstRefused, oldAfter};
            } finally {
                manager.close();
            }
        }
    }

    /**
     * The gaps between the coarse clock's publications, read by reflection, or none if it is not there. The time is
     * read as a caller reads it (which keeps the publisher awake) every 100 µs, and the field watched for changes.
     */
    private static long[] publicationGaps(int seconds) {
        VarHandle field;
        Object clock;
        java.lang.invoke.MethodHandle read;
        try {
            Class<?> coarse = Class.forName("com.bigledger.auth.internal.CoarseClock");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(coarse, MethodHandles.lookup());
            clock = lookup.findStaticVarHandle(coarse, "SYSTEM", coarse).get();
            field = lookup.findVarHandle(coarse, "now", long.class);
            read = lookup.findVirtual(coarse, "read", java.lang.invoke.MethodType.methodType(long.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new long[0];
        }
        VarHandle published = field;
        Object system = clock;
        java.lang.invoke.MethodHandle reader = read;
        java.util.function.LongSupplier now = () -> {
            try {
                reader.invoke(system);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
            return (long) published.getVolatile(system);
        };
        List<Long> gaps = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long seen = now.getAsLong();
        long seenAt = -1;
        while (System.nanoTime() < end) {
            long value = now.getAsLong();
            if (value != seen) {
                long at = System.nanoTime();
                if (seenAt >= 0) {
                    gaps.add(at - seenAt);
                }
                seen = value;
                seenAt = at;
            } else {
                // Poll every 100 µs: fine enough for gaps of 250 ms, and leaves the publisher its core.
                LockSupport.parkNanos(100_000);
            }
        }
        return gaps.stream().mapToLong(Long::longValue).toArray();
    }

    private interface ToDouble {
        double of(Outcome outcome);
    }

    private static double medianOf(List<Outcome> outcomes, ToDouble f) {
        List<Double> values = new ArrayList<>();
        outcomes.forEach(o -> values.add(f.of(o)));
        return HotPathInterleaved.median(values);
    }

    private static double maxOf(List<Outcome> outcomes, ToDouble f) {
        return outcomes.stream().mapToDouble(f::of).max().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static String time(double nanos) {
        return Report.time((long) nanos);
    }

    private static String signed(double nanos) {
        if (nanos == Long.MIN_VALUE || Double.isNaN(nanos)) {
            return "—";
        }
        return nanos < 0 ? "−" + time(-nanos) + " (before it)" : time(nanos);
    }
}
