package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.LeakAssertions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Many callers at once, for the tests of what concurrent callers of one cold or expired value cause. */
public final class Callers {

    private Callers() {
    }

    /**
     * Submits {@code count} calls of {@code call} to {@code threads} and returns once every one of them has started
     * (a liveness bound of 30 seconds, not a timing assertion).
     *
     * @param <T> what a call returns
     * @param threads where the calls run
     * @param count how many calls
     * @param call the call
     * @return the calls' results, in the order submitted
     * @throws InterruptedException if interrupted while waiting for the calls to start
     */
    public static <T> List<Future<T>> startAll(ExecutorService threads, int count, Callable<T> call)
            throws InterruptedException {
        CountDownLatch started = new CountDownLatch(count);
        List<Future<T>> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(threads.submit(() -> {
                started.countDown();
                return call.call();
            }));
        }
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        return results;
    }

    /**
     * Does what {@link #startAll} does, each call's result being what it threw: {@code null} if it returned, or the
     * {@code RuntimeException} it threw, checked for leaks by {@link LeakAssertions#check}.
     *
     * @param threads where the calls run
     * @param count how many calls
     * @param call the call
     * @return what the calls threw, in the order submitted
     * @throws InterruptedException if interrupted while waiting for the calls to start
     */
    public static List<Future<Throwable>> startAllCatching(ExecutorService threads, int count, Callable<?> call)
            throws InterruptedException {
        return startAll(threads, count, () -> {
            try {
                call.call();
                return null;
            } catch (RuntimeException e) {
                return LeakAssertions.check(e);
            }
        });
    }
}
