package com.bigledger.auth.examples;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerEnvironment;

public final class Sandbox {

    /** Sandbox keys start with blg_test_sk_; a blg_live_sk_ key is refused here, before any request is sent. */
    public static BigLedgerAuth auth(CredentialVault vault) {
        return BigLedgerAuth.builder()
                .environment(BigLedgerEnvironment.SANDBOX)           // https://api-sandbox.bigledger.com/v1
                .apiKey(vault, CredentialRef.parse("env:BIGLEDGER_SANDBOX_API_KEY"))
                .companyId("company_abc123")
                .build();
    }
}
