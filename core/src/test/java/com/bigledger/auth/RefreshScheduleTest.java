package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link RefreshSchedule}: the refresh-ahead window and the expiry skew of a token, from the default settings (5 min
 * or 10 % of the lifetime, 30 s of skew, 10 % of jitter), on fixed instants and random draws.
 */
class RefreshScheduleTest {

    private static final Instant ISSUED = Instant.parse("2026-12-06T00:00:00Z");
    private final RefreshSchedule defaults = new RefreshSchedule(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(30),
            0.1);

    private RefreshSchedule.Plan plan(Duration lifetime, double random) {
        return defaults.plan(ISSUED, ISSUED.plus(lifetime), Optional.empty(), ISSUED, random);
    }

    @Test
    void hourLongTokenIsRefreshedSixMinutesAheadAndHandedOutUntilThirtySecondsBeforeItsExpiry() {
        RefreshSchedule.Plan plan = plan(Duration.ofHours(1), 0);

        assertThat(plan.refreshAt).isEqualTo(ISSUED.plus(Duration.ofMinutes(54)));
        assertThat(plan.usableUntil).isEqualTo(ISSUED.plus(Duration.ofMinutes(59).plusSeconds(30)));
    }

    @Test
    void tokenOfTwentyMinutesIsRefreshedTheMinimumFiveMinutesAhead() {
        assertThat(plan(Duration.ofMinutes(20), 0).refreshAt).isEqualTo(ISSUED.plus(Duration.ofMinutes(15)));
    }

    @Test
    void jitterLengthensTheWindowByUpToItsShareOfIt() {
        // A draw of 0.5 with 10 % jitter: the 6-minute window grows by 18 s.
        assertThat(plan(Duration.ofHours(1), 0.5).refreshAt)
                .isEqualTo(ISSUED.plus(Duration.ofMinutes(54)).minusSeconds(18));
        // Just under 1: just under 36 s more, never the whole of it.
        assertThat(plan(Duration.ofHours(1), 0.999).refreshAt)
                .isAfter(ISSUED.plus(Duration.ofMinutes(54)).minusSeconds(36));
    }

    @Test
    void shortLivedTokenKeepsHalfItsLifeAndThreeQuartersOfItToHandOut() {
        RefreshSchedule.Plan plan = plan(Duration.ofSeconds(60), 0);

        // The 5-minute minimum is capped at half the lifetime, the 30 s skew at a quarter.
        assertThat(plan.refreshAt).isEqualTo(ISSUED.plusSeconds(30));
        assertThat(plan.usableUntil).isEqualTo(ISSUED.plusSeconds(45));
    }

    @Test
    void serversRefreshInstantWinsOverTheCalculatedOne() {
        Instant server = ISSUED.plus(Duration.ofMinutes(10));

        RefreshSchedule.Plan plan = defaults.plan(ISSUED, ISSUED.plus(Duration.ofHours(1)), Optional.of(server), ISSUED,
                0.7);

        assertThat(plan.refreshAt).isEqualTo(server);
        assertThat(plan.usableUntil).isEqualTo(ISSUED.plus(Duration.ofMinutes(59).plusSeconds(30)));
    }

    @Test
    void refreshInstantAlreadyPastIsNow() {
        Instant now = ISSUED.plus(Duration.ofMinutes(58));

        RefreshSchedule.Plan plan = defaults.plan(ISSUED, ISSUED.plus(Duration.ofHours(1)), Optional.empty(), now, 0);

        assertThat(plan.refreshAt).isEqualTo(now);
    }

    @Test
    void tokenExpiringBeforeItWasIssuedHasNoLifetimeAndIsRefreshedNow() {
        Instant expired = ISSUED.minusSeconds(5);

        RefreshSchedule.Plan plan = defaults.plan(ISSUED, expired, Optional.empty(), ISSUED, 0.3);

        assertThat(plan.refreshAt).isEqualTo(ISSUED);
        assertThat(plan.usableUntil).isEqualTo(expired);
    }

    @Test
    void scheduleKnowsTheSettingsItWasMadeFrom() {
        assertThat(defaults.sameAs(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(30), 0.1)).isTrue();
        assertThat(defaults.sameAs(Duration.ofMinutes(4), 0.1, Duration.ofSeconds(30), 0.1)).isFalse();
        assertThat(defaults.sameAs(Duration.ofMinutes(5), 0.2, Duration.ofSeconds(30), 0.1)).isFalse();
        assertThat(defaults.sameAs(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(31), 0.1)).isFalse();
        assertThat(defaults.sameAs(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(30), 0.0)).isFalse();
    }

    @Test
    void managersWithTheDefaultSettingsShareOneScheduleAndABuilderReusesItsOwnUntilASettingChanges() {
        RefreshSchedule shared = TokenManager.builder().refreshSchedule();
        assertThat(TokenManager.builder().refreshSchedule()).isSameAs(shared);
        assertThat(shared.sameAs(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(30), 0.1)).isTrue();

        TokenManagerBuilder builder = TokenManager.builder().jitter(0);
        RefreshSchedule own = builder.refreshSchedule();
        assertThat(own).isNotSameAs(shared);
        assertThat(builder.refreshSchedule()).isSameAs(own);
        builder.expirySkew(Duration.ofSeconds(10));
        assertThat(builder.refreshSchedule()).isNotSameAs(own);
    }
}
