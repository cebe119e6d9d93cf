package com.bigledger.auth.examples;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.spi.CredentialSource;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The README's usage examples, compiled with the build; {@code ReadmeExamplesTest} checks that the README shows
 * exactly these lines and runs them. Each example sits between {@code // example:NAME} and {@code // end}.
 */
final class ReadmeExamples {

    private ReadmeExamples() {
    }

    /** An API key from the environment, cached and refreshed, as a request header. */
    static HttpRequest apiKeyRequest(CredentialSource environment) {
        // example:api-key
        try (CredentialVault vault = CredentialVault.builder()
                .source(environment)          // optional: sources on the class path are found on their own
                .build()) {
            CredentialHandle apiKey = vault.handle(CredentialRef.parse("env:BIGLEDGER_API_KEY"));
            CredentialHandle companyId = vault.handle(CredentialRef.parse("env:BIGLEDGER_COMPANY_ID"));

            // Keep the handles; get() on a cached value is a single volatile read.
            return HttpRequest.newBuilder(URI.create("https://api.bigledger.com/v1/accounts"))
                    .header("Authorization", "Bearer " + apiKey.get().reveal())
                    .header("X-Company-Id", companyId.get().reveal())
                    .header("Content-Type", "application/json")
                    .build();
        }
        // end
    }

    /** The OAuth client for the BigLedger token endpoint, with the client secret from a store. */
    static OAuthClient bigLedgerClient(CredentialVault vault) {
        // example:oauth-client
        OAuthClient client = OAuthClient.builder()
                .tokenEndpoint(URI.create("https://auth.bigledger.com/oauth/token"))
                .clientId("my-service")
                .clientSecret(vault.handle(CredentialRef.parse("aws-sm:prod/bigledger#client_secret")).get())
                .requestFormat(RequestFormat.JSON)      // BigLedger's token endpoint takes JSON bodies
                .build();
        // end
        return client;
    }

    /** An access token kept fresh for a service. */
    static String clientCredentials(OAuthClient client) {
        // example:client-credentials
        try (TokenManager tokens = TokenManager.builder()
                .client(client)
                .clientCredentials()
                .scopes(Set.of("read:accounts", "write:invoices"))
                .addListener(new TokenListener() {
                    @Override
                    public void reauthenticationRequired(String manager, ReauthenticationRequiredException e) {
                        System.err.println("The token endpoint refused the client: " + e.getMessage());
                    }
                })
                .build()) {
            AccessToken token = tokens.token();    // cached; refreshed in the background before it expires
            System.out.println("token valid until " + token.expiresAt());
            Supplier<String> bearer = tokens.asStringSupplier();   // for SDKs that take a token supplier
            return bearer.get();
        }
        // end
    }

    /** A refresh token kept in a store, rotated on every refresh and written back before use. */
    static AccessToken refreshTokenRotation(CredentialVault vault, OAuthClient client, CredentialRef refreshTokenRef) {
        // example:rotation
        // refreshTokenRef is, say, aws-sm:prod/bigledger#refresh_token or vault:secret/bigledger#refresh_token
        try (TokenManager tokens = TokenManager.builder()
                .client(client)
                .refreshToken(vault, refreshTokenRef)     // each rotated refresh token is written back, CAS
                .timeout(Duration.ofSeconds(10))          // how long a caller waits when no token is valid
                .build()) {
            AccessToken token = tokens.token();
            // After an HTTP 401 for this token: one refresh, however many callers report it.
            tokens.invalidate(token);
            return tokens.token();
        }
        // end
    }
}
