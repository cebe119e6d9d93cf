package com.bigledger.auth.okhttp;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The README's OkHttp example, compiled and run with this module's tests; the README test of the {@code cli} module
 * checks that the README shows exactly the lines between {@code // example:okhttp} and {@code // end}.
 */
final class ReadmeExample {

    private ReadmeExample() {
    }

    static String okHttp(BigLedgerAuth auth) throws IOException {
        // example:okhttp
        // Requests under auth.baseUrl() get Authorization, X-Company-Id and User-Agent; after a 401 the token
        // (or stored key) that was sent is invalidated and the request retried once: 64 concurrent 401s, one refresh.
        OkHttpClient http = BigLedgerOkHttp.configure(new OkHttpClient.Builder(), auth).build();

        Request accounts = new Request.Builder().url(auth.resolve("/accounts").toString()).build();
        try (Response response = http.newCall(accounts).execute()) {
            return response.body().string();
        }
        // end
    }
}
