package com.bigledger.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The system clock's time in milliseconds, read on the hot path as one volatile field: a daemon thread publishes
 * {@link System#currentTimeMillis()} (the time {@link Clock#systemUTC()} reads) every {@value #PERIOD_MILLIS} ms
 * while the time is being read, and sleeps while it is not.
 *
 * <p>The publisher stays awake for {@value #AWAKE_PERIODS} periods after it is woken, then marks the time as
 * unpublished and parks until a reader wakes it. A reader that finds the mark reads the system clock itself, puts
 * that time in the field and wakes the publisher: a process whose managers are idle runs no thread of this class
 * at all, and one in use pays one system-clock read and one wake-up per {@value #AWAKE_PERIODS} periods on some
 * caller's thread.
 *
 * <p>The time read is never ahead of the system clock and lags it by at most one period plus however late the
 * publishing thread is scheduled: a reader gets either the mark (and then the system clock's own time) or a time the
 * publisher put there at most one period before, or a reader's own fresh time that the publisher replaces within one
 * period of being woken. After a machine sleeps, the next publication is due at most one period of monotonic time
 * after the resume; a wall-clock jump is seen at the next publication. The thread runs nothing but the publication
 * (no user code, no lock), survives any {@link Throwable} and interruption, and is replaced if it ever dies, so the
 * lag stays bounded for the life of the process.
 */
final class CoarseClock {

    /** How often the time is published while the publisher is awake. */
    static final long PERIOD_MILLIS = 250;

    /** How many periods the publisher stays awake after it is woken: 10 s. */
    static final int AWAKE_PERIODS = 40;

    /**
     * The staleness bound the coarse clock is used for: one period, plus the rest of a second for the publishing
     * thread to be scheduled late on a loaded machine.
     */
    static final Duration BOUND = Duration.ofSeconds(1);

    /** In {@link #now}: the publisher is asleep, so a reader reads the system clock and wakes it. */
    static final long ASLEEP = Long.MIN_VALUE;

    private static final CoarseClock SYSTEM = new CoarseClock(PERIOD_MILLIS, AWAKE_PERIODS, "bigledger-auth-clock");

    private final long periodNanos;
    private final int awakePeriods;
    private final String threadName;
    private volatile long now = System.currentTimeMillis();
    private volatile Thread publisher;
    /** For a test's own clock only: ends its publisher. */
    private volatile boolean stopped;
    /** How many times the publisher has published; read by tests. Written by the publisher thread alone. */
    private volatile long publications;

    CoarseClock(long periodMillis, int awakePeriods, String threadName) {
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.awakePeriods = awakePeriods;
        this.threadName = threadName;
        start();
    }

    /**
     * Returns the system clock's time as the publisher last published it.
     *
     * @return milliseconds since the epoch, at most about one period behind the system clock
     */
    static long millis() {
        return SYSTEM.read();
    }

    /**
     * Tells whether {@code clock} reads the system clock that this class publishes.
     *
     * @param clock a clock
     * @return {@code true} for {@link Clock#systemUTC()} and the other system clocks
     */
    static boolean publishes(Clock clock) {
        return clock.getClass() == Clock.systemUTC().getClass();
    }

    /**
     * Returns the published time, or the system clock's when the publisher sleeps (waking it).
     *
     * @return milliseconds since the epoch
     */
    long read() {
        long published = now;
        return published != ASLEEP ? published : wake();
    }

    /** Off the hot path: the publisher sleeps. Several readers may get here at once; one wakes it. */
    private long wake() {
        long time = System.currentTimeMillis();
        synchronized (this) {
            if (now == ASLEEP) {
                now = time;
                LockSupport.unpark(publisher);
            }
        }
        return time;
    }

    /** Whether the publisher is asleep, for tests. */
    boolean asleep() {
        return now == ASLEEP;
    }

    /** How many times the time was published, for tests. */
    long publications() {
        return publications;
    }

    /** Ends the publisher of a test's own clock; the process-wide one is never stopped. */
    void stop() {
        stopped = true;
        LockSupport.unpark(publisher);
    }

    private void start() {
        Thread thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        // Not reached by any Throwable the loop can catch; kept so that the time is published whatever happens.
        thread.setUncaughtExceptionHandler((dead, e) -> start());
        publisher = thread;
        thread.start();
    }

    private void run() {
        while (!stopped) {
            try {
                publishWhileAwake();
                sleepUntilRead();
            } catch (Throwable e) {
                // Nothing here can fail but the VM itself (an OutOfMemoryError while parking, say): keep publishing.
                now = System.currentTimeMillis();
            }
        }
    }

    // The loop bodies are methods of their own, so that the JIT compiles them: a loop entered once and never left
    // would otherwise stay interpreted for hours.
    private void publishWhileAwake() {
        for (int i = 0; i < awakePeriods && !stopped; i++) {
            publishOnce();
        }
    }

    private void publishOnce() {
        now = System.currentTimeMillis();
        publications++;
        LockSupport.parkNanos(this, periodNanos);
        // An interrupt ends a park at once; it must not turn this into a busy loop.
        Thread.interrupted();
    }

    private void sleepUntilRead() {
        synchronized (this) {
            now = ASLEEP;
        }
        // A reader that saw the time before the mark read one published at most one period ago.
        while (now == ASLEEP && !stopped) {
            LockSupport.park(this);
            Thread.interrupted();
        }
    }
}
