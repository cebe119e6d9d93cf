package com.bigledger.auth.store.vault;

import com.bigledger.auth.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A Vault token with what this module knows of its lease. Immutable but for {@link #refused}, which a read sets
 * when Vault no longer accepts the token. {@link #toString()} never shows the token.
 */
final class VaultToken {

    /** The longest margin a token is dropped before its lease ends, so that no read goes out with a dying token. */
    private static final Duration MAX_SKEW = Duration.ofSeconds(30);

    private final Secret secret;
    private final Instant obtainedAt;
    private final Duration ttl;
    private final Duration fullTtl;
    private final boolean renewable;
    private final boolean capped;
    private final List<String> policies;
    private volatile boolean refused;

    /**
     * Creates a token.
     *
     * @param ttl the time left on its lease; zero for a token that never expires
     * @param fullTtl the TTL it was issued with, which a renewal normally restores
     * @param capped whether its last renewal came back shorter than {@code fullTtl}: its maximum TTL is near, and
     *     renewing again cannot extend it
     */
    VaultToken(Secret secret, Instant obtainedAt, Duration ttl, Duration fullTtl, boolean renewable, boolean capped,
            List<String> policies) {
        this.secret = secret;
        this.obtainedAt = obtainedAt;
        this.ttl = ttl;
        this.fullTtl = fullTtl;
        this.renewable = renewable;
        this.capped = capped;
        this.policies = List.copyOf(policies);
    }

    Secret secret() {
        return secret;
    }

    Duration fullTtl() {
        return fullTtl;
    }

    boolean expires() {
        return !ttl.isZero();
    }

    /** Whether renewing can extend this token: renewable, and not yet capped by its maximum TTL. */
    boolean extendable() {
        return renewable && !capped && expires();
    }

    List<String> policies() {
        return policies;
    }

    boolean refused() {
        return refused;
    }

    void markRefused() {
        refused = true;
    }

    /** When the token stops being used: its lease end less a margin of a tenth of its TTL, at most 30 s. */
    Instant expiresAt() {
        if (!expires()) {
            return Instant.MAX;
        }
        Duration skew = ttl.dividedBy(10);
        return obtainedAt.plus(ttl).minus(skew.compareTo(MAX_SKEW) > 0 ? MAX_SKEW : skew);
    }

    /** Two thirds into the lease: time to renew, or to log in again. */
    Instant twoThirds() {
        return expires() ? obtainedAt.plus(ttl.multipliedBy(2).dividedBy(3)) : Instant.MAX;
    }

    @Override
    public String toString() {
        return "VaultToken[ttl=" + (expires() ? ttl : "none") + ", renewable=" + renewable
                + (capped ? ", capped by its max TTL" : "") + ", policies=" + policies + "]";
    }
}
