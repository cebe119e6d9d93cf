package com.bigledger.auth.okhttp;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Wires a {@link BigLedgerAuth} into an OkHttp client: the {@link BigLedgerInterceptor} as an application
 * interceptor and the {@link BigLedgerAuthenticator}, so that requests under the API's base URL carry the BigLedger
 * headers and a 401 is retried once with a fresh credential.
 *
 * <p>Stateless and thread-safe.
 */
public final class BigLedgerOkHttp {

    private BigLedgerOkHttp() {
    }

    /**
     * Adds the interceptor and sets the authenticator on an OkHttp builder. The builder's authenticator is replaced;
     * its other settings, such as timeouts, stay as they are.
     *
     * @param builder the builder of the client that calls the BigLedger API
     * @param auth the credentials and base URL
     * @return {@code builder}
     * @throws NullPointerException if an argument is {@code null}
     */
    public static OkHttpClient.Builder configure(OkHttpClient.Builder builder, BigLedgerAuth auth) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(auth, "auth");
        return builder.addInterceptor(BigLedgerInterceptor.of(auth)).authenticator(BigLedgerAuthenticator.of(auth));
    }
}
