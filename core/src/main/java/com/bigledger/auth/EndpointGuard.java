package com.bigledger.auth;

import com.bigledger.auth.internal.Endpoints;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breaker and retry in front of one token endpoint, shared by every {@link TokenManager} that uses that
 * endpoint with the same clock and equal settings: a thousand managers against a failing identity provider open
 * one breaker after a handful of failures, not a thousand breakers after a handful each.
 *
 * <p>Guards are kept in a process-wide map while some manager holds them (weakly: a guard no manager reaches any
 * more is dropped by the garbage collector and its entry removed on a later lookup). The {@link Retry} is made on
 * first use: most managers never retry. Resilience4j is the engine; its types stay behind this class, made from the
 * library's own {@link RetrySettings} and {@link CircuitBreakerSettings}. Thread-safe.
 */
final class EndpointGuard {

    private static final ConcurrentHashMap<Key, Entry> SHARED = new ConcurrentHashMap<>();
    private static final ReferenceQueue<EndpointGuard> CLEARED = new ReferenceQueue<>();

    private final String name;
    private final Clock clock;
    private final CircuitBreakerSettings breakerSettings;
    private final RetrySettings retrySettings;
    // Both made on first use: a manager that serves a stored token and never sends a request (the command line's
    // token on a kept record) does not pay for building them.
    private volatile CircuitBreaker circuitBreaker;
    private volatile Retry retry;

    private EndpointGuard(String name, Clock clock, CircuitBreakerSettings breaker, RetrySettings retry) {
        this.name = name;
        this.clock = clock;
        this.breakerSettings = breaker;
        this.retrySettings = retry;
    }

    /**
     * The guard of {@code endpoint}, made on first use.
     *
     * @param endpoint the token endpoint
     * @param clock the managers' clock, which times the breaker's open state
     * @param breaker the circuit breaker's settings
     * @param retry the retry's settings
     * @return the shared guard
     */
    static EndpointGuard of(URI endpoint, Clock clock, CircuitBreakerSettings breaker, RetrySettings retry) {
        expungeCleared();
        Key key = new Key(endpoint, clock, breaker, retry);
        while (true) {
            Entry entry = SHARED.get(key);
            EndpointGuard guard = entry == null ? null : entry.get();
            if (guard != null) {
                return guard;
            }
            EndpointGuard made = new EndpointGuard(Endpoints.shown(endpoint).toString(), clock, breaker, retry);
            Entry fresh = new Entry(key, made);
            boolean placed = entry == null ? SHARED.putIfAbsent(key, fresh) == null : SHARED.replace(key, entry, fresh);
            if (placed) {
                return made;
            }
        }
    }

    /** Resilience4j's retry for {@code settings}: temporary failures only, never sooner than a {@code Retry-After}. */
    static RetryConfig retryConfig(RetrySettings settings) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(wholeMillis(settings.initialBackoff()),
                settings.multiplier(), settings.randomization(), wholeMillis(settings.maxBackoff()));
        return RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalBiFunction((attempt, outcome) -> {
                    long delay = backoff.apply(attempt);
                    if (outcome.isLeft()) {
                        delay = Math.max(delay, TokenManager.retryAfter(outcome.getLeft()).map(Duration::toMillis)
                                .orElse(0L));
                    }
                    return delay;
                })
                .retryOnException(TokenManager::retryable)
                .build();
    }

    /** Resilience4j counts whole milliseconds, at least one; a positive backoff below that is one millisecond. */
    private static Duration wholeMillis(Duration backoff) {
        return Duration.ofMillis(Math.max(1, backoff.toMillis()));
    }

    /** Resilience4j's count-based breaker for {@code settings} on {@code clock}, counting temporary failures only. */
    static CircuitBreakerConfig breakerConfig(CircuitBreakerSettings settings, Clock clock) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.windowSize())
                .minimumNumberOfCalls(settings.minimumRequests())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.trialRequests())
                .recordException(TokenManager::retryable)
                .clock(clock)
                .build();
    }

    CircuitBreaker circuitBreaker() {
        CircuitBreaker made = circuitBreaker;
        if (made == null) {
            synchronized (this) {
                made = circuitBreaker;
                if (made == null) {
                    made = CircuitBreaker.of(name, breakerConfig(breakerSettings, clock));
                    if (!breakerSettings.enabled()) {
                        made.transitionToDisabledState();
                    }
                    circuitBreaker = made;
                }
            }
        }
        return made;
    }

    /**
     * The failure of a refresh that the open breaker refused: temporary, with the breaker's open time as the wait
     * before the next attempt, so that the attempt after it is not refused again.
     *
     * @param endpoint the token endpoint, for the message
     * @return the exception to throw
     */
    TokenRefreshException refusedWhileOpen(URI endpoint) {
        long millis = circuitBreaker().getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
        return new TokenRefreshException(endpoint, -1, null, null, Duration.ofMillis(millis),
                "the circuit breaker is open after repeated failures; no request sent", null, true);
    }

    Retry retry() {
        Retry made = retry;
        if (made == null) {
            synchronized (this) {
                made = retry;
                if (made == null) {
                    made = Retry.of(name, retryConfig(retrySettings));
                    retry = made;
                }
            }
        }
        return made;
    }

    private static void expungeCleared() {
        for (Object cleared = CLEARED.poll(); cleared != null; cleared = CLEARED.poll()) {
            Entry entry = (Entry) cleared;
            SHARED.remove(entry.key, entry);
        }
    }

    /** Guards are shared by endpoint, clock and settings (values: equal settings share one guard). */
    private static final class Key {
        final URI endpoint;
        final Clock clock;
        final CircuitBreakerSettings breaker;
        final RetrySettings retry;

        Key(URI endpoint, Clock clock, CircuitBreakerSettings breaker, RetrySettings retry) {
            this.endpoint = endpoint;
            this.clock = clock;
            this.breaker = breaker;
            this.retry = retry;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Key)) {
                return false;
            }
            Key that = (Key) other;
            return endpoint.equals(that.endpoint) && clock.equals(that.clock) && breaker.equals(that.breaker)
                    && retry.equals(that.retry);
        }

        @Override
        public int hashCode() {
            return Objects.hash(endpoint, clock, breaker, retry);
        }
    }

    private static final class Entry extends WeakReference<EndpointGuard> {
        final Key key;

        Entry(Key key, EndpointGuard guard) {
            super(guard, CLEARED);
            this.key = key;
        }
    }
}
