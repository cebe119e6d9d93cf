package com.bigledger.auth;

import com.bigledger.auth.internal.RefreshingValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a {@link CredentialVault} keeps a loaded value: it is reloaded in the background after the TTL less a
 * random part of up to {@code jitter} of it (so that many processes do not reload together), and served while reloads
 * fail up to {@code maxStale} past that. Immutable.
 *
 * @param clock the clock the instants are read from
 * @param ttl the time to live; positive
 * @param jitter the largest fraction of the TTL taken off at random, in [0, 1)
 * @param maxStale how long past its TTL the last good value is still served
 */
record CredentialTtl(Clock clock, Duration ttl, double jitter, Duration maxStale) {

    /**
     * Stamps a value loaded now with its refresh and expiry instants.
     *
     * @param value the value
     * @param <T> the type of the value
     * @return the value with its instants
     */
    <T> RefreshingValue.Loaded<T> stamp(T value) {
        Instant now = clock.instant();
        Duration jittered = ttl.minusNanos((long) (ttl.toNanos() * jitter * ThreadLocalRandom.current().nextDouble()));
        Instant refreshAt = now.plus(jittered);
        return RefreshingValue.Loaded.of(value, refreshAt, refreshAt.plus(maxStale));
    }
}
