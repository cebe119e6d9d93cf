package com.bigledger.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.micrometer.TokenManagerMetrics;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A sample application with OAuth: the client secret and a refresh token live in a writable store, the
 * auto-configured token manager gets access tokens from the BigLedger double's token endpoint (JSON bodies, rotating
 * refresh tokens), and an auto-configured {@link RestClient} calls the API with them; a revoked token is replaced
 * after one 401.
 */
@SpringBootTest(classes = OAuthSampleApplicationTest.SampleApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE)
class OAuthSampleApplicationTest {

    private static final String COMPANY = "company_abc123";
    private static final FakeBigLedgerApi API = FakeBigLedgerApi.start()
            .company(COMPANY, "Acme Corporation", "professional");
    private static final InMemoryCredentialSource STORE = new InMemoryCredentialSource("mem");

    static {
        String secret = Canary.value("cs_");
        API.client("sample-app", secret, URI.create("https://yourapp.com/callback"));
        STORE.put("bigledger/client_secret", Secret.of(secret));
        STORE.put("bigledger/refresh_token", Secret.of(API.issueRefreshToken(COMPANY, "read:accounts")));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SampleApplication {

        /** Stands in for a secret store such as Secrets Manager or Vault. */
        @Bean
        CredentialVault credentialVault() {
            return CredentialVault.builder().discoverSources(false).source(STORE).build();
        }
    }

    @DynamicPropertySource
    static void bigledger(DynamicPropertyRegistry properties) {
        properties.add("bigledger.auth.oauth.client-id", () -> "sample-app");
        properties.add("bigledger.auth.oauth.token-endpoint", () -> API.authorizationServer() + "/oauth/token");
        properties.add("bigledger.auth.oauth.client-secret-ref", () -> "mem:bigledger/client_secret");
        properties.add("bigledger.auth.oauth.grant", () -> "refresh_token");
        properties.add("bigledger.auth.oauth.refresh-token-ref", () -> "mem:bigledger/refresh_token");
        properties.add("bigledger.auth.base-url", () -> API.baseUrl().toString());
        properties.add("bigledger.auth.allow-insecure-loopback", () -> "true");
    }

    @AfterAll
    static void stop() {
        API.close();
    }

    @Autowired
    private RestClient.Builder restClient;

    @Autowired
    private TokenManager tokens;

    @Autowired
    private TokenManagerMetrics metrics;

    @Test
    void theAutoConfiguredRestClientCallsTheApiWithAnAccessTokenAndReplacesARevokedOne() {
        RestClient rest = restClient.build();
        assertThat(rest.get().uri(API.baseUrl() + "/accounts").retrieve().body(String.class))
                .contains("\"success\":true");
        API.revokeAccessToken(API.accessTokens().get(0));

        assertThat(rest.get().uri(API.baseUrl() + "/accounts").retrieve().body(String.class))
                .contains("\"success\":true");

        assertThat(API.accessTokens()).hasSize(2);
        assertThat(API.requests("/v1/accounts")).hasSize(3);
        // Each rotated refresh token was written back to the store before its access token was used.
        String stored = STORE.load(CredentialRef.parse("mem:bigledger/refresh_token")).secret().reveal();
        assertThat(stored).isEqualTo(API.refreshTokens().get(API.refreshTokens().size() - 1));
        assertThat(tokens.state()).isEqualTo(TokenManager.State.FRESH);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        assertThat(registry.get("bigledger.auth.token.state").tags("state", "fresh").gauge().value()).isEqualTo(1);
    }
}
