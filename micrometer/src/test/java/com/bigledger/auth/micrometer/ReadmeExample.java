package com.bigledger.auth.micrometer;

import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.TokenManager;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The README's Micrometer example, compiled and run with this module's tests; the README test of the {@code cli}
 * module checks that the README shows exactly the lines between {@code // example:micrometer} and {@code // end}.
 */
final class ReadmeExample {

    private ReadmeExample() {
    }

    static void micrometer(MeterRegistry registry, TokenManager tokenManager, CredentialVault vault) {
        // example:micrometer
        // bigledger.auth.token.refresh (timer), .refresh.failures{kind}, .state{state}, .time.to.expiry, ...
        TokenManagerMetrics.of(tokenManager, "bigledger").bindTo(registry);
        // bigledger.auth.credential.load{scheme,outcome} (timer), .load.failures{scheme,kind}
        CredentialVaultMetrics.of(vault, "bigledger").bindTo(registry);
        // end
    }
}
