package com.bigledger.auth.examples;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialHandle;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.bigledger.BigLedgerApiException;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerEnvironment;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.bigledger.BigLedgerOAuth;
import com.bigledger.auth.bigledger.BigLedgerScopes;
import com.bigledger.auth.bigledger.VerifyResult;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.spi.CredentialSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
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

    /** A BigLedger client configured from the environment, as the BigLedger document recommends. */
    static BigLedgerAuth bigLedgerFromEnvironment() {
        // example:bigledger-environment
        // BIGLEDGER_API_KEY, BIGLEDGER_COMPANY_ID, BIGLEDGER_ENVIRONMENT (production by default), or their _REF forms
        BigLedgerAuth auth = BigLedgerAuth.builder()
                .fromEnvironment()
                .userAgent("MyApp/1.0.0 (https://myapp.com)")     // bigledger-auth-java/VERSION is appended
                .build();
        // end
        return auth;
    }

    /** Verify and a request with the BigLedger headers, typed errors and one retry after a 401. */
    static String bigLedgerRequests(BigLedgerAuth auth) throws IOException, InterruptedException {
        // example:bigledger-requests
        BigLedgerHttpClient bigledger = BigLedgerHttpClient.create(auth);

        VerifyResult me = bigledger.verify();                     // GET /v1/auth/verify
        System.out.println(me.company().orElseThrow().id() + " may " + me.permissions());

        // Authorization, X-Company-Id, Content-Type and User-Agent are added; after a 401 the key is reloaded
        // from its store (or the token refreshed) and the request sent once more.
        HttpResponse<byte[]> accounts = bigledger.send(bigledger.newRequest("/accounts").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (accounts.statusCode() != 200) {
            throw BigLedgerApiException.from(accounts);   // UnauthorizedException, ForbiddenException, ...
        }
        return new String(accounts.body(), StandardCharsets.UTF_8);
        // end
    }

    /** Step 1 of the OAuth flow: the authorization URL with PKCE. */
    static AuthorizationRequest bigLedgerAuthorize(CredentialVault vault) {
        // example:bigledger-oauth-authorize
        BigLedgerOAuth oauth = BigLedgerOAuth.builder()
                .clientId("YOUR_CLIENT_ID")
                .clientSecret(vault.handle(CredentialRef.parse("aws-sm:prod/bigledger#client_secret")).get())
                .redirectUri(URI.create("https://yourapp.com/callback"))
                .build();

        // Step 1: send the user's browser to request.uri(), https://auth.bigledger.com/oauth/authorize?...,
        // and keep the request (its state and PKCE verifier) in the user's session until the callback
        AuthorizationRequest request = oauth.authorizationRequest(
                Set.of(BigLedgerScopes.READ_ACCOUNTS, BigLedgerScopes.WRITE_INVOICES));
        // end
        return request;
    }

    /** An OAuth session: the credentials and the token manager behind them, which the caller closes. */
    record OAuthSession(BigLedgerAuth auth, TokenManager tokens) {
    }

    /** Steps 2 to 4 of the OAuth flow: the callback, the code exchange and tokens kept fresh. */
    static OAuthSession bigLedgerCallback(BigLedgerOAuth oauth, AuthorizationRequest request, URI callbackUri,
            CredentialVault vault) {
        // example:bigledger-oauth-callback
        // Steps 2 and 3: the state is checked, then the code exchanged (JSON with client_id and client_secret)
        TokenResponse tokens = oauth.exchange(callbackUri, request);
        CredentialRef refreshToken = CredentialRef.parse("vault:secret/users/42/bigledger#refresh_token");
        vault.write(refreshToken, tokens.refreshToken().orElseThrow(), Optional.empty());

        // Step 4: one-hour access tokens refreshed ahead of expiry; a new blg_oauth_rt_ token, if the server
        // rotates them, written back
        TokenManager tokenManager = oauth.tokenManager().refreshToken(vault, refreshToken).build();
        BigLedgerAuth auth = BigLedgerAuth.builder()
                .tokenManager(tokenManager)
                .companyId("company_abc123")                       // optional with OAuth
                .userAgent("MyApp/1.0.0 (https://myapp.com)")
                .build();
        // end
        return new OAuthSession(auth, tokenManager);
    }

    /** The sandbox, with a key kept in a store. */
    static BigLedgerAuth bigLedgerSandbox(CredentialVault vault) {
        // example:bigledger-sandbox
        // Sandbox keys start with blg_test_sk_; a blg_live_sk_ key is refused here, before any request is sent
        BigLedgerAuth sandbox = BigLedgerAuth.builder()
                .environment(BigLedgerEnvironment.SANDBOX)           // https://api-sandbox.bigledger.com/v1
                .apiKey(vault, CredentialRef.parse("env:BIGLEDGER_SANDBOX_API_KEY"))
                .companyId("company_abc123")
                .build();
        // end
        return sandbox;
    }
}
