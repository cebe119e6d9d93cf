package com.bigledger.auth.internal;

import com.bigledger.auth.Scheduler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling and backoff side of a {@link RefreshingValue}: hands loads and timers to the {@link Scheduler} and
 * asks the {@link RetryPolicy} for the delay after a failure, so that neither a scheduler that refuses nor a policy
 * that throws stops the value from loading again. Holds no state of the value: the caller decides, under its own
 * lock, which timer is current. Thread-safe.
 *
 * @param name the value's name, for the log
 * @param scheduler runs the loads and the timers
 * @param retryPolicy gives the delay after a failure
 */
record RefreshTimers(String name, Scheduler scheduler, RetryPolicy retryPolicy) {

    /** How soon a step that failed for a reason other than the load (a clock, a scheduler) is tried again. */
    static final Duration FAULT_RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingValue.class);

    /** Runs {@code task} on a worker now; throws what the scheduler throws when it refuses. */
    void execute(Runnable task) {
        scheduler.execute(task);
    }

    /**
     * Arms a refresh timer ({@code delay} clamped to zero).
     *
     * @return the timer, or {@code null} when the scheduler refused it: the value is then refreshed by the first
     *     call after it expires
     */
    Scheduler.Cancellable scheduleRefresh(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.isNegative() ? Duration.ZERO : delay);
        } catch (Throwable e) {
            LOG.warn("{}: the scheduler refused the refresh timer ({}); the value is refreshed by the first call "
                    + "after it expires", name, e.getClass().getName());
            return null;
        }
    }

    /**
     * Arms a retry timer.
     *
     * @return the timer, or {@code null} when the scheduler refused it: the first call after {@code delay} tries
     *     again
     */
    Scheduler.Cancellable scheduleRetry(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay);
        } catch (Throwable e) {
            LOG.warn("{}: the scheduler refused the retry ({}); the first call after {} tries again", name,
                    e.getClass().getName(), Durations.format(delay));
            return null;
        }
    }

    /** Cancels {@code timer}, if any; one that cannot be cancelled fires into a stale check and does nothing. */
    void cancel(Scheduler.Cancellable timer) {
        if (timer == null) {
            return;
        }
        try {
            timer.cancel();
        } catch (RuntimeException e) {
            LOG.debug("{}: cancelling a timer threw {}", name, e.getClass().getName());
        }
    }

    /** Makes the retry policy forget past failures; a policy that throws is logged. */
    void resetPolicy() {
        try {
            retryPolicy.reset();
        } catch (RuntimeException e) {
            LOG.warn("{}: the retry policy's reset threw {}", name, e.getClass().getName());
        }
    }

    /**
     * The retry policy's delay after {@code failures} failures in a row.
     *
     * @return the delay, {@code null} when the policy gives none, or {@link #FAULT_RETRY} when the policy itself
     *     throws, so that loading goes on
     */
    Duration nextDelay(RuntimeException failure, int failures) {
        try {
            return retryPolicy.next(failure, failures).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("{}: the retry policy threw {}; retrying in {}", name, e.getClass().getName(), FAULT_RETRY);
            return FAULT_RETRY;
        }
    }
}
