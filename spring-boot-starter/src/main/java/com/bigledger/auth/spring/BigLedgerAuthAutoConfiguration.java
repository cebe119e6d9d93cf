package com.bigledger.auth.spring;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenManagerBuilder;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerConfigurationException;
import com.bigledger.auth.bigledger.BigLedgerEnvironment;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.bigledger.ConfigProblem;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configures bigledger-auth from {@code bigledger.auth.*}: a {@link CredentialVault} (the stores on the class
 * path), a {@link TokenManager} when {@code bigledger.auth.oauth.client-id} is set, a {@link BigLedgerAuth} (with
 * {@code api-key-ref}, the token manager, or else the {@code BIGLEDGER_*} environment variables), a
 * {@link BigLedgerHttpClient}; with Spring's web clients, a {@code RestClient} interceptor added to every
 * auto-configured {@code RestClient.Builder} and a {@code WebClient} filter; with Actuator, a health indicator
 * ({@link BigLedgerMetricsAutoConfiguration} adds the meter binders). Every bean backs off when the application defines its own.
 *
 * <p>Invalid settings fail start-up with a {@link BigLedgerConfigurationException} that lists every problem by
 * setting name, never a secret. Closing the context closes the managers and the vault.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "bigledger.auth", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(BigLedgerAuthProperties.class)
public final class BigLedgerAuthAutoConfiguration {

    private static final Set<String> GRANTS = Set.of("client_credentials", "refresh_token");

    /** Creates the auto-configuration; Spring Boot does so when the conditions above hold. */
    public BigLedgerAuthAutoConfiguration() {
    }

    /**
     * The vault that reads every reference, with the stores found on the class path.
     *
     * @param properties the settings
     * @return the vault
     */
    @Bean
    @ConditionalOnMissingBean
    public CredentialVault bigLedgerCredentialVault(BigLedgerAuthProperties properties) {
        check(properties);
        CredentialVault.Builder vault = CredentialVault.builder();
        BigLedgerAuthProperties.Store store = properties.store();
        ifSet(store.ttl(), vault::ttl);
        ifSet(store.maxStale(), vault::maxStale);
        ifSet(store.loadTimeout(), vault::loadTimeout);
        return vault.build();
    }

    /**
     * The token manager of the OAuth client, when {@code bigledger.auth.oauth.client-id} is set.
     *
     * @param properties the settings
     * @param vault the vault that reads the client secret and the refresh token
     * @return the token manager
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "bigledger.auth.oauth", name = "client-id")
    public TokenManager bigLedgerTokenManager(BigLedgerAuthProperties properties, CredentialVault vault) {
        check(properties);
        BigLedgerAuthProperties.OAuth oauth = properties.oauth();
        OAuthClient.Builder client = OAuthClient.builder()
                .tokenEndpoint(oauth.tokenEndpoint())
                .clientId(oauth.clientId())
                .requestFormat(RequestFormat.valueOf(oauth.requestFormat().toUpperCase(Locale.ROOT)))
                .allowInsecureLoopback(properties.allowInsecureLoopback());
        if (oauth.clientSecretRef() != null) {
            Secret secret = vault.handle(CredentialRef.parse(oauth.clientSecretRef())).get();
            client.clientSecret(secret);
        }
        TokenManagerBuilder tokens = TokenManager.builder().client(client.build()).name("bigledger");
        if (oauth.grant().equals("refresh_token")) {
            tokens.refreshToken(vault, CredentialRef.parse(oauth.refreshTokenRef()));
        } else {
            tokens.clientCredentials();
        }
        if (oauth.scopes() != null && !oauth.scopes().isEmpty()) {
            tokens.scopes(oauth.scopes());
        }
        BigLedgerAuthProperties.Token token = properties.token();
        ifSet(token.refreshAhead(), ahead -> tokens.refreshAhead(ahead, 0.1));
        ifSet(token.expirySkew(), tokens::expirySkew);
        ifSet(token.timeout(), tokens::timeout);
        return tokens.build();
    }

    /**
     * The credentials and headers of the BigLedger API client.
     *
     * @param properties the settings
     * @param vault the vault
     * @param tokens the token manager, when OAuth is configured
     * @return the client's credentials
     */
    @Bean
    @ConditionalOnMissingBean
    public BigLedgerAuth bigLedgerAuth(BigLedgerAuthProperties properties, CredentialVault vault,
            ObjectProvider<TokenManager> tokens) {
        check(properties);
        BigLedgerAuth.Builder auth = BigLedgerAuth.builder();
        TokenManager manager = tokens.getIfAvailable();
        if (properties.apiKeyRef() == null && manager == null) {
            auth.fromEnvironment().vault(vault);
        } else {
            if (manager != null) {
                auth.tokenManager(manager);
            } else {
                auth.apiKey(vault, CredentialRef.parse(properties.apiKeyRef()));
            }
            auth.environment(BigLedgerEnvironment.parse(properties.environment()));
            if (properties.companyId() != null) {
                auth.companyId(properties.companyId());
            } else if (properties.companyIdRef() != null) {
                auth.companyId(vault.handle(CredentialRef.parse(properties.companyIdRef())).get().reveal());
            }
        }
        ifSet(properties.baseUrl(), auth::baseUrl);
        if (properties.allowInsecureLoopback()) {
            auth.allowInsecureLoopback(true);
        }
        ifSet(properties.userAgent(), auth::userAgent);
        return auth.build();
    }

    /**
     * The JDK-based client of the BigLedger API.
     *
     * @param auth the credentials
     * @return the client
     */
    @Bean
    @ConditionalOnMissingBean
    public BigLedgerHttpClient bigLedgerHttpClient(BigLedgerAuth auth) {
        return BigLedgerHttpClient.create(auth);
    }

    /** {@code RestClient} support, when Spring's web client classes are present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.client.RestClient")
    static final class RestClientSupport {

        @Bean
        @ConditionalOnMissingBean
        BigLedgerClientHttpRequestInterceptor bigLedgerClientHttpRequestInterceptor(BigLedgerAuth auth) {
            return new BigLedgerClientHttpRequestInterceptor(auth);
        }

        /** Adds the interceptor to every auto-configured builder: it touches only requests under the base URL. */
        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass(RestClientCustomizer.class)
        static final class Customizer {

            @Bean
            @ConditionalOnMissingBean(name = "bigLedgerRestClientCustomizer")
            RestClientCustomizer bigLedgerRestClientCustomizer(BigLedgerClientHttpRequestInterceptor interceptor) {
                return builder -> builder.requestInterceptor(interceptor);
            }
        }
    }

    /** {@code WebClient} support, when Spring WebFlux is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebClient.class)
    static final class WebClientSupport {

        @Bean
        @ConditionalOnMissingBean
        BigLedgerExchangeFilterFunction bigLedgerExchangeFilterFunction(BigLedgerAuth auth) {
            return new BigLedgerExchangeFilterFunction(auth);
        }
    }

    /** Actuator health, when Spring Boot's health module is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static final class HealthSupport {

        @Bean
        @ConditionalOnMissingBean(name = "bigLedgerHealthIndicator")
        HealthIndicator bigLedgerHealthIndicator(BigLedgerAuthProperties properties, BigLedgerAuth auth,
                CredentialVault vault, ObjectProvider<TokenManager> tokens) {
            List<CredentialRef> refs = new ArrayList<>();
            for (String ref : references(properties).values()) {
                refs.add(CredentialRef.parse(ref));
            }
            return new BigLedgerHealthIndicator(auth, tokens.getIfAvailable(), vault, refs, Clock.systemUTC());
        }
    }

    /** Checks what can be checked offline, listing every problem by setting name; never a secret (none is a setting). */
    static void check(BigLedgerAuthProperties p) {
        List<ConfigProblem> problems = new ArrayList<>();
        try {
            BigLedgerEnvironment.parse(p.environment());
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_INVALID, "bigledger.auth.environment: "
                    + e.getMessage()));
        }
        BigLedgerAuthProperties.OAuth oauth = p.oauth();
        if (p.apiKeyRef() != null && oauth.clientId() != null) {
            problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_CONFLICT, "bigledger.auth.api-key-ref and "
                    + "bigledger.auth.oauth.client-id: set one credential, an API key or an OAuth client"));
        }
        if (p.companyId() != null && p.companyIdRef() != null) {
            problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_CONFLICT, "bigledger.auth.company-id and "
                    + "bigledger.auth.company-id-ref: set one"));
        }
        if (p.apiKeyRef() != null && p.companyId() == null && p.companyIdRef() == null) {
            problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_MISSING, "bigledger.auth.company-id: a company "
                    + "id is required with an API key (X-Company-Id; Settings > Company Profile in the dashboard)"));
        }
        if (oauth.clientId() != null) {
            if (!GRANTS.contains(oauth.grant())) {
                problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_INVALID, "bigledger.auth.oauth.grant: "
                        + "expected client_credentials or refresh_token"));
            } else if (oauth.grant().equals("refresh_token") && oauth.refreshTokenRef() == null) {
                problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_MISSING, "bigledger.auth.oauth."
                        + "refresh-token-ref: the refresh_token grant needs where the refresh token is kept"));
            } else if (oauth.grant().equals("client_credentials") && oauth.clientSecretRef() == null) {
                problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_MISSING, "bigledger.auth.oauth."
                        + "client-secret-ref: the client_credentials grant needs the client secret"));
            }
            if (!Set.of("json", "form").contains(oauth.requestFormat().toLowerCase(Locale.ROOT))) {
                problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_INVALID, "bigledger.auth.oauth."
                        + "request-format: expected json or form"));
            }
        }
        references(p).forEach((name, ref) -> {
            try {
                CredentialRef.parse(ref);
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(ConfigProblem.Kind.SETTING_INVALID, "bigledger.auth." + name + ": "
                        + e.getMessage()));
            }
        });
        if (!problems.isEmpty()) {
            throw new BigLedgerConfigurationException(problems);
        }
    }

    /** The settings that are credential references, by name under {@code bigledger.auth}: those that are set. */
    private static Map<String, String> references(BigLedgerAuthProperties p) {
        Map<String, String> refs = new LinkedHashMap<>();
        ifSet(p.apiKeyRef(), ref -> refs.put("api-key-ref", ref));
        ifSet(p.companyIdRef(), ref -> refs.put("company-id-ref", ref));
        ifSet(p.oauth().clientSecretRef(), ref -> refs.put("oauth.client-secret-ref", ref));
        ifSet(p.oauth().refreshTokenRef(), ref -> refs.put("oauth.refresh-token-ref", ref));
        return refs;
    }

    /** Passes a setting to a builder when it is set; a builder's own default stands otherwise. */
    private static <T> void ifSet(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }
}
