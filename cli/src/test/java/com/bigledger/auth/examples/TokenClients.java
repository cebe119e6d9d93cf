package com.bigledger.auth.examples;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import java.net.URI;

public final class TokenClients {

    /** The OAuth client for BigLedger's token endpoint, with the client secret from AWS Secrets Manager. */
    public static OAuthClient bigLedger(CredentialVault vault) {
        return OAuthClient.builder()
                .tokenEndpoint(URI.create("https://auth.bigledger.com/oauth/token"))
                .clientId("my-service")
                .clientSecret(vault.handle(CredentialRef.parse("aws-sm:prod/bigledger#client_secret")).get())
                .requestFormat(RequestFormat.JSON)      // BigLedger's token endpoint takes JSON bodies
                .build();
    }
}
