package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.FakeClock;
import io.github.resilience4j.retry.Retry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * {@link EndpointGuard}: the retry waits at least as long as the server's {@code Retry-After} and retries temporary
 * failures only, and guards are shared by equal keys only, even when two keys hash alike.
 */
class EndpointGuardTest {

    private static final URI ENDPOINT = URI.create("https://guard.example.test/oauth/token");
    /** Four attempts, 500 ms apart and then doubling, without randomization: 500 ms, 1 s, 2 s. */
    private static final RetrySettings RETRY = new RetrySettings(4, Duration.ofMillis(500), 2.0, 0.0,
            Duration.ofSeconds(30));

    private final FakeClock clock = new FakeClock();

    /** A clock with the same hash code as every other one of its kind, and equal only to itself. */
    private static final class SameHashClock extends Clock {
        private final Clock delegate;

        SameHashClock(Clock delegate) {
            this.delegate = delegate;
        }

        @Override
        public ZoneId getZone() {
            return delegate.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new SameHashClock(delegate.withZone(zone));
        }

        @Override
        public Instant instant() {
            return delegate.instant();
        }

        @Override
        public boolean equals(Object other) {
            return other == this;
        }

        @Override
        public int hashCode() {
            return 7;
        }
    }

    private static TokenRefreshException temporary(Duration retryAfter) {
        return new TokenRefreshException(ENDPOINT, 503, null, null, retryAfter, "unavailable", null, true);
    }

    @Test
    void theRetryWaitsTheBackoffOrTheServersLongerRetryAfter() {
        Retry.AsyncContext<Object> retry = EndpointGuard.of(ENDPOINT, clock, CircuitBreakerSettings.defaults(), RETRY)
                .retry().asyncContext();

        assertThat(retry.onError(temporary(null))).isEqualTo(500);
        assertThat(retry.onError(temporary(Duration.ofSeconds(10)))).isEqualTo(10_000);
        assertThat(retry.onError(temporary(Duration.ofMillis(100)))).isEqualTo(2_000);
    }

    @Test
    void theRetryGivesUpAtOnceOnAFailureThatIsNotTemporary() {
        Retry.AsyncContext<Object> retry = EndpointGuard.of(ENDPOINT, clock, CircuitBreakerSettings.defaults(), RETRY)
                .retry().asyncContext();
        TokenRefreshException refused = new TokenRefreshException(ENDPOINT, "refused", null, false);

        assertThat(retry.onError(refused)).isNegative();
    }

    @Test
    void aBackoffUnderAMillisecondIsOneMillisecondAndStillYieldsToRetryAfter() {
        // RetrySettings accepts any positive backoff; Resilience4j counts whole milliseconds, at least one.
        RetrySettings fine = new RetrySettings(4, Duration.ofNanos(500_000), 2.0, 0.0, Duration.ofNanos(800_000));
        Retry.AsyncContext<Object> retry = EndpointGuard.of(ENDPOINT, clock, CircuitBreakerSettings.defaults(), fine)
                .retry().asyncContext();

        assertThat(retry.onError(temporary(null))).isEqualTo(1);
        assertThat(retry.onError(temporary(Duration.ofSeconds(10)))).isEqualTo(10_000);
    }

    @Test
    void keysThatHashAlikeButDifferInTheClockGetGuardsOfTheirOwn() {
        Clock first = new SameHashClock(clock);
        Clock second = new SameHashClock(clock);
        CircuitBreakerSettings breaker = CircuitBreakerSettings.defaults();

        EndpointGuard guard = EndpointGuard.of(ENDPOINT, first, breaker, RETRY);

        assertThat(EndpointGuard.of(ENDPOINT, second, breaker, RETRY)).isNotSameAs(guard);
        assertThat(EndpointGuard.of(ENDPOINT, first, breaker, RETRY)).isSameAs(guard);
    }
}
