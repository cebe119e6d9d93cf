package com.bigledger.auth;

import com.bigledger.auth.internal.Options;
import java.time.Duration;

/**
 * The circuit breaker in front of a token endpoint: after enough recent token requests failed for a temporary
 * reason, requests are refused on the spot (no call to the endpoint) for a while, then a few trial requests decide
 * whether it closes again. Refusals such as {@code invalid_grant} are answers, not failures, and do not count.
 *
 * <p>One breaker serves every {@link TokenManager} on the same token endpoint with the same clock and equal
 * settings, so a thousand managers against a failing identity provider open one breaker, not a thousand.
 *
 * <p>Immutable; equal settings are interchangeable.
 *
 * @param windowSize how many of the latest requests are counted; at least 1
 * @param minimumRequests how many requests the window needs before the breaker can open; from 1 to
 *     {@code windowSize}
 * @param failureRatePercent the share of failed requests in the window that opens the breaker; above 0, at most 100
 * @param openDuration how long the breaker stays open before trial requests; positive
 * @param trialRequests how many trial requests decide, once the open time is over; at least 1
 * @param enabled whether there is a breaker at all; {@code false} lets every request through
 */
public record CircuitBreakerSettings(int windowSize, int minimumRequests, float failureRatePercent,
        Duration openDuration, int trialRequests, boolean enabled) {

    private static final CircuitBreakerSettings DEFAULTS = new CircuitBreakerSettings(10, 5, 50f,
            Duration.ofSeconds(20), 1, true);

    /**
     * Checks the settings.
     *
     * @param windowSize how many of the latest requests are counted; at least 1
     * @param minimumRequests how many requests the window needs before the breaker can open
     * @param failureRatePercent the share of failed requests that opens the breaker; above 0, at most 100
     * @param openDuration how long the breaker stays open before trial requests; positive
     * @param trialRequests how many trial requests decide; at least 1
     * @param enabled whether there is a breaker at all
     * @throws NullPointerException if {@code openDuration} is {@code null}
     * @throws IllegalArgumentException if a value is out of its range; the message names the setting
     */
    public CircuitBreakerSettings {
        Options.positive("CircuitBreakerSettings", "openDuration", openDuration);
        if (windowSize < 1) {
            throw new IllegalArgumentException("CircuitBreakerSettings option 'windowSize' must be at least 1: "
                    + windowSize);
        }
        if (minimumRequests < 1 || minimumRequests > windowSize) {
            throw new IllegalArgumentException("CircuitBreakerSettings option 'minimumRequests' must be from 1 to "
                    + "'windowSize' (" + windowSize + "): " + minimumRequests);
        }
        if (!(failureRatePercent > 0f && failureRatePercent <= 100f)) {
            throw new IllegalArgumentException("CircuitBreakerSettings option 'failureRatePercent' must be above 0 "
                    + "and at most 100: " + failureRatePercent);
        }
        if (trialRequests < 1) {
            throw new IllegalArgumentException("CircuitBreakerSettings option 'trialRequests' must be at least 1: "
                    + trialRequests);
        }
    }

    /**
     * The default: opens when half of the last 10 requests (at least 5) failed, stays open 20 s (less than the
     * default retry cool-down, so the attempt after a cool-down is the trial), then lets one request test the
     * endpoint.
     *
     * @return the default settings
     */
    public static CircuitBreakerSettings defaults() {
        return DEFAULTS;
    }

    /**
     * No circuit breaker: every token request goes to the endpoint, and only the retry paces them.
     *
     * @return the default settings, disabled
     */
    public static CircuitBreakerSettings disabled() {
        return new CircuitBreakerSettings(DEFAULTS.windowSize, DEFAULTS.minimumRequests, DEFAULTS.failureRatePercent,
                DEFAULTS.openDuration, DEFAULTS.trialRequests, false);
    }

    /**
     * Returns a copy that opens on another window and failure rate.
     *
     * @param windowSize how many of the latest requests are counted; at least 1
     * @param minimumRequests how many requests the window needs before the breaker can open
     * @param failureRatePercent the share of failures that opens the breaker; above 0, at most 100
     * @return the copy
     * @throws IllegalArgumentException if a value is out of its range
     */
    public CircuitBreakerSettings withWindow(int windowSize, int minimumRequests, float failureRatePercent) {
        return new CircuitBreakerSettings(windowSize, minimumRequests, failureRatePercent, openDuration,
                trialRequests, enabled);
    }

    /**
     * Returns a copy with another open time and number of trial requests.
     *
     * @param openDuration how long the breaker stays open; positive
     * @param trialRequests how many trial requests decide; at least 1
     * @return the copy
     * @throws NullPointerException if {@code openDuration} is {@code null}
     * @throws IllegalArgumentException if a value is out of its range
     */
    public CircuitBreakerSettings withOpenDuration(Duration openDuration, int trialRequests) {
        return new CircuitBreakerSettings(windowSize, minimumRequests, failureRatePercent, openDuration,
                trialRequests, enabled);
    }

    // Written out rather than generated: a record's generated equals and hashCode are linked through method handles
    // on first use, which costs a short-lived process (the command line) tens of milliseconds; the managers' shared
    // endpoint guards are keyed by these settings.
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof CircuitBreakerSettings)) {
            return false;
        }
        CircuitBreakerSettings that = (CircuitBreakerSettings) other;
        return windowSize == that.windowSize && minimumRequests == that.minimumRequests
                && Float.compare(failureRatePercent, that.failureRatePercent) == 0
                && openDuration.equals(that.openDuration) && trialRequests == that.trialRequests
                && enabled == that.enabled;
    }

    @Override
    public int hashCode() {
        int h = windowSize;
        h = 31 * h + minimumRequests;
        h = 31 * h + Float.hashCode(failureRatePercent);
        h = 31 * h + openDuration.hashCode();
        h = 31 * h + trialRequests;
        return 31 * h + Boolean.hashCode(enabled);
    }
}
