/**
 * OkHttp 5 adapters: an {@link okhttp3.Interceptor} that adds the BigLedger headers and an
 * {@link okhttp3.Authenticator} that, after a 401, invalidates the credential it sent and retries once.
 *
 * {@snippet :
 * OkHttpClient http = BigLedgerOkHttp.configure(new OkHttpClient.Builder(), auth).build();
 * }
 */
package com.bigledger.auth.okhttp;
