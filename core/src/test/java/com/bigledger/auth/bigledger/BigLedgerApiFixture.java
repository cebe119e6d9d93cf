package com.bigledger.auth.bigledger;

import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests against the BigLedger API double share: the double with the company {@link #COMPANY}, the redirect
 * URI {@link #CALLBACK}, and an in-memory store behind a vault, for what a test writes; both closed after each test.
 */
abstract class BigLedgerApiFixture {

    static final String COMPANY = "company_abc123";
    static final URI CALLBACK = URI.create("https://yourapp.com/callback");

    final FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional");
    final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
    final CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();

    @AfterEach
    void stopApi() {
        vault.close();
        api.close();
    }
}
