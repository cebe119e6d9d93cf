package com.bigledger.auth.spring;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import org.springframework.web.client.RestClient;

/**
 * The README's Spring Boot example, compiled and run by {@link ApiKeySampleApplicationTest}; the README test of the
 * {@code cli} module checks that the README shows exactly the lines between {@code // example:spring-boot} and
 * {@code // end}.
 */
final class ReadmeExample {

    private ReadmeExample() {
    }

    static String springBoot(RestClient.Builder restClientBuilder, BigLedgerAuth auth) {
        // example:spring-boot
        // application.properties:
        //   bigledger.auth.api-key-ref=aws-sm:prod/bigledger#api_key
        //   bigledger.auth.company-id=company_abc123
        // Auto-configured RestClient.Builders add the BigLedger headers to URLs under the base URL and, after
        // a 401, replace the credential and retry once.
        RestClient bigledger = restClientBuilder.build();
        return bigledger.get().uri(auth.resolve("/accounts")).retrieve().body(String.class);
        // end
    }
}
