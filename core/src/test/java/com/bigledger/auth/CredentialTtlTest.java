package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.internal.RefreshingValue;
import com.bigledger.auth.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The refresh and expiry instants a {@link CredentialVault} gives a value it loaded. */
class CredentialTtlTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final FakeClock clock = new FakeClock(NOW);

    @Test
    void withoutJitterTheValueIsRefreshedAfterTheTtlAndServedUpToTheStaleBoundPastIt() {
        CredentialTtl ttl = new CredentialTtl(clock, Duration.ofMinutes(5), 0, Duration.ofMinutes(15));

        RefreshingValue.Loaded<String> stamped = ttl.stamp("v");

        assertThat(stamped.value()).isEqualTo("v");
        assertThat(stamped.refreshAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(stamped.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(20)));
    }

    @RepeatedTest(20)
    void jitterTakesOffAtMostItsFractionOfTheTtlAndTheStaleBoundFollowsTheRefresh() {
        CredentialTtl ttl = new CredentialTtl(clock, Duration.ofMinutes(10), 0.5, Duration.ofMinutes(1));

        RefreshingValue.Loaded<String> stamped = ttl.stamp("v");

        assertThat(stamped.refreshAt()).isBetween(NOW.plus(Duration.ofMinutes(5)), NOW.plus(Duration.ofMinutes(10)));
        assertThat(Duration.between(stamped.refreshAt(), stamped.expiresAt())).isEqualTo(Duration.ofMinutes(1));
    }
}
