package com.bigledger.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.examples.SpringAccounts;
import com.bigledger.auth.store.env.EnvCredentialSource;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A sample application: the API key comes from the {@code env} store (given an environment here, as a deployment's
 * variables would), and an auto-configured {@code RestClient} calls the BigLedger API double with it.
 */
@SpringBootTest(classes = ApiKeySampleApplicationTest.SampleApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ApiKeySampleApplicationTest {

    private static final String COMPANY = "company_abc123";
    private static final FakeBigLedgerApi API = FakeBigLedgerApi.start()
            .company(COMPANY, "Acme Corporation", "professional");
    private static final String KEY = API.issueApiKey(COMPANY, "read:accounts");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(SpringAccounts.class)
    static class SampleApplication {

        /** The deployment's environment variables, as the env store reads them. */
        @Bean
        CredentialVault credentialVault() {
            return CredentialVault.builder().discoverSources(false)
                    .source(EnvCredentialSource.builder().environment(Map.of("BIGLEDGER_API_KEY", KEY)).build())
                    .build();
        }
    }

    @DynamicPropertySource
    static void bigledger(DynamicPropertyRegistry properties) {
        properties.add("bigledger.auth.api-key-ref", () -> "env:BIGLEDGER_API_KEY");
        properties.add("bigledger.auth.company-id", () -> COMPANY);
        properties.add("bigledger.auth.base-url", () -> API.baseUrl().toString());
        properties.add("bigledger.auth.allow-insecure-loopback", () -> "true");
    }

    @AfterAll
    static void stop() {
        API.close();
    }

    /** The README's Spring Boot example, a bean of the sample application. */
    @Autowired
    private SpringAccounts accounts;

    @Test
    void theAutoConfiguredRestClientCallsTheApiWithTheKeyFromTheEnvStore() {
        assertThat(accounts.list()).contains("\"success\":true");
        assertThat(API.requests("/v1/accounts")).singleElement().satisfies(request -> {
            assertThat(request.header("Authorization")).contains("Bearer " + KEY);
            assertThat(request.header("X-Company-Id")).contains(COMPANY);
        });
    }
}
