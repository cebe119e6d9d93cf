package com.bigledger.auth.internal;

import com.bigledger.auth.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@link Scheduler#of}: a timer executor that decides when, worker executor that runs. A pending task costs the
 * timer's own entry and one {@link Timed} (the hand-off to the workers and the cancel handle in one object): a
 * service holding one pending refresh per manager for many thousand managers pays that per manager. Thread-safe.
 */
public final class ExecutorScheduler implements Scheduler {

    private static final Cancellable NOTHING_TO_CANCEL = () -> { };

    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final String description;

    /**
     * Creates the scheduler.
     *
     * @param timer the executor that waits for delays and runs short tasks
     * @param workers the executor that runs the other tasks
     * @param description what {@link #toString()} says
     */
    public ExecutorScheduler(ScheduledExecutorService timer, Executor workers, String description) {
        this.timer = Objects.requireNonNull(timer, "timer");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.description = Objects.requireNonNull(description, "description");
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        if (delay.isZero() || delay.isNegative()) {
            workers.execute(task);
            return NOTHING_TO_CANCEL;
        }
        Timed timed = new Timed(task, workers);
        // A Callable goes into the timer's entry as it is; a Runnable would be wrapped in one more object.
        timed.future = timer.schedule(timed, delay.toNanos(), TimeUnit.NANOSECONDS);
        return timed;
    }

    // A short task runs on the timer thread: no hand-off to a worker, no worker woken or created.
    @Override
    public Cancellable scheduleShort(Runnable task, Duration delay) {
        Objects.requireNonNull(task, "task");
        Timed timed = new Timed(task, null);
        timed.future = timer.schedule(timed, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return timed;
    }

    @Override
    public void execute(Runnable task) {
        workers.execute(Objects.requireNonNull(task, "task"));
    }

    @Override
    public String toString() {
        return description;
    }

    /** One pending task: run by the timer (handed to the workers, or run there when short), cancelled by its owner. */
    private static final class Timed implements Callable<Void>, Cancellable {
        private final Runnable task;
        /** Where the task runs when due; {@code null} to run it on the timer thread. */
        private final Executor workers;
        /** Set before the handle is returned to the owner, who alone cancels. */
        private volatile Future<?> future;

        Timed(Runnable task, Executor workers) {
            this.task = task;
            this.workers = workers;
        }

        @Override
        public Void call() {
            if (workers == null) {
                task.run();
            } else {
                workers.execute(task);
            }
            return null;
        }

        @Override
        public void cancel() {
            Future<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }
}
