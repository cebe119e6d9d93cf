package com.bigledger.auth.testing;

import com.bigledger.auth.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A scheduler driven by a {@link FakeClock}: tasks run only when a test calls {@link #runDue()} or
 * {@link #advance(Duration)}, on the test's thread. Thread-safe: other threads may schedule while a test runs
 * due tasks.
 */
public final class FakeScheduler implements Scheduler {

    private static final class Task {
        final Instant due;
        final long sequence;
        final Runnable work;
        boolean cancelled;

        Task(Instant due, long sequence, Runnable work) {
            this.due = due;
            this.sequence = sequence;
            this.work = work;
        }
    }

    private final FakeClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>(
            Comparator.comparing((Task task) -> task.due).thenComparingLong(task -> task.sequence));
    private long sequence;
    private long executed;

    /**
     * A scheduler on {@code clock}.
     *
     * @param clock the clock whose instant decides which tasks are due
     */
    public FakeScheduler(FakeClock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        java.util.Objects.requireNonNull(task, "task");
        java.util.Objects.requireNonNull(delay, "delay");
        Task scheduled = new Task(clock.instant().plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, task);
        queue.add(scheduled);
        notifyAll();
        return () -> {
            synchronized (FakeScheduler.this) {
                scheduled.cancelled = true;
                queue.remove(scheduled);
            }
        };
    }

    /**
     * Runs every task due at the clock's instant, including tasks that become due while running, in due order.
     *
     * @return how many tasks ran
     */
    public int runDue() {
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(clock.instant())) {
                    return ran;
                }
                queue.poll();
                executed++;
            }
            next.work.run();
            ran++;
        }
    }

    /**
     * Advances the clock by {@code duration} and runs what became due.
     *
     * @param duration how far to move the clock
     * @return how many tasks ran
     */
    public int advance(Duration duration) {
        clock.advance(duration);
        return runDue();
    }

    /**
     * Runs due tasks on this thread until {@code result} (work another thread is doing, which needs those tasks)
     * is done, and returns its outcome. Unlike {@link #awaitQueued(int)} followed by {@link #runDue()}, it cannot
     * miss a task queued just after a check. Bounded by a generous limit so that a broken test fails instead of
     * hanging.
     *
     * @param result the other thread's work
     * @param <T> its result type
     * @return its result
     * @throws Exception the work's failure, wrapped as {@link java.util.concurrent.Future#get()} wraps it
     */
    public <T> T runUntilDone(java.util.concurrent.Future<T> result) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!result.isDone()) {
            if (runDue() == 0) {
                synchronized (this) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("the work did not finish while due tasks were run");
                    }
                    // Woken by schedule(); the bound only re-checks whether the work finished.
                    wait(10);
                }
            }
        }
        return result.get();
    }

    /**
     * Waits until at least {@code count} tasks are queued, for tests where other threads schedule work. Bounded
     * by a generous limit so that a broken test fails instead of hanging.
     *
     * @param count how many queued tasks to wait for
     * @throws InterruptedException if interrupted
     */
    public synchronized void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (queue.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " queued tasks, have " + queue.size());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * Returns when each queued task is due, soonest first.
     *
     * @return the due instants
     */
    public synchronized List<Instant> queued() {
        List<Task> tasks = new ArrayList<>(queue);
        tasks.sort(queue.comparator());
        List<Instant> due = new ArrayList<>();
        for (Task task : tasks) {
            due.add(task.due);
        }
        return due;
    }

    /**
     * Returns the delay from now to each queued task, soonest first.
     *
     * @return the delays
     */
    public synchronized List<Duration> queuedDelays() {
        List<Duration> delays = new ArrayList<>();
        for (Instant due : queued()) {
            delays.add(Duration.between(clock.instant(), due));
        }
        return delays;
    }

    /**
     * Checks that no task is queued: the code under test left no timer behind (after {@code close()}, say, or once
     * the work it scheduled has run).
     *
     * @throws AssertionError if tasks are queued; the message says how many and when each is due, from now
     */
    public synchronized void assertNoMoreTasks() {
        if (!queue.isEmpty()) {
            throw new AssertionError("expected no queued tasks, have " + queue.size() + ", due in " + queuedDelays());
        }
    }

    /**
     * Returns how many tasks have run so far.
     *
     * @return the count
     */
    public synchronized long executed() {
        return executed;
    }
}
