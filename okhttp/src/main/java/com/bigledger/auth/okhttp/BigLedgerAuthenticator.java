package com.bigledger.auth.okhttp;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHeaders;
import java.io.IOException;
import java.util.Objects;
import okhttp3.Authenticator;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OkHttp {@link Authenticator} for the BigLedger API: after a 401 to a request under the base URL, it invalidates
 * the credential that request carried ({@link BigLedgerAuth#invalidate(BigLedgerHeaders)}: an OAuth token through
 * {@code TokenManager.invalidate(seen)}, an API key kept in a store by reloading it) and retries once with the
 * credential that replaces it.
 *
 * <p>Many concurrent 401s for one credential cause one refresh: each call invalidates the credential it saw, and
 * only the first of them drops the current one; the others wait for the same refresh. A request is retried at most
 * once, whatever the second answer is, so the authenticator never loops. No retry is made when the credential
 * cannot change (an API key given as a value), for requests elsewhere than the base URL, for a proxy's 407, or for
 * a request that carried no BigLedger credential.
 *
 * <p>Use it with {@link BigLedgerInterceptor}, which tags each request with the headers it sent; without the tag,
 * the credential sent is recognized by its {@code Authorization} header.
 *
 * <p>Immutable and thread-safe. {@link #authenticate} blocks while the replacing credential is loaded.
 */
public final class BigLedgerAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(BigLedgerAuthenticator.class);

    private final BigLedgerAuth auth;

    private BigLedgerAuthenticator(BigLedgerAuth auth) {
        this.auth = auth;
    }

    /**
     * Creates the authenticator.
     *
     * @param auth the credentials and base URL; the same object the {@link BigLedgerInterceptor} uses
     * @return the authenticator
     * @throws NullPointerException if {@code auth} is {@code null}
     */
    public static BigLedgerAuthenticator of(BigLedgerAuth auth) {
        return new BigLedgerAuthenticator(Objects.requireNonNull(auth, "auth"));
    }

    @Override
    public Request authenticate(Route route, Response response) throws IOException {
        Request sent = response.request();
        if (response.code() != 401 || !auth.refreshable() || !auth.isUnderBaseUrl(sent.url().uri())
                || retriedBefore(response)) {
            return null;
        }
        String sentAuthorization = sent.header(BigLedgerHeaders.AUTHORIZATION);
        if (sentAuthorization == null) {
            return null;
        }
        BigLedgerHeaders rejected = sent.tag(BigLedgerHeaders.class);
        if (rejected == null) {
            BigLedgerHeaders current = BigLedgerInterceptor.headers(auth, sent);
            // Replaced meanwhile (another call's 401): retry with the current one, invalidate nothing.
            rejected = current.authorization().equals(sentAuthorization) ? current : null;
        }
        LOG.debug("{} {}: HTTP 401; replacing the {} and retrying once", sent.method(),
                BigLedgerInterceptor.shown(sent), auth.mode() == BigLedgerAuth.Mode.OAUTH ? "access token" : "API key");
        if (rejected != null) {
            auth.invalidate(rejected);
        }
        return BigLedgerInterceptor.withHeaders(sent, BigLedgerInterceptor.headers(auth, sent));
    }

    /** Whether a 401 came before in this call's chain of responses: then this one answers the retry. */
    private static boolean retriedBefore(Response response) {
        for (Response prior = response.priorResponse(); prior != null; prior = prior.priorResponse()) {
            if (prior.code() == 401) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "BigLedgerAuthenticator[" + auth.baseUrl() + "]";
    }
}
