package com.bigledger.auth.spring;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHeaders;
import java.io.IOException;
import java.util.Objects;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A {@code RestClient}/{@code RestTemplate} interceptor that adds the BigLedger headers to requests under the API's
 * base URL (others pass untouched) and, after a 401, invalidates the credential it sent and sends the request once
 * more with the one that replaces it; the second answer is returned whatever it is. Many concurrent 401s for one
 * credential cause one refresh. An API key given as a value cannot change: its 401 is returned at once.
 *
 * <p>Immutable and thread-safe. Blocks while a credential is loaded or refreshed.
 */
public final class BigLedgerClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

    private final BigLedgerAuth auth;

    /**
     * Creates the interceptor.
     *
     * @param auth the credentials and base URL
     * @throws NullPointerException if {@code auth} is {@code null}
     */
    public BigLedgerClientHttpRequestInterceptor(BigLedgerAuth auth) {
        this.auth = Objects.requireNonNull(auth, "auth");
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        if (!auth.isUnderBaseUrl(request.getURI())) {
            return execution.execute(request, body);
        }
        BigLedgerHeaders sent = auth.headers();
        apply(request.getHeaders(), sent);
        ClientHttpResponse response = execution.execute(request, body);
        if (response.getStatusCode().value() != 401 || !auth.refreshable()) {
            return response;
        }
        response.close();
        auth.invalidate(sent);
        apply(request.getHeaders(), auth.headers());
        return execution.execute(request, body);
    }

    static void apply(HttpHeaders headers, BigLedgerHeaders bigledger) {
        headers.set(BigLedgerHeaders.AUTHORIZATION, bigledger.authorization());
        headers.set(BigLedgerHeaders.USER_AGENT, bigledger.userAgent());
        bigledger.companyId().ifPresent(id -> headers.set(BigLedgerHeaders.COMPANY_ID, id));
        if (headers.getContentType() == null) {
            headers.set(BigLedgerHeaders.CONTENT_TYPE, BigLedgerHeaders.JSON);
        }
    }

    @Override
    public String toString() {
        return "BigLedgerClientHttpRequestInterceptor[" + auth.baseUrl() + "]";
    }
}
