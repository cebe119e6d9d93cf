package com.bigledger.auth.examples;

import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.JwtBearerGrant;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenExchangeGrant;
import java.security.PrivateKey;
import java.util.Set;

public final class OtherGrants {

    /** JWT bearer (RFC 7523): each request sends a fresh assertion signed with the key (RS256 or ES256). */
    public static TokenManager jwtBearer(OAuthClient client, PrivateKey key) {
        return TokenManager.builder()
                .tokenSource(JwtBearerGrant.builder()
                        .client(client)
                        .signingKey(key)                  // or .assertion(supplier) for a JWT signed elsewhere
                        .issuer("my-service")             // sub defaults to iss, aud to the token endpoint
                        .build())
                .scopes(Set.of("read:accounts"))
                .build();
    }

    /** Token exchange (RFC 8693): another manager's current token is exchanged for one for the ledger API. */
    public static TokenManager exchange(OAuthClient client, TokenManager upstream) {
        return TokenManager.builder()
                .tokenSource(TokenExchangeGrant.builder()
                        .client(client)
                        .subjectToken(upstream.asSecretSupplier(), TokenExchangeGrant.ACCESS_TOKEN_TYPE)
                        .audience("ledger-api")
                        .build())
                .build();
    }
}
