package com.bigledger.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A sample application whose access tokens come from Spring Authorization Server (client credentials, started in
 * this JVM on 127.0.0.1 and a free port), calling the BigLedger API double through an auto-configured
 * {@link RestClient}. The double answers as scripted here, since it accepts only tokens it issued itself; the test
 * checks the tokens it received are the server's, and that its 401 made the manager fetch one new token.
 */
@SpringBootTest(classes = SasSampleApplicationTest.SampleApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "spring.main.web-application-type=none")
class SasSampleApplicationTest {

    private static final String CLIENT_SECRET = Canary.value("sas_");
    private static final FakeBigLedgerApi API = FakeBigLedgerApi.start();
    private static final InMemoryCredentialSource STORE = new InMemoryCredentialSource("mem");
    private static final ConfigurableApplicationContext AUTH_SERVER = startAuthServer();

    private static ConfigurableApplicationContext startAuthServer() {
        STORE.put("bigledger/client_secret", Secret.of(CLIENT_SECRET));
        String client = "spring.security.oauth2.authorizationserver.client.sample.";
        return new SpringApplicationBuilder(AuthServerApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties("server.address=127.0.0.1", "server.port=0", "bigledger.auth.enabled=false",
                        "spring.main.banner-mode=off",
                        client + "registration.client-id=sample-app",
                        client + "registration.client-secret={noop}" + CLIENT_SECRET,
                        client + "registration.client-authentication-methods=client_secret_basic",
                        client + "registration.authorization-grant-types=client_credentials",
                        client + "registration.scopes=read:accounts")
                .run();
    }

    /** Spring Authorization Server, configured by properties alone. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AuthServerApplication {
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
        String port = AUTH_SERVER.getEnvironment().getProperty("local.server.port");
        properties.add("bigledger.auth.oauth.client-id", () -> "sample-app");
        properties.add("bigledger.auth.oauth.token-endpoint", () -> "http://127.0.0.1:" + port + "/oauth2/token");
        properties.add("bigledger.auth.oauth.client-secret-ref", () -> "mem:bigledger/client_secret");
        properties.add("bigledger.auth.oauth.request-format", () -> "form");
        properties.add("bigledger.auth.oauth.scopes", () -> "read:accounts");
        properties.add("bigledger.auth.base-url", () -> API.baseUrl().toString());
        properties.add("bigledger.auth.allow-insecure-loopback", () -> "true");
    }

    @AfterAll
    static void stop() {
        AUTH_SERVER.close();
        API.close();
    }

    @Autowired
    private RestClient.Builder restClient;

    @Autowired
    private TokenManager tokens;

    @Test
    void theRestClientSendsTheServersTokenAndAfterA401ExactlyOneNewOne() {
        API.enqueue("/v1/accounts", Response.envelopeError(401, "UNAUTHORIZED", "Invalid or missing API key"));
        API.enqueue("/v1/accounts", Response.json(200, "{\"success\":true,\"data\":[]}"));
        String first = tokens.bearerToken();
        assertThat(first.split("\\.")).as("a JWT signed by the server").hasSize(3);

        String accounts = restClient.build().get().uri(API.baseUrl() + "/accounts").retrieve().body(String.class);

        assertThat(accounts).contains("\"success\":true");
        String second = tokens.bearerToken();
        assertThat(second).isNotEqualTo(first);
        List<String> sent = API.requests("/v1/accounts").stream()
                .map(r -> r.header("Authorization").orElse("")).collect(Collectors.toList());
        assertThat(sent).hasSize(2);
        assertThat(API.requests("/v1/accounts").get(0).header("Authorization")).contains("Bearer " + first);
        assertThat(API.requests("/v1/accounts").get(1).header("Authorization")).contains("Bearer " + second);
    }
}
