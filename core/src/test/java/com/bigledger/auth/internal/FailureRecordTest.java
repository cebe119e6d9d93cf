package com.bigledger.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bookkeeping of failed attempts behind {@link RefreshingValue}, without a clock, scheduler or loader. */
class FailureRecordTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final FailureRecord record = new FailureRecord();

    @Test
    void aFreshRecordHasNoFailureAndDoesNotAnswerCallers() {
        assertThat(record.last()).isNull();
        assertThat(record.nextCount()).isEqualTo(1);
        assertThat(record.answersCallerAt(NOW)).isFalse();
    }

    @Test
    void failuresInARowAreCountedAndTheLastOneIsKept() {
        RuntimeException first = new IllegalStateException("first");
        RuntimeException second = new IllegalStateException("second");

        assertThat(record.record(first, NOW, Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(record.record(second, NOW, Duration.ofSeconds(1))).isEqualTo(2);

        assertThat(record.last()).isSameAs(second);
        assertThat(record.nextCount()).isEqualTo(3);
    }

    @Test
    void callersGetTheFailureUntilTheRetryIsDueAndStartAnAttemptFromThen() {
        record.record(new IllegalStateException("down"), NOW, Duration.ofSeconds(5));

        assertThat(record.answersCallerAt(NOW.plusSeconds(4))).isTrue();
        assertThat(record.answersCallerAt(NOW.plusSeconds(5))).isFalse();
        assertThat(record.answersCallerAt(null)).isFalse();
    }

    @Test
    void aFailureWithNoRetryAnswersCallersUntilTheFailuresAreForgotten() {
        record.record(new IllegalStateException("rejected"), NOW, null);

        assertThat(record.answersCallerAt(NOW.plus(Duration.ofDays(365)))).isTrue();
        assertThat(record.answersCallerAt(null)).isTrue();

        record.forget();

        assertThat(record.last()).isNull();
        assertThat(record.nextCount()).isEqualTo(1);
        assertThat(record.answersCallerAt(NOW)).isFalse();
    }

    @Test
    void aFailureRecordedWithoutAClockMakesTheNextAttemptDueAtOnce() {
        record.record(new IllegalStateException("down"), null, Duration.ofMinutes(5));

        assertThat(record.answersCallerAt(NOW)).isFalse();
        assertThat(record.answersCallerAt(null)).isFalse();
    }

    @Test
    void aSuccessClearsTheFailuresAndAlwaysResetsThePolicy() {
        record.record(new IllegalStateException("down"), NOW, Duration.ofSeconds(1));

        assertThat(record.takeReset(false)).isFalse();
        assertThat(record.takeReset(true)).isTrue();
        record.succeeded();

        assertThat(record.last()).isNull();
        assertThat(record.nextCount()).isEqualTo(1);
    }

    @Test
    void forgettingTheFailuresResetsThePolicyOnceBeforeItIsAskedAgain() {
        record.forget();

        assertThat(record.takeReset(false)).isTrue();
        assertThat(record.takeReset(false)).isFalse();
    }
}
