package com.bigledger.auth;

import com.bigledger.auth.internal.ExecutorScheduler;
import com.bigledger.auth.internal.SharedScheduler;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs the library's background work: refreshes ahead of expiry, retries after a backoff, expiry of cached
 * values.
 *
 * <p>By default every vault and token manager shares {@link #systemDefault()}: one daemon timer thread that hands
 * each due task to a shared pool of daemon worker threads, so that a slow store never delays another value's timer
 * and no object owns a thread of its own. Supply your own to run the work on your executors, or a fake in tests to
 * run due work by hand. Implementations must be thread-safe.
 */
public interface Scheduler {

    /**
     * Runs {@code task} once, after {@code delay}, on a thread that may block on I/O.
     *
     * @param task the work
     * @param delay how long to wait; zero or negative means as soon as possible
     * @return a handle that cancels the task if it has not started
     */
    Cancellable schedule(Runnable task, Duration delay);

    /**
     * Runs a short task that never blocks once, after {@code delay}: a clock check, say. An implementation may run
     * it on its timer thread instead of handing it to a worker. By default, the same as
     * {@link #schedule(Runnable, Duration)}.
     *
     * @param task the work; must not block
     * @param delay how long to wait; zero or negative means as soon as possible
     * @return a handle that cancels the task if it has not started
     */
    default Cancellable scheduleShort(Runnable task, Duration delay) {
        return schedule(task, delay);
    }

    /**
     * Runs {@code task} as soon as possible on a thread that may block on I/O.
     *
     * @param task the work
     */
    default void execute(Runnable task) {
        schedule(task, Duration.ZERO);
    }

    /**
     * The shared default: one daemon timer thread and a shared pool of daemon workers, created on first use.
     *
     * @return the shared scheduler
     */
    static Scheduler systemDefault() {
        return SharedScheduler.INSTANCE;
    }

    /**
     * A scheduler over your own executors: {@code timer} decides when, {@code workers} runs the task, so that a
     * task blocked on I/O never holds the timer thread.
     *
     * @param timer the executor that waits for delays; it runs no task itself
     * @param workers the executor that runs the tasks
     * @return the scheduler; it does not shut either executor down
     */
    static Scheduler of(ScheduledExecutorService timer, Executor workers) {
        return new ExecutorScheduler(timer, workers, "Scheduler.of(a timer, workers)");
    }

    /** Cancels a scheduled task that has not started yet. */
    @FunctionalInterface
    interface Cancellable {

        /** Cancels the task if it has not started; does nothing otherwise. */
        void cancel();
    }
}
