package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.SourceUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The quiet a Vault rate-limit quota asks for: after a 429 with {@code Retry-After}, no request is sent until that
 * time (at most {@link VaultTokens#MAX_RETRY_AFTER} from the answer) has passed.
 *
 * <p>Thread-safe: the end of the quiet is one volatile field; two 429s at once may each set it, and either end is
 * one Vault asked for.
 */
final class VaultQuiet {

    private final Clock clock;
    /** Until when a rate-limit quota's {@code Retry-After} asks for quiet; {@code null} when it does not. */
    private volatile Instant until;

    VaultQuiet(Clock clock) {
        this.clock = clock;
    }

    /**
     * Refuses a request while quiet is asked for.
     *
     * @throws SourceUnavailableException if it is, saying until when; nothing was sent
     */
    void check(CredentialRef ref) {
        Instant end = until;
        Instant now = clock.instant();
        if (end != null && now.isBefore(end)) {
            throw new SourceUnavailableException(ref, "Vault's rate-limit quota asked (Retry-After) for no "
                    + "request until " + end + "; nothing was sent", null);
        }
    }

    /** Notes a 429's {@code Retry-After}; zero asks for no quiet. */
    void askedFor(Duration retryAfter) {
        if (retryAfter.isZero()) {
            return;
        }
        Duration wait = retryAfter.compareTo(VaultTokens.MAX_RETRY_AFTER) > 0 ? VaultTokens.MAX_RETRY_AFTER
                : retryAfter;
        until = clock.instant().plus(wait);
    }
}
