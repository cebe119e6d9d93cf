package com.bigledger.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatIllegalArgumentException;
import static com.bigledger.auth.testing.LeakAssertions.assertThatNullPointerException;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    // growth and cap

    @Test
    void firstDelayIsTheInitialDelay() {
        assertThat(Backoff.of(SECOND, MINUTE, 2.0, 0).delay(1)).isEqualTo(SECOND);
    }

    @Test
    void delayGrowsByTheMultiplierAfterEachFailure() {
        Backoff backoff = Backoff.of(SECOND, MINUTE, 2.0, 0);

        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void fractionalMultiplierGrowsByThatFraction() {
        Backoff backoff = Backoff.of(Duration.ofMillis(100), MINUTE, 1.5, 0);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofMillis(150));
        assertThat(backoff.delay(3)).isEqualTo(Duration.ofMillis(225));
    }

    @Test
    void multiplierOfOneKeepsTheDelayConstant() {
        Backoff backoff = Backoff.of(SECOND, MINUTE, 1.0, 0);

        assertThat(backoff.delay(1)).isEqualTo(SECOND);
        assertThat(backoff.delay(50)).isEqualTo(SECOND);
    }

    @Test
    void delayIsCappedAtMax() {
        Backoff backoff = Backoff.of(SECOND, MINUTE, 2.0, 0);

        assertThat(backoff.delay(6)).isEqualTo(Duration.ofSeconds(32));
        assertThat(backoff.delay(7)).isEqualTo(MINUTE);
        assertThat(backoff.delay(100)).isEqualTo(MINUTE);
        assertThat(backoff.delay(5_000)).isEqualTo(MINUTE);
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(MINUTE);
    }

    @Test
    void delayNeverDecreasesAsFailuresAddUp() {
        Backoff backoff = Backoff.of(Duration.ofMillis(7), Duration.ofSeconds(13), 1.7, 0);

        Duration previous = Duration.ZERO;
        for (int failures = 1; failures <= 64; failures++) {
            Duration delay = backoff.delay(failures);
            assertThat(delay).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(Duration.ofSeconds(13));
            previous = delay;
        }
        assertThat(previous).isEqualTo(Duration.ofSeconds(13));
    }

    @Test
    void maxEqualToInitialGivesAConstantDelay() {
        Backoff backoff = Backoff.of(SECOND, SECOND, 3.0, 0);

        assertThat(backoff.delay(1)).isEqualTo(SECOND);
        assertThat(backoff.delay(10)).isEqualTo(SECOND);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, -100})
    void fewerThanOneFailureCountsAsTheFirst(int failures) {
        assertThat(Backoff.of(SECOND, MINUTE, 2.0, 0).delay(failures)).isEqualTo(SECOND);
    }

    @Test
    void capBeyondWhatNanosecondsHoldDoesNotOverflow() {
        Duration forever = ChronoUnit.FOREVER.getDuration();
        Backoff backoff = Backoff.of(SECOND, forever, 2.0, 0);

        assertThat(backoff.delay(1)).isEqualTo(SECOND);
        assertThat(backoff.delay(11)).isEqualTo(Duration.ofSeconds(1024));
        assertThat(backoff.delay(1_000)).isPositive().isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        assertThat(Backoff.of(forever, forever, 2.0, 0.5).delay(3)).isPositive()
                .isLessThanOrEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Test
    void smallestDelayIsOneNanosecond() {
        Backoff backoff = Backoff.of(Duration.ofNanos(1), Duration.ofNanos(1), 1.0, 0.99);

        for (int i = 0; i < 100; i++) {
            assertThat(backoff.delay(1)).isEqualTo(Duration.ofNanos(1));
        }
    }

    // jitter

    @Test
    void jitterKeepsEveryDelayWithinItsBounds() {
        double jitter = 0.2;
        Backoff backoff = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 2.0, jitter);
        Backoff plain = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30), 2.0, 0);

        for (int failures = 1; failures <= 12; failures++) {
            long full = plain.delay(failures).toNanos();
            long lowest = (long) Math.floor(full * (1 - jitter));
            for (int sample = 0; sample < 1_000; sample++) {
                long delay = backoff.delay(failures).toNanos();
                assertThat(delay).as("delay after %d failures", failures).isBetween(lowest, full);
            }
        }
    }

    @Test
    void jitterAppliesToTheCappedDelayToo() {
        Backoff backoff = Backoff.of(SECOND, MINUTE, 2.0, 0.25);

        for (int sample = 0; sample < 1_000; sample++) {
            assertThat(backoff.delay(100)).isBetween(Duration.ofSeconds(45), MINUTE);
        }
    }

    @Test
    void jitterSpreadsTheDelays() {
        Backoff backoff = Backoff.of(SECOND, MINUTE, 2.0, 0.5);
        Set<Duration> seen = new HashSet<>();
        int belowMiddle = 0;

        for (int sample = 0; sample < 1_000; sample++) {
            Duration delay = backoff.delay(1);
            seen.add(delay);
            if (delay.compareTo(Duration.ofMillis(750)) < 0) {
                belowMiddle++;
            }
        }

        // Uniform over (0.5 s, 1 s]: that all 1000 samples fall on one side of 0.75 s has a chance of 2^-999.
        assertThat(seen.size()).isGreaterThan(900);
        assertThat(belowMiddle).isBetween(1, 999);
    }

    @Test
    void noJitterGivesTheSameDelayEveryTime() {
        Backoff backoff = Backoff.of(Duration.ofMillis(300), MINUTE, 2.0, 0);
        Set<Duration> seen = new HashSet<>();

        for (int sample = 0; sample < 100; sample++) {
            seen.add(backoff.delay(3));
        }

        assertThat(seen).containsExactly(Duration.ofMillis(1200));
    }

    // arguments

    @ParameterizedTest
    @ValueSource(longs = {0, -1, -1_000_000_000})
    void initialDelayMustBePositive(long nanos) {
        Duration initial = Duration.ofNanos(nanos);

        assertThatIllegalArgumentException().isThrownBy(() -> Backoff.of(initial, MINUTE, 2.0, 0))
                .withMessageContaining("initial delay must be positive")
                .withMessageContaining(initial.toString());
    }

    @Test
    void maxMustNotBeBelowInitial() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Backoff.of(MINUTE, SECOND, 2.0, 0))
                .withMessageContaining("PT1S")
                .withMessageContaining("PT1M");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.999, 0.0, -2.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void multiplierMustBeAFiniteNumberOfAtLeastOne(double multiplier) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Backoff.of(SECOND, MINUTE, multiplier, 0))
                .withMessageContaining("multiplier must be at least 1")
                .withMessageContaining(Double.toString(multiplier));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.0, 1.5, Double.NaN, Double.POSITIVE_INFINITY})
    void jitterMustBeAFractionBelowOne(double jitter) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Backoff.of(SECOND, MINUTE, 2.0, jitter))
                .withMessageContaining("jitter must be in [0, 1)")
                .withMessageContaining(Double.toString(jitter));
    }

    @Test
    void boundaryArgumentsAreAccepted() {
        Backoff backoff = Backoff.of(Duration.ofNanos(1), Duration.ofNanos(1), 1.0, 0.0);
        Backoff mostJitter = Backoff.of(SECOND, SECOND, 1.0, 0.999);

        assertThat(backoff.delay(1)).isEqualTo(Duration.ofNanos(1));
        assertThat(mostJitter.delay(1)).isBetween(Duration.ofMillis(1), SECOND);
    }

    @Test
    void nullDurationsAreRefused() {
        assertThatNullPointerException().isThrownBy(() -> Backoff.of(null, MINUTE, 2.0, 0))
                .withMessage("initial");
        assertThatNullPointerException().isThrownBy(() -> Backoff.of(SECOND, null, 2.0, 0))
                .withMessage("max");
    }

    @Test
    void accessorsAndToStringDescribeTheConfiguration() {
        Backoff backoff = Backoff.of(SECOND, MINUTE, 2.0, 0.2);

        assertThat(backoff.initial()).isEqualTo(SECOND);
        assertThat(backoff.max()).isEqualTo(MINUTE);
        assertThat(backoff).hasToString("Backoff[initial=PT1S, max=PT1M, multiplier=2.0, jitter=0.2]");
    }
}
