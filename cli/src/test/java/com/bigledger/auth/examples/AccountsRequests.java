package com.bigledger.auth.examples;

import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import java.net.URI;
import java.net.http.HttpRequest;

public final class AccountsRequests {

    private final CredentialHandle apiKey;
    private final CredentialHandle companyId;

    public AccountsRequests(CredentialVault vault) {
        // Keep the handles; get() on a cached value is a single volatile read.
        this.apiKey = vault.handle(CredentialRef.parse("env:BIGLEDGER_API_KEY"));
        this.companyId = vault.handle(CredentialRef.parse("env:BIGLEDGER_COMPANY_ID"));
    }

    public HttpRequest listAccounts() {
        return HttpRequest.newBuilder(URI.create("https://api.bigledger.com/v1/accounts"))
                .header("Authorization", "Bearer " + apiKey.get().reveal())
                .header("X-Company-Id", companyId.get().reveal())
                .header("Content-Type", "application/json")
                .build();
    }
}
