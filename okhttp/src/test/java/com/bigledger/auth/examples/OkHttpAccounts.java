package com.bigledger.auth.examples;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.okhttp.BigLedgerOkHttp;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

public final class OkHttpAccounts {

    public static String list(BigLedgerAuth auth) throws IOException {
        // Requests under auth.baseUrl() get Authorization, X-Company-Id and User-Agent; after a 401 the token
        // (or stored key) that was sent is invalidated and the request retried once: 64 concurrent 401s, one refresh.
        OkHttpClient http = BigLedgerOkHttp.configure(new OkHttpClient.Builder(), auth).build();

        Request accounts = new Request.Builder().url(auth.resolve("/accounts").toString()).build();
        try (Response response = http.newCall(accounts).execute()) {
            return response.body().string();
        }
    }
}
