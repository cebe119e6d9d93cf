package com.bigledger.auth.store.vault;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The quiet after a rate-limit quota's 429, on a fake clock: how long it lasts, and that it is capped. */
class VaultQuietTest {

    private static final CredentialRef REF = CredentialRef.parse("vault:secret/bigledger#api_key");

    private final FakeClock clock = new FakeClock();
    private final VaultQuiet quiet = new VaultQuiet(clock);

    @Test
    void requestsAreRefusedUntilRetryAfterHasPassed() {
        quiet.askedFor(Duration.ofSeconds(30));

        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> quiet.check(REF)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("nothing was sent");
        clock.advance(Duration.ofSeconds(1));
        assertThatCode(() -> quiet.check(REF)).doesNotThrowAnyException();
    }

    @Test
    void aLongRetryAfterIsCappedAtFiveMinutes() {
        quiet.askedFor(Duration.ofHours(2));

        clock.advance(VaultTokens.MAX_RETRY_AFTER.minusSeconds(1));
        assertThatThrownBy(() -> quiet.check(REF)).isInstanceOf(SourceUnavailableException.class);
        clock.advance(Duration.ofSeconds(1));
        assertThatCode(() -> quiet.check(REF)).doesNotThrowAnyException();
    }

    @Test
    void aZeroRetryAfterAsksForNoQuiet() {
        quiet.askedFor(Duration.ZERO);

        assertThatCode(() -> quiet.check(REF)).doesNotThrowAnyException();
    }
}
