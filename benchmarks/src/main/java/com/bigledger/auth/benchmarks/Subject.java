package com.bigledger.auth.benchmarks;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.TokenResponse;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.utils.cache.CachedSupplier;

/**
 * One token source under test in the harness: this library or an alternative, with its own fake endpoint and its
 * own {@link OffsetClock}. Every subject holds a one-hour token after {@link #prepare()}; a scenario then moves the
 * clock forward ({@link #jump}) to put that token inside its refresh window or past its expiry.
 *
 * <p>Each subject's configuration matches this library's defaults where the library lets it: the refresh window
 * opens 5 minutes (plus jitter, where the library has it) before the expiry skew, and the token stops being used
 * 30 seconds before its expiry. So the same clock jump puts every subject in the same state.
 */
abstract class Subject implements AutoCloseable {

    /** The clock jump that puts a fresh one-hour token inside every subject's refresh window, 4 minutes before expiry. */
    static final Duration INTO_REFRESH_WINDOW = Duration.ofMinutes(56);
    /** The clock jump that puts a one-hour token past its expiry. */
    static final Duration PAST_EXPIRY = Duration.ofHours(2);

    static final String CAFFEINE_KEY = "bench-client";

    final String name;
    final TokenServer server = TokenServer.start();
    final OffsetClock clock = new OffsetClock();
    final Attempts attempts = new Attempts();

    Subject(String name) {
        this.name = name;
    }

    /** Every subject of the harness, in table order, each with a new endpoint. */
    static List<Subject> all(boolean includeNonBlocking) {
        List<Subject> subjects = new ArrayList<>();
        subjects.add(new Ours());
        subjects.add(new Google());
        subjects.add(new Aws(false));
        if (includeNonBlocking) {
            subjects.add(new Aws(true));
        }
        subjects.add(new CaffeineSubject());
        return subjects;
    }

    /** Fetches the first token while the endpoint is healthy and fast. */
    abstract void prepare();

    /** One read, as a service thread would do it before each API call. */
    abstract Object call() throws Exception;

    /** One read with a deadline, where the subject has one; otherwise as {@link #call()}. */
    Object call(Duration deadline) throws Exception {
        return call();
    }

    /** Whether {@link #call(Duration)} honours the deadline. */
    boolean hasDeadline() {
        return false;
    }

    /** Moves the clock and waits until the subject has noticed, where it notices on a timer. */
    void jump(Duration by) {
        clock.jump(by);
    }

    /** Endpoint requests so far. */
    int requests() {
        return server.requests();
    }

    @Override
    public void close() {
        server.close();
    }

    /** Wraps a fetch so that each attempt is recorded. */
    Supplier<TokenResponse> recorded(Supplier<TokenResponse> fetch) {
        return () -> {
            attempts.started();
            try {
                return fetch.get();
            } finally {
                attempts.ended();
            }
        };
    }

    /**
     * The refresh attempts a subject made after {@link #arm()}: when each started, and when the first ended. For this
     * library these are load attempts, which include attempts the circuit breaker refused without a request.
     */
    static final class Attempts {
        private volatile boolean armed;
        private final AtomicLong firstStart = new AtomicLong();
        private final AtomicLong firstEnd = new AtomicLong();
        private final List<Long> starts = Collections.synchronizedList(new ArrayList<>());

        void arm() {
            armed = true;
        }

        /** Forgets what was recorded and stops recording, after a warm-up round. */
        void reset() {
            armed = false;
            firstStart.set(0);
            firstEnd.set(0);
            starts.clear();
        }

        void started() {
            if (armed) {
                long now = System.nanoTime();
                firstStart.compareAndSet(0, now);
                starts.add(now);
            }
        }

        void ended() {
            if (armed) {
                firstEnd.compareAndSet(0, System.nanoTime());
            }
        }

        /** Start of the first attempt, {@code System.nanoTime()}, or 0. */
        long firstStart() {
            return firstStart.get();
        }

        /** End of the first attempt, {@code System.nanoTime()}, or 0. */
        long firstEnd() {
            return firstEnd.get();
        }

        /** Whether a call that started at {@code nanos} overlapped the first attempt. */
        boolean duringFirst(long nanos) {
            long start = firstStart.get();
            long end = firstEnd.get();
            return start != 0 && nanos >= start && (end == 0 || nanos < end);
        }

        List<Long> starts() {
            synchronized (starts) {
                return List.copyOf(starts);
            }
        }
    }

    /** This library: a {@link TokenManager} on its defaults, with the harness's clock. */
    static final class Ours extends Subject {
        final TokenManager manager;

        Ours() {
            super("bigledger-auth TokenManager");
            manager = TokenManager.builder()
                    .client(server.client())
                    .clientCredentials()
                    .clock(clock)
                    .addListener(new TokenListener() {
                        @Override
                        public void refreshStarted(String manager, boolean tokenStillServed) {
                            attempts.started();
                        }

                        @Override
                        public void refreshSucceeded(String manager, Duration took, Instant expiresAt,
                                boolean refreshTokenRotated) {
                            attempts.ended();
                        }

                        @Override
                        public void refreshFailed(String manager, BigLedgerAuthException failure,
                                int consecutiveFailures, boolean tokenStillServed) {
                            attempts.ended();
                        }
                    })
                    .build();
        }

        @Override
        void prepare() {
            manager.token();
        }

        @Override
        Object call() {
            return manager.token();
        }

        @Override
        Object call(Duration deadline) {
            return manager.token(deadline);
        }

        @Override
        boolean hasDeadline() {
            return true;
        }

        /**
         * The manager reads the clock on its timers (at least once a second), not on each call: past the expiry, wait
         * until it has dropped the token. Into the refresh window, do not wait: the refresh starts on the next timer.
         */
        @Override
        void jump(Duration by) {
            super.jump(by);
            if (by.compareTo(PAST_EXPIRY) >= 0) {
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (manager.state() != TokenManager.State.EXPIRED && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                if (manager.state() != TokenManager.State.EXPIRED) {
                    throw new IllegalStateException("the token did not expire: " + manager.state());
                }
            }
        }

        @Override
        public void close() {
            manager.close();
            super.close();
        }
    }

    /**
     * google-auth {@code OAuth2Credentials}, with a refresh margin of 5 minutes 30 seconds and an expiration margin of
     * 30 seconds (its defaults are 3 min 45 s and 3 min, a stale window of 45 s; these give it the same window as the
     * others). Refreshes run on the calling thread, as {@code getRequestMetadata(URI)} does.
     */
    static final class Google extends Subject {
        final Alternatives.EndpointCredentials credentials;
        final java.net.URI uri = java.net.URI.create("https://api.bigledger.com/v1/accounts");

        Google() {
            super("google-auth OAuth2Credentials");
            credentials = new Alternatives.EndpointCredentials(recorded(server.fetch()), clock, null,
                    Duration.ofSeconds(330), Duration.ofSeconds(30));
            Alternatives.useClock(credentials, clock);
        }

        @Override
        void prepare() {
            try {
                credentials.refresh();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        Object call() throws Exception {
            return credentials.getRequestMetadata(uri);
        }
    }

    /**
     * AWS SDK v2 {@code CachedSupplier}: stale 30 s before expiry, prefetch from 5 minutes before that, prefetch
     * jitter off (so that the window opens at a known instant).
     */
    static final class Aws extends Subject {
        final CachedSupplier<String> supplier;

        Aws(boolean nonBlocking) {
            super(nonBlocking ? "AWS CachedSupplier, NonBlocking" : "AWS CachedSupplier, OneCallerBlocks");
            supplier = Alternatives.aws(recorded(server.fetch()), clock, nonBlocking, Duration.ofSeconds(30),
                    Duration.ofMinutes(5), false);
        }

        @Override
        void prepare() {
            supplier.get();
        }

        @Override
        Object call() {
            return supplier.get();
        }

        @Override
        public void close() {
            supplier.close();
            super.close();
        }
    }

    /**
     * Caffeine {@code LoadingCache}: refresh after 55 minutes, expire after 59 minutes 30 seconds, its default
     * executor ({@code ForkJoinPool.commonPool()}) for reloads, a ticker on the harness's clock.
     */
    static final class CaffeineSubject extends Subject {
        final LoadingCache<String, String> cache;

        CaffeineSubject() {
            super("Caffeine LoadingCache, refreshAfterWrite");
            cache = Alternatives.caffeine(recorded(server.fetch()), () -> System.nanoTime() + clock.offsetNanos(),
                    Duration.ofMinutes(55), Optional.of(Duration.ofSeconds(3570)));
        }

        @Override
        void prepare() {
            cache.get(CAFFEINE_KEY);
        }

        @Override
        Object call() {
            return cache.get(CAFFEINE_KEY);
        }

        @Override
        public void close() {
            cache.invalidateAll();
            super.close();
        }
    }

    /** The control for latency: a getter of a volatile field, under the same load of callers. */
    static final class Floor extends Subject {
        private volatile Object value = new Object();

        Floor() {
            super("floor (volatile getter, control)");
        }

        @Override
        void prepare() {
        }

        @Override
        Object call() {
            return value;
        }
    }
}
