package com.bigledger.auth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerConfigurationException;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.micrometer.CredentialVaultMetrics;
import com.bigledger.auth.micrometer.TokenManagerMetrics;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

class BigLedgerAuthAutoConfigurationTest {

    private static final String COMPANY = "company_abc123";

    private final FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional")
            .consentCompany(COMPANY);
    private final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
    private final String clientSecret = Canary.value("cs_");

    /** Runs the auto-configuration with a vault over the in-memory store, as a user-defined vault bean would. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(BigLedgerAuthAutoConfiguration.class,
                    BigLedgerMetricsAutoConfiguration.class))
            .withBean(CredentialVault.class, () -> CredentialVault.builder().source(store).discoverSources(false)
                    .build())
            .withPropertyValues("bigledger.auth.base-url=" + api.baseUrl(),
                    "bigledger.auth.allow-insecure-loopback=true");

    @AfterEach
    void stop() {
        api.close();
    }

    private String[] apiKey() {
        store.put("bigledger/api_key", Secret.of(api.issueApiKey(COMPANY, "read:accounts")));
        return new String[] {"bigledger.auth.api-key-ref=mem:bigledger/api_key", "bigledger.auth.company-id=" + COMPANY};
    }

    private String[] oauth() {
        api.client("starter-client", clientSecret, URI.create("https://yourapp.com/callback"));
        store.put("bigledger/client_secret", Secret.of(clientSecret));
        store.put("bigledger/refresh_token", Secret.of(api.issueRefreshToken(COMPANY, "read:accounts")));
        return new String[] {"bigledger.auth.oauth.client-id=starter-client",
            "bigledger.auth.oauth.token-endpoint=" + api.authorizationServer() + "/oauth/token",
            "bigledger.auth.oauth.client-secret-ref=mem:bigledger/client_secret",
            "bigledger.auth.oauth.grant=refresh_token",
            "bigledger.auth.oauth.refresh-token-ref=mem:bigledger/refresh_token",
            "bigledger.auth.oauth.scopes=read:accounts"};
    }

    @Test
    void anApiKeyRefConfiguresAuthClientInterceptorsHealthAndVaultMetricsButNoTokenManager() {
        runner.withPropertyValues(apiKey()).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BigLedgerAuth.class)
                    .hasSingleBean(BigLedgerHttpClient.class).hasSingleBean(BigLedgerClientHttpRequestInterceptor.class)
                    .hasSingleBean(BigLedgerExchangeFilterFunction.class).hasSingleBean(RestClientCustomizer.class)
                    .hasBean("bigLedgerHealthIndicator").hasSingleBean(CredentialVaultMetrics.class)
                    .doesNotHaveBean(TokenManager.class).doesNotHaveBean(TokenManagerMetrics.class);
            BigLedgerAuth auth = context.getBean(BigLedgerAuth.class);
            assertThat(auth.mode()).isEqualTo(BigLedgerAuth.Mode.API_KEY);
            assertThat(auth.companyId()).contains(COMPANY);
            assertThat(context.getBean(BigLedgerHttpClient.class).verify().authenticated()).isTrue();
        });
    }

    @Test
    void anOAuthClientConfiguresATokenManagerWhoseTokensReachTheApiThroughRestClientAndWebClient() {
        runner.withPropertyValues(oauth()).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TokenManager.class)
                    .hasSingleBean(TokenManagerMetrics.class);
            assertThat(context.getBean(BigLedgerAuth.class).mode()).isEqualTo(BigLedgerAuth.Mode.OAUTH);

            RestClient.Builder builder = RestClient.builder();
            context.getBean(RestClientCustomizer.class).customize(builder);
            String accounts = builder.build().get().uri(api.baseUrl() + "/accounts").retrieve().body(String.class);
            assertThat(accounts).contains("\"success\":true");

            // The token is revoked: the WebClient filter invalidates it, refreshes once, and retries.
            api.revokeAccessToken(api.accessTokens().get(0));
            WebClient web = WebClient.builder().clientConnector(new JdkClientHttpConnector())
                    .filter(context.getBean(BigLedgerExchangeFilterFunction.class)).build();
            String again = web.get().uri(api.baseUrl() + "/accounts").retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(30));
            assertThat(again).contains("\"success\":true");
            assertThat(api.accessTokens()).hasSize(2);
            assertThat(api.requests("/v1/accounts")).hasSize(3);
        });
    }

    @Test
    void aRestClient401InvalidatesTheTokenAndRetriesOnce() {
        runner.withPropertyValues(oauth()).run(context -> {
            RestClient.Builder builder = RestClient.builder();
            context.getBean(RestClientCustomizer.class).customize(builder);
            RestClient rest = builder.build();
            context.getBean(BigLedgerAuth.class).headers();
            api.revokeAccessToken(api.accessTokens().get(0));

            assertThat(rest.get().uri(api.baseUrl() + "/accounts").retrieve().body(String.class))
                    .contains("\"success\":true");

            assertThat(api.accessTokens()).hasSize(2);
            assertThat(api.requests("/v1/accounts")).hasSize(2);
        });
    }

    @Test
    void closingTheContextClosesTheTokenManagerAfterTheRotatedRefreshTokenWasWrittenBack() {
        String[] settings = oauth();
        String first = store.load(CredentialRef.parse("mem:bigledger/refresh_token")).secret().reveal();
        TokenManager[] manager = new TokenManager[1];
        runner.withPropertyValues(settings).run(context -> {
            manager[0] = context.getBean(TokenManager.class);
            context.getBean(BigLedgerAuth.class).headers();
        });

        assertThat(manager[0].state()).isEqualTo(TokenManager.State.CLOSED);
        String stored = store.load(CredentialRef.parse("mem:bigledger/refresh_token")).secret().reveal();
        assertThat(stored).isNotEqualTo(first);
        assertThat(api.isLive(stored)).isTrue();
    }

    @Test
    void beansTheApplicationDefinesWin() {
        BigLedgerAuth own = BigLedgerAuth.builder().apiKey(Canary.secret("blg_live_sk_")).companyId(COMPANY).build();
        runner.withBean(BigLedgerAuth.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(BigLedgerAuth.class);
            assertThat(context.getBean(BigLedgerAuth.class)).isSameAs(own);
            assertThat(context.getBean(BigLedgerHttpClient.class).auth()).isSameAs(own);
        });
    }

    @Test
    void enabledFalseTurnsEverythingOff() {
        runner.withPropertyValues("bigledger.auth.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(BigLedgerAuth.class)
                        .doesNotHaveBean(BigLedgerHttpClient.class).doesNotHaveBean(TokenManager.class));
    }

    @Test
    void withoutWebClientsActuatorOrMicrometerOnlyTheCoreBeansAreMade() {
        runner.withPropertyValues(apiKey())
                .withClassLoader(new FilteredClassLoader(RestClient.class, WebClient.class, HealthIndicator.class,
                        MeterBinder.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(BigLedgerAuth.class)
                        .doesNotHaveBean(BigLedgerClientHttpRequestInterceptor.class)
                        .doesNotHaveBean(BigLedgerExchangeFilterFunction.class)
                        .doesNotHaveBean("bigLedgerHealthIndicator")
                        .doesNotHaveBean(CredentialVaultMetrics.class));
    }

    @Test
    void invalidSettingsFailStartUpListingEveryProblemByNameAndNoSecret() {
        runner.withPropertyValues("bigledger.auth.environment=staging", "bigledger.auth.api-key-ref=mem:k",
                "bigledger.auth.oauth.client-id=c", "bigledger.auth.oauth.grant=password",
                "bigledger.auth.oauth.request-format=xml").run(context -> {
                    assertThat(context).hasFailed();
                    Throwable cause = context.getStartupFailure();
                    while (!(cause instanceof BigLedgerConfigurationException) && cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).isInstanceOf(BigLedgerConfigurationException.class)
                            .hasMessageContaining("bigledger.auth.environment")
                            .hasMessageContaining("bigledger.auth.api-key-ref and bigledger.auth.oauth.client-id")
                            .hasMessageContaining("bigledger.auth.company-id")
                            .hasMessageContaining("bigledger.auth.oauth.grant")
                            .hasMessageContaining("bigledger.auth.oauth.request-format");
                });
    }

    @Test
    void aKeyOfTheOtherEnvironmentFailsStartUpWithoutShowingTheKey() {
        String sandboxKey = Canary.value("blg_test_sk_");
        store.put("bigledger/api_key", Secret.of(sandboxKey));
        runner.withPropertyValues("bigledger.auth.api-key-ref=mem:bigledger/api_key",
                "bigledger.auth.company-id=" + COMPANY).run(context -> {
                    assertThat(context).hasFailed();
                    Throwable cause = context.getStartupFailure();
                    while (!(cause instanceof BigLedgerConfigurationException) && cause.getCause() != null) {
                        cause = cause.getCause();
                    }
                    assertThat(cause).isInstanceOf(BigLedgerConfigurationException.class)
                            .hasMessageContaining("mem:bigledger/api_key").hasMessageNotContaining(sandboxKey);
                    assertThat(Canary.leaksIn(cause.getMessage())).isFalse();
                });
    }

    @Test
    void tokenAndStoreSettingsBind() {
        runner.withPropertyValues(oauth()).withPropertyValues("bigledger.auth.token.refresh-ahead=10m",
                "bigledger.auth.token.expiry-skew=45s", "bigledger.auth.token.timeout=5s",
                "bigledger.auth.store.ttl=2m", "bigledger.auth.store.max-stale=20m",
                "bigledger.auth.store.load-timeout=7s", "bigledger.auth.environment=sandbox",
                "bigledger.auth.user-agent=MyApp/1.0.0").run(context -> {
                    assertThat(context).hasNotFailed();
                    BigLedgerAuthProperties p = context.getBean(BigLedgerAuthProperties.class);
                    assertThat(p.token().refreshAhead()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(p.token().expirySkew()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(p.token().timeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.store().ttl()).isEqualTo(Duration.ofMinutes(2));
                    assertThat(p.store().maxStale()).isEqualTo(Duration.ofMinutes(20));
                    assertThat(p.store().loadTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(p.oauth().scopes()).containsExactly("read:accounts");
                    BigLedgerAuth auth = context.getBean(BigLedgerAuth.class);
                    assertThat(auth.environment().id()).isEqualTo("sandbox");
                    assertThat(auth.userAgent()).startsWith("MyApp/1.0.0 ");
                });
    }

    @Test
    void theAutoConfiguredVaultTakesTheStoreSettings() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(BigLedgerAuthAutoConfiguration.class,
                    BigLedgerMetricsAutoConfiguration.class))
                .withPropertyValues("bigledger.auth.store.ttl=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("ttl");
                });
    }

    @Test
    void healthIsUpWithTheTokenStateAndStoresAndShowsNoSecret() {
        runner.withPropertyValues(oauth()).run(context -> {
            context.getBean(BigLedgerAuth.class).headers();
            Health health = ((HealthIndicator) context.getBean("bigLedgerHealthIndicator")).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("mode", "oauth").containsEntry("tokenState", "FRESH")
                    .containsEntry("store mem:bigledger/client_secret", "reachable")
                    .containsKey("tokenExpiresInSeconds");
            assertThat(Canary.leaksIn(health.toString())).isFalse();

            context.getBean(TokenManager.class).close();
            assertThat(((HealthIndicator) context.getBean("bigLedgerHealthIndicator")).health().getStatus())
                    .isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Test
    void healthIsDownWithTheFailuresClassAndKindWhenAStoreHoldsNothing() {
        runner.withPropertyValues(oauth()).run(context -> {
            store.remove("bigledger/refresh_token");
            Health health = ((HealthIndicator) context.getBean("bigLedgerHealthIndicator")).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("store mem:bigledger/refresh_token")).asString()
                    .startsWith("CredentialNotFoundException (NOT_FOUND): mem:bigledger/refresh_token: ");
            assertThat(Canary.leaksIn(health.toString())).isFalse();
        });
    }

    @Test
    void healthIsDownWhenTheGrantWasRefused() {
        String[] settings = oauth();
        store.put("bigledger/refresh_token", Canary.secret("blg_oauth_rt_"));
        runner.withPropertyValues(settings).run(context -> {
            // The caller may see the refusal a moment before the manager's state does: wait for the event.
            CountDownLatch refused = new CountDownLatch(1);
            context.getBean(TokenManager.class).addListener(new TokenListener() {
                @Override
                public void reauthenticationRequired(String manager, ReauthenticationRequiredException failure) {
                    refused.countDown();
                }
            });
            assertThatThrownBy(() -> context.getBean(BigLedgerAuth.class).headers())
                    .isInstanceOf(ReauthenticationRequiredException.class);
            assertThat(refused.await(30, TimeUnit.SECONDS)).isTrue();
            Health health = ((HealthIndicator) context.getBean("bigLedgerHealthIndicator")).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("tokenState", "REAUTHENTICATION_REQUIRED");
            assertThat(Canary.leaksIn(health.toString())).isFalse();
        });
    }
}
