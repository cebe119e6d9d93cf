package com.bigledger.auth.internal;

import com.bigledger.auth.Scheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one owner's listener notifications in order, one at a time, on a {@link Scheduler} worker: never on the
 * thread that posts them, never under the poster's lock. A notification that throws is logged and the next one
 * runs; one that blocks holds back only the later notifications of the same owner, and is reported once in the
 * log when a notification is posted behind it after {@link #BLOCKED_AFTER}. Thread-safe.
 */
public final class SerialNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(SerialNotifier.class);

    /** How long one notification may run before the next post reports it as blocked. */
    static final Duration BLOCKED_AFTER = Duration.ofSeconds(10);

    private final String name;
    private final Scheduler scheduler;
    private final LongSupplier nanoTime;
    private final long blockedAfterNanos;
    // Guarded by this.
    /** The notifications not yet run; made by the first post and dropped when drained, so an idle owner holds none. */
    private ArrayDeque<Runnable> queue;
    private boolean draining;
    /** Which drain may run: a drain handed to the scheduler before {@link #flush} took its work over runs nothing. */
    private int drainTicket;
    /** The drain handed to the scheduler and not started, cancelled by a flush that takes its work over. */
    private Scheduler.Cancellable scheduled;
    /** The thread running notifications, or null. */
    private Thread drainer;
    private long runningSince;
    private boolean running;
    private boolean reportedBlocked;
    private boolean reportedRejected;

    /**
     * Creates the queue of one owner.
     *
     * @param name the owner's name, for the log
     * @param scheduler where the notifications run
     */
    public SerialNotifier(String name, Scheduler scheduler) {
        this(name, scheduler, System::nanoTime, BLOCKED_AFTER);
    }

    SerialNotifier(String name, Scheduler scheduler, LongSupplier nanoTime, Duration blockedAfter) {
        this.name = Objects.requireNonNull(name, "name");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoTime = nanoTime;
        this.blockedAfterNanos = blockedAfter.toNanos();
    }

    /**
     * Queues a notification. Never runs it on this thread; never throws but for a null notification.
     *
     * @param notification the listener call
     */
    public void post(Runnable notification) {
        Objects.requireNonNull(notification, "notification");
        int ticket;
        synchronized (this) {
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            queue.add(notification);
            if (draining) {
                if (running && !reportedBlocked && nanoTime.getAsLong() - runningSince >= blockedAfterNanos) {
                    reportedBlocked = true;
                    LOG.warn("{}: a listener has not returned for more than {}; the later events of {} wait "
                            + "behind it (reported once)", name, Durations.format(BLOCKED_AFTER), name);
                }
                return;
            }
            draining = true;
            ticket = ++drainTicket;
        }
        handToScheduler(ticket);
    }

    /**
     * Hands the drain of {@code ticket} to the scheduler as a task it can cancel; if the scheduler refuses, drops the
     * queue and reports that once (unless a flush took the queue over meanwhile).
     */
    private void handToScheduler(int ticket) {
        try {
            Scheduler.Cancellable handle = scheduler.schedule(() -> drain(ticket), Duration.ZERO);
            synchronized (this) {
                if (ticket == drainTicket && !running) {
                    scheduled = handle;
                }
            }
        } catch (Throwable e) {
            int dropped;
            boolean report;
            synchronized (this) {
                if (ticket != drainTicket) {
                    return; // a flush took the queue over meanwhile and delivers it
                }
                dropped = queue == null ? 0 : queue.size();
                queue = null;
                draining = false;
                notifyAll();
                report = !reportedRejected;
                reportedRejected = true;
            }
            if (report) {
                LOG.warn("{}: the scheduler refused to run listeners ({}); {} event(s) dropped (reported once)", name,
                        e.getClass().getName(), dropped);
            }
        }
    }

    /**
     * Delivers, before it returns, every notification posted before the call: it waits for the one running on a
     * worker, and runs on the calling thread those whose drain has not started yet (a scheduler with no free worker
     * would otherwise hold them). Called from a notification, returns at once: that drain goes on after it. Gives
     * up at the deadline, and leaves what is left to the drain; a notification run here is not interrupted at the
     * deadline. Never throws.
     *
     * @param deadlineNanos when to give up, on the {@link System#nanoTime()} scale
     * @return whether everything posted before the call was delivered
     */
    public boolean flush(long deadlineNanos) {
        Thread self = Thread.currentThread();
        int ticket;
        Scheduler.Cancellable superseded;
        synchronized (this) {
            if (drainer == self) {
                return false;
            }
            while (true) {
                if (!draining) {
                    return true;
                }
                if (!running) {
                    // The drain is queued on the scheduler, not started: this thread takes its work over.
                    ticket = ++drainTicket;
                    superseded = scheduled;
                    scheduled = null;
                    break;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    self.interrupt();
                    return false;
                }
            }
        }
        if (superseded != null) {
            // Outside the lock: the scheduler is the caller's code. Where it cannot cancel, the drain runs nothing.
            try {
                superseded.cancel();
            } catch (Throwable e) {
                LOG.debug("{}: cancelling a queued drain threw {}", name, e.getClass().getName());
            }
        }
        return drain(ticket, deadlineNanos);
    }

    private void drain(int ticket) {
        drain(ticket, Long.MAX_VALUE);
    }

    /** Runs queued notifications while {@code ticket} is current; returns whether the queue was emptied. */
    private boolean drain(int ticket, long deadlineNanos) {
        boolean bounded = deadlineNanos != Long.MAX_VALUE;
        while (true) {
            Runnable next;
            synchronized (this) {
                if (ticket != drainTicket) {
                    return false;
                }
                if (running) {
                    // Only a flush that gave up at its deadline leaves this: a new drain has the queue.
                    return false;
                }
                next = queue == null ? null : queue.poll();
                if (next == null) {
                    queue = null;
                    draining = false;
                    notifyAll();
                    return true;
                }
                if (bounded && deadlineNanos - System.nanoTime() <= 0) {
                    queue.addFirst(next);
                    break;
                }
                running = true;
                scheduled = null;
                drainer = Thread.currentThread();
                runningSince = nanoTime.getAsLong();
            }
            try {
                next.run();
            } catch (Throwable e) {
                LOG.warn("{}: a listener threw {}", name, e.getClass().getName());
            } finally {
                synchronized (this) {
                    running = false;
                    drainer = null;
                    notifyAll();
                }
            }
        }
        // The flush ran out of time with notifications left: they go back to the scheduler.
        int handOver;
        synchronized (this) {
            handOver = ++drainTicket;
        }
        handToScheduler(handOver);
        return false;
    }
}
