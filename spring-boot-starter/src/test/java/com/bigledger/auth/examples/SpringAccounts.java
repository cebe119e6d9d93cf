package com.bigledger.auth.examples;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

// application.properties:
//   bigledger.auth.api-key-ref=aws-sm:prod/bigledger#api_key
//   bigledger.auth.company-id=company_abc123
@Service
public class SpringAccounts {

    private final RestClient bigledger;
    private final BigLedgerAuth auth;

    // Auto-configured RestClient.Builders add the BigLedger headers to URLs under the base URL and, after
    // a 401, replace the credential and retry once.
    public SpringAccounts(RestClient.Builder restClientBuilder, BigLedgerAuth auth) {
        this.bigledger = restClientBuilder.build();
        this.auth = auth;
    }

    public String list() {
        return bigledger.get().uri(auth.resolve("/accounts")).retrieve().body(String.class);
    }
}
