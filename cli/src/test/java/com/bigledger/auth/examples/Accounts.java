package com.bigledger.auth.examples;

import com.bigledger.auth.bigledger.BigLedgerApiException;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.bigledger.VerifyResult;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

public final class Accounts {

    /** auth as in BigLedgerSetup above. */
    public static String list(BigLedgerAuth auth) throws IOException, InterruptedException {
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
    }
}
