package com.bigledger.auth.examples;

import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.micrometer.CredentialVaultMetrics;
import com.bigledger.auth.micrometer.TokenManagerMetrics;
import io.micrometer.core.instrument.MeterRegistry;

public final class BigLedgerMeters {

    public static void bind(MeterRegistry registry, TokenManager tokenManager, CredentialVault vault) {
        // bigledger.auth.token.refresh (timer), .refresh.failures{kind}, .state{state}, .time.to.expiry, ...
        TokenManagerMetrics.of(tokenManager, "bigledger").bindTo(registry);
        // bigledger.auth.credential.load{scheme,outcome} (timer), .load.failures{scheme,kind}
        CredentialVaultMetrics.of(vault, "bigledger").bindTo(registry);
    }
}
