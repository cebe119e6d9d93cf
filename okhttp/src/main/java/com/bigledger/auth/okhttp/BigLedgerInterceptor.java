package com.bigledger.auth.okhttp;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHeaders;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp application interceptor that adds the BigLedger headers to every request under the API's
 * {@linkplain BigLedgerAuth#baseUrl() base URL}: {@code Authorization: Bearer …}, {@code X-Company-Id} when a company
 * id is set, and {@code User-Agent}. Requests to any other URL pass through untouched, so a client shared with other
 * hosts never sends them a BigLedger credential. {@code Content-Type} stays the one of the request body.
 *
 * <p>The headers object is attached to the request as a tag, so that {@link BigLedgerAuthenticator} invalidates
 * exactly the credential the API refused. A credential that cannot be loaded or refreshed fails the call with an
 * {@link IOException} whose cause is the library's typed exception (OkHttp reports {@code IOException}s to
 * {@code Callback.onFailure}; other exceptions would escape an asynchronous call).
 *
 * <p>Immutable and thread-safe. {@link #intercept} blocks only while no credential is cached.
 */
public final class BigLedgerInterceptor implements Interceptor {

    private final BigLedgerAuth auth;

    private BigLedgerInterceptor(BigLedgerAuth auth) {
        this.auth = auth;
    }

    /**
     * Creates the interceptor.
     *
     * @param auth the credentials and base URL
     * @return the interceptor
     * @throws NullPointerException if {@code auth} is {@code null}
     */
    public static BigLedgerInterceptor of(BigLedgerAuth auth) {
        return new BigLedgerInterceptor(Objects.requireNonNull(auth, "auth"));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!auth.isUnderBaseUrl(request.url().uri())) {
            return chain.proceed(request);
        }
        return chain.proceed(withHeaders(request, headers(auth, request)));
    }

    /** Loads the headers, turning a credential failure into the exception type OkHttp expects of a call. */
    static BigLedgerHeaders headers(BigLedgerAuth auth, Request request) throws IOException {
        try {
            return auth.headers();
        } catch (BigLedgerAuthException e) {
            throw new IOException("No BigLedger credential for " + request.method() + " " + shown(request) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Sets the headers (replacing any of the same names) and tags the request with them. */
    static Request withHeaders(Request request, BigLedgerHeaders headers) {
        Request.Builder builder = request.newBuilder()
                .header(BigLedgerHeaders.AUTHORIZATION, headers.authorization())
                .header(BigLedgerHeaders.USER_AGENT, headers.userAgent())
                .tag(BigLedgerHeaders.class, headers);
        headers.companyId().ifPresent(id -> builder.header(BigLedgerHeaders.COMPANY_ID, id));
        return builder.build();
    }

    /** The URL without its query, which may hold something private. */
    static String shown(Request request) {
        return request.url().newBuilder().query(null).fragment(null).build().toString();
    }

    @Override
    public String toString() {
        return "BigLedgerInterceptor[" + auth.baseUrl() + "]";
    }
}
