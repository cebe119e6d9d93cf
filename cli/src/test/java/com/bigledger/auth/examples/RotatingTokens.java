package com.bigledger.auth.examples;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import java.time.Duration;

public final class RotatingTokens {

    /** refreshTokenRef is, say, aws-sm:prod/bigledger#refresh_token or vault:secret/bigledger#refresh_token. */
    public static AccessToken afterUnauthorized(OAuthClient client, CredentialVault vault,
            CredentialRef refreshTokenRef) {
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
    }
}
