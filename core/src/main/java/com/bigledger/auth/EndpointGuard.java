package com.bigledger.auth;

import com.bigledger.auth.internal.Endpoints;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breaker and retry in front of one token endpoint, shared by every {@link TokenManager} that uses that
 * endpoint with the same clock and the same configs: a thousand managers against a failing identity provider open
 * one breaker after a handful of failures, not a thousand breakers after a handful each.
 *
 * <p>Guards are kept in a process-wide map while some manager holds them (weakly: a guard no manager reaches any
 * more is dropped by the garbage collector and its entry removed on a later lookup). The {@link Retry} is made on
 * first use: most managers never retry. Thread-safe.
 */
final class EndpointGuard {

    private static final ConcurrentHashMap<Key, Entry> SHARED = new ConcurrentHashMap<>();
    private static final ReferenceQueue<EndpointGuard> CLEARED = new ReferenceQueue<>();

    private final String name;
    private final RetryConfig retryConfig;
    private final CircuitBreaker circuitBreaker;
    private volatile Retry retry;

    private EndpointGuard(String name, CircuitBreakerConfig circuitBreakerConfig, RetryConfig retryConfig) {
        this.name = name;
        this.retryConfig = retryConfig;
        this.circuitBreaker = CircuitBreaker.of(name, circuitBreakerConfig);
    }

    /**
     * The guard of {@code endpoint}, made on first use.
     *
     * @param endpoint the token endpoint
     * @param clock the managers' clock, which times the breaker's open state
     * @param circuitBreakerConfig a config of the user's, or {@code null} for the default on {@code clock}
     * @param retryConfig a config of the user's, or {@code null} for the default
     * @return the shared guard
     */
    static EndpointGuard of(URI endpoint, Clock clock, CircuitBreakerConfig circuitBreakerConfig,
            RetryConfig retryConfig) {
        expungeCleared();
        if (retryConfig == TokenManager.defaultRetryConfig()) {
            retryConfig = null;
        }
        Key key = new Key(endpoint, clock, circuitBreakerConfig, retryConfig);
        while (true) {
            Entry entry = SHARED.get(key);
            EndpointGuard guard = entry == null ? null : entry.get();
            if (guard != null) {
                return guard;
            }
            EndpointGuard made = new EndpointGuard(Endpoints.shown(endpoint).toString(),
                    circuitBreakerConfig != null ? circuitBreakerConfig
                            : TokenManager.defaultCircuitBreakerConfig(clock),
                    retryConfig != null ? retryConfig : TokenManager.defaultRetryConfig());
            Entry fresh = new Entry(key, made);
            boolean placed = entry == null ? SHARED.putIfAbsent(key, fresh) == null : SHARED.replace(key, entry, fresh);
            if (placed) {
                return made;
            }
        }
    }

    CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    Retry retry() {
        Retry made = retry;
        if (made == null) {
            synchronized (this) {
                made = retry;
                if (made == null) {
                    made = Retry.of(name, retryConfig);
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

    /** Guards are shared by endpoint, clock and config objects (compared by identity: configs have no equals). */
    private static final class Key {
        final URI endpoint;
        final Clock clock;
        final CircuitBreakerConfig circuitBreakerConfig;
        final RetryConfig retryConfig;

        Key(URI endpoint, Clock clock, CircuitBreakerConfig circuitBreakerConfig, RetryConfig retryConfig) {
            this.endpoint = endpoint;
            this.clock = clock;
            this.circuitBreakerConfig = circuitBreakerConfig;
            this.retryConfig = retryConfig;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Key)) {
                return false;
            }
            Key that = (Key) other;
            return endpoint.equals(that.endpoint) && clock.equals(that.clock)
                    && circuitBreakerConfig == that.circuitBreakerConfig && retryConfig == that.retryConfig;
        }

        @Override
        public int hashCode() {
            return Objects.hash(endpoint, clock, System.identityHashCode(circuitBreakerConfig),
                    System.identityHashCode(retryConfig));
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
