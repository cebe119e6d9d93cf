package com.bigledger.auth.spring;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator health of the BigLedger credentials: the mode and environment, the token manager's state and seconds to
 * expiry, and whether each configured reference can be read from its store (a cached value counts): {@code reachable},
 * or the failure's class, its {@linkplain CredentialException#kind() kind} for a store's failure, and its message.
 * Never a secret: references, states and exception messages of this library only.
 *
 * <p>DOWN when a store cannot be read, or the token is expired or its grant was refused; OUT_OF_SERVICE once closed;
 * UNKNOWN before the first token; UP otherwise. Thread-safe. May block up to the vault's load timeout for a
 * reference not read yet.
 */
public final class BigLedgerHealthIndicator implements HealthIndicator {

    private final BigLedgerAuth auth;
    private final TokenManager tokens;
    private final CredentialVault vault;
    private final List<CredentialRef> refs;
    private final Clock clock;

    BigLedgerHealthIndicator(BigLedgerAuth auth, TokenManager tokens, CredentialVault vault, List<CredentialRef> refs,
            Clock clock) {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.tokens = tokens;
        this.vault = Objects.requireNonNull(vault, "vault");
        this.refs = List.copyOf(refs);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up()
                .withDetail("mode", auth.mode().name().toLowerCase(Locale.ROOT))
                .withDetail("environment", auth.environment().id())
                .withDetail("baseUrl", auth.baseUrl().toString());
        boolean down = false;
        for (CredentialRef ref : refs) {
            try {
                vault.resolve(ref);
                health.withDetail("store " + ref, "reachable");
            } catch (BigLedgerAuthException e) {
                health.withDetail("store " + ref, failure(e));
                down = true;
            }
        }
        if (tokens != null) {
            TokenManager.State state = tokens.state();
            health.withDetail("tokenState", state.name());
            tokens.expiresAt().ifPresent(at -> health.withDetail("tokenExpiresInSeconds",
                    Duration.between(clock.instant(), at).toSeconds()));
            switch (state) {
                case EXPIRED:
                case REAUTHENTICATION_REQUIRED:
                    down = true;
                    break;
                case CLOSED:
                    return health.outOfService().build();
                case EMPTY:
                    if (!down) {
                        return health.unknown().build();
                    }
                    break;
                default:
                    break;
            }
        }
        return down ? health.down().build() : health.build();
    }

    private static String failure(BigLedgerAuthException e) {
        String kind = e instanceof CredentialException ? " (" + ((CredentialException) e).kind() + ")" : "";
        return e.getClass().getSimpleName() + kind + ": " + e.getMessage();
    }
}
