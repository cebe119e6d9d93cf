package com.bigledger.auth.examples;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerOAuth;
import com.bigledger.auth.bigledger.BigLedgerScopes;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.TokenResponse;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** A user's login with OAuth 2.0 and PKCE, whose refresh token is kept in HashiCorp Vault. */
public final class UserLogin {

    private final BigLedgerOAuth oauth;
    private final CredentialVault vault;

    public UserLogin(BigLedgerOAuth oauth, CredentialVault vault) {
        this.oauth = oauth;
        this.vault = vault;
    }

    public static BigLedgerOAuth client(CredentialVault vault) {
        return BigLedgerOAuth.builder()
                .clientId("YOUR_CLIENT_ID")
                .clientSecret(vault.handle(CredentialRef.parse("aws-sm:prod/bigledger#client_secret")).get())
                .redirectUri(URI.create("https://yourapp.com/callback"))
                .build();
    }

    /**
     * Step 1: send the user's browser to request.uri(), https://auth.bigledger.com/oauth/authorize?..., and keep
     * the request (its state and PKCE verifier) in the user's session until the callback.
     */
    public AuthorizationRequest start() {
        return oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_ACCOUNTS, BigLedgerScopes.WRITE_INVOICES));
    }

    /** When the user comes back to the redirect URI: the user's tokens, to close when the session ends. */
    public TokenManager callback(URI callbackUri, AuthorizationRequest request) {
        // Steps 2 and 3: the state is checked, then the code exchanged (JSON with client_id and client_secret)
        TokenResponse tokens = oauth.exchange(callbackUri, request);
        CredentialRef refreshToken = CredentialRef.parse("vault:secret/users/42/bigledger#refresh_token");
        vault.write(refreshToken, tokens.refreshToken().orElseThrow(), Optional.empty());

        // Step 4: one-hour access tokens refreshed ahead of expiry; a new blg_oauth_rt_ token, if the server
        // rotates them, written back
        return oauth.tokenManager().refreshToken(vault, refreshToken).build();
    }

    public static BigLedgerAuth auth(TokenManager tokenManager) {
        return BigLedgerAuth.builder()
                .tokenManager(tokenManager)
                .companyId("company_abc123")                       // optional with OAuth
                .userAgent("MyApp/1.0.0 (https://myapp.com)")
                .build();
    }
}
