package com.bigledger.auth.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/** Caller threads for the harness: a burst that starts together, or a steady load. All daemon, all bounded. */
final class Callers {

    private Callers() {
    }

    /** What a burst of callers saw. */
    static final class Burst {
        final long[] sinceRelease;
        final long[] ownTime;
        final String[] outcome;
        final int unfinished;
        /** When the callers were released, {@code System.nanoTime()}. */
        final long release;

        Burst(long release, long[] sinceRelease, long[] ownTime, String[] outcome, int unfinished) {
            this.release = release;
            this.sinceRelease = sinceRelease;
            this.ownTime = ownTime;
            this.outcome = outcome;
            this.unfinished = unfinished;
        }

        /** The slowest caller, measured from the common release. */
        long slowest() {
            long max = 0;
            for (long t : sinceRelease) {
                max = Math.max(max, t);
            }
            return max;
        }

        /** How many callers ended each way: {@code ok} or the exception's simple class name. */
        Map<String, Integer> outcomes() {
            Map<String, Integer> counts = new TreeMap<>();
            for (String o : outcome) {
                counts.merge(o == null ? "unfinished" : o, 1, Integer::sum);
            }
            return counts;
        }
    }

    /**
     * Starts {@code n} threads, releases them at once, and waits for all (at most {@code limit}).
     *
     * @param n how many callers
     * @param call the call of caller {@code i}
     * @param limit the longest wait for them all
     * @return what they saw
     * @throws InterruptedException if interrupted
     */
    static Burst burst(int n, IntFunction<Callable<?>> call, Duration limit) throws InterruptedException {
        long[] sinceRelease = new long[n];
        long[] ownTime = new long[n];
        String[] outcome = new String[n];
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        long[] release = new long[1];
        for (int i = 0; i < n; i++) {
            int index = i;
            Callable<?> task = call.apply(i);
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long start = System.nanoTime();
                String result;
                try {
                    task.call();
                    result = "ok";
                } catch (Exception e) {
                    result = e.getClass().getSimpleName();
                }
                long end = System.nanoTime();
                sinceRelease[index] = end - release[0];
                ownTime[index] = end - start;
                outcome[index] = result;
                done.countDown();
            }, "bench-caller-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        ready.await();
        release[0] = System.nanoTime();
        go.countDown();
        boolean all = done.await(limit.toNanos(), TimeUnit.NANOSECONDS);
        int unfinished = all ? 0 : (int) done.getCount();
        return new Burst(release[0], sinceRelease, ownTime, outcome, unfinished);
    }

    /** A steady load: threads that call, record the call's latency, pause, and call again, until stopped. */
    static final class Load {
        private final List<Thread> threads = new ArrayList<>();
        private final List<LatencyHistogram> all = new ArrayList<>();
        private final List<LatencyHistogram> duringRefresh = new ArrayList<>();
        private final List<LatencyHistogram> control = new ArrayList<>();
        private final List<Map<String, Integer>> errors = new ArrayList<>();
        private volatile boolean recording;
        private volatile boolean stopped;

        /**
         * Starts the threads.
         *
         * @param n how many threads
         * @param call the call
         * @param minPause the shortest pause between two calls of one thread
         * @param maxPause the longest pause (random in between)
         * @param attempts tells which calls overlapped the subject's first refresh attempt
         * @param controlCall called and timed right after each call, on the same thread, as a control; or
         *     {@code null}
         * @return the running load; record with {@link #record()}
         */
        static Load start(int n, Callable<?> call, Duration minPause, Duration maxPause, Subject.Attempts attempts,
                Callable<?> controlCall) {
            Load load = new Load();
            long min = minPause.toNanos();
            long max = maxPause.toNanos();
            for (int i = 0; i < n; i++) {
                LatencyHistogram histogram = new LatencyHistogram();
                LatencyHistogram during = new LatencyHistogram();
                LatencyHistogram controlled = new LatencyHistogram();
                Map<String, Integer> failures = new TreeMap<>();
                load.all.add(histogram);
                load.duringRefresh.add(during);
                load.control.add(controlled);
                load.errors.add(failures);
                Thread thread = new Thread(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!load.stopped) {
                        long start = System.nanoTime();
                        String failure = null;
                        try {
                            call.call();
                        } catch (Exception e) {
                            failure = e.getClass().getSimpleName();
                        }
                        long took = System.nanoTime() - start;
                        if (load.recording) {
                            histogram.record(took);
                            if (attempts.duringFirst(start)) {
                                during.record(took);
                            }
                            if (failure != null) {
                                failures.merge(failure, 1, Integer::sum);
                            }
                        }
                        if (controlCall != null) {
                            long controlStart = System.nanoTime();
                            try {
                                controlCall.call();
                            } catch (Exception e) {
                                failures.merge("control " + e.getClass().getSimpleName(), 1, Integer::sum);
                            }
                            long controlTook = System.nanoTime() - controlStart;
                            if (load.recording) {
                                controlled.record(controlTook);
                            }
                        }
                        LockSupport.parkNanos(min == max ? min : random.nextLong(min, max));
                    }
                }, "bench-load-" + i);
                thread.setDaemon(true);
                load.threads.add(thread);
            }
            load.threads.forEach(Thread::start);
            return load;
        }

        /** Starts recording latencies. */
        void record() {
            recording = true;
        }

        /** Stops the threads and waits for them (at most 10 s in all). */
        void stop() throws InterruptedException {
            stopped = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (Thread thread : threads) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        }

        /** Every recorded call; call after {@link #stop()}. */
        LatencyHistogram all() {
            LatencyHistogram merged = new LatencyHistogram();
            all.forEach(merged::add);
            return merged;
        }

        /** The recorded calls that started while the subject's first refresh attempt ran. */
        LatencyHistogram duringRefresh() {
            LatencyHistogram merged = new LatencyHistogram();
            duringRefresh.forEach(merged::add);
            return merged;
        }

        /** The recorded control calls. */
        LatencyHistogram control() {
            LatencyHistogram merged = new LatencyHistogram();
            control.forEach(merged::add);
            return merged;
        }

        /** Failed calls by exception class. */
        Map<String, Integer> errors() {
            Map<String, Integer> merged = new TreeMap<>();
            errors.forEach(m -> m.forEach((k, v) -> merged.merge(k, v, Integer::sum)));
            return merged;
        }
    }
}
