package com.bigledger.auth.examples;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import java.util.Set;
import java.util.function.Supplier;

public final class ServiceTokens {

    /** An access token kept fresh for a service (client credentials); client as in TokenClients above. */
    public static String bearer(OAuthClient client) {
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
    }
}
