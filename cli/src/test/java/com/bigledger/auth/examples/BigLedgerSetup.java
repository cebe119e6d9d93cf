package com.bigledger.auth.examples;

import com.bigledger.auth.bigledger.BigLedgerAuth;

public final class BigLedgerSetup {

    /** BIGLEDGER_API_KEY, BIGLEDGER_COMPANY_ID, BIGLEDGER_ENVIRONMENT (production by default), or their _REF forms. */
    public static BigLedgerAuth fromEnvironment() {
        return BigLedgerAuth.builder()
                .fromEnvironment()
                .userAgent("MyApp/1.0.0 (https://myapp.com)")     // bigledger-auth-java/VERSION is appended
                .build();
    }
}
