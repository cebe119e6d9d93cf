package com.bigledger.auth.internal;

import com.bigledger.auth.Scheduler;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The process-wide default {@link Scheduler}: one daemon timer thread, a shared pool of daemon workers. */
public final class SharedScheduler {

    /** The shared instance, created with its threads on first use. */
    public static final Scheduler INSTANCE = create();

    private SharedScheduler() {
    }

    private static Scheduler create() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("bigledger-auth-timer"));
        timer.setRemoveOnCancelPolicy(true);
        // Workers idle out after a minute, so a process with nothing to refresh holds only the timer thread.
        ThreadPoolExecutor workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemon("bigledger-auth-worker"));
        return new ExecutorScheduler(timer, workers, "Scheduler.systemDefault()");
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
