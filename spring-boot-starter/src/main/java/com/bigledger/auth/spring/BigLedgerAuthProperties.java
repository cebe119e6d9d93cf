package com.bigledger.auth.spring;

import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code bigledger.auth.*} settings. Secrets are never settings: the API key, the client secret and the refresh
 * token are given as references to a store ({@code aws-sm:prod/bigledger#api_key}, {@code env:BIGLEDGER_API_KEY},
 * {@code vault:secret/bigledger#client_secret}), read through the auto-configured {@code CredentialVault}.
 *
 * @param enabled whether the auto-configuration runs; by default, {@code true}
 * @param environment {@code production} or {@code sandbox}; by default, {@code production}
 * @param apiKeyRef where the API key lives, for API-key authentication
 * @param companyId the company id sent as {@code X-Company-Id}; required with an API key
 * @param companyIdRef where the company id lives, instead of {@code company-id}
 * @param baseUrl another base URL of the API (a private deployment or a test server); by default, the environment's
 * @param allowInsecureLoopback whether {@code http} is accepted to a loopback host, for tests; by default, {@code false}
 * @param userAgent the application's product for the {@code User-Agent} header, such as {@code MyApp/1.0.0}
 * @param oauth the OAuth 2.0 client, for token authentication instead of an API key
 * @param token the token manager's timings
 * @param store the credential vault's cache settings
 */
@ConfigurationProperties("bigledger.auth")
public record BigLedgerAuthProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("production") String environment,
        String apiKeyRef,
        String companyId,
        String companyIdRef,
        URI baseUrl,
        boolean allowInsecureLoopback,
        String userAgent,
        @DefaultValue OAuth oauth,
        @DefaultValue Token token,
        @DefaultValue Store store) {

    /**
     * The OAuth 2.0 client. Configured when {@code client-id} is set.
     *
     * @param tokenEndpoint the token endpoint; by default, BigLedger's {@code https://auth.bigledger.com/oauth/token}
     * @param clientId the client id
     * @param clientSecretRef where the client secret lives; none for a public client
     * @param scopes the scopes to ask for, such as {@code read:accounts}; by default, none (the client's own)
     * @param grant {@code client_credentials} or {@code refresh_token}; by default, {@code client_credentials}
     * @param refreshTokenRef where the refresh token lives, with the {@code refresh_token} grant; rotated refresh
     *     tokens are written back there
     * @param requestFormat {@code json} (BigLedger's token endpoint) or {@code form} (RFC 6749); by default, {@code json}
     */
    public record OAuth(
            @DefaultValue("https://auth.bigledger.com/oauth/token") URI tokenEndpoint,
            String clientId,
            String clientSecretRef,
            Set<String> scopes,
            @DefaultValue("client_credentials") String grant,
            String refreshTokenRef,
            @DefaultValue("json") String requestFormat) {
    }

    /**
     * The token manager's timings; each is the library's default when not set.
     *
     * @param refreshAhead the shortest refresh-ahead window; by default, 5 minutes (or 10% of the lifetime)
     * @param expirySkew how long before the server's expiry a token counts as expired; by default, 30 seconds
     * @param timeout how long a caller waits for a token when none is cached; by default, 30 seconds
     */
    public record Token(Duration refreshAhead, Duration expirySkew, Duration timeout) {
    }

    /**
     * The credential vault's settings; each is the library's default when not set.
     *
     * @param ttl the age at which a secret is reloaded in the background; by default, 5 minutes
     * @param maxStale how long past its TTL the last good value is served while a store fails; by default, 15 minutes
     * @param loadTimeout how long a caller waits for a first value; by default, 30 seconds
     */
    public record Store(Duration ttl, Duration maxStale, Duration loadTimeout) {
    }
}
