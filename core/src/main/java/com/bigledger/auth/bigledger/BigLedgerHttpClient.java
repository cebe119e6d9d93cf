package com.bigledger.auth.bigledger;

import com.bigledger.auth.internal.Endpoints;
import com.bigledger.auth.internal.HttpExchange;
import com.bigledger.auth.internal.Options;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the BigLedger API over the JDK {@link HttpClient}, with the headers of a {@link BigLedgerAuth},
 * and retries once after a 401 with a fresh credential.
 *
 * <pre>{@code
 * BigLedgerHttpClient bigledger = BigLedgerHttpClient.create(auth);
 * VerifyResult me = bigledger.verify();                                  // GET /v1/auth/verify
 * HttpResponse<String> accounts = bigledger.send(bigledger.newRequest("/accounts").GET().build(),
 *         HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>On an HTTP 401 the credential the request carried is invalidated (an OAuth token through
 * {@link com.bigledger.auth.TokenManager#invalidate(com.bigledger.auth.AccessToken)}, an API key kept in a store
 * through {@link com.bigledger.auth.CredentialVault#invalidate(com.bigledger.auth.CredentialRef)}, since keys are
 * rotated), and the request is sent once more with the credential that replaces it; the second answer is returned
 * whatever it is. Concurrent 401s for one credential cause one refresh or reload. An API key given as a value
 * cannot change, so its 401 is returned without a retry. The request's body publisher must therefore be one that
 * can be sent twice, as the JDK's {@code ofString} and {@code ofByteArray} are.
 *
 * <p>Credentials go only to URLs under the {@linkplain BigLedgerAuth#baseUrl() base URL}; a request elsewhere is
 * refused before anything is sent. Redirects are never followed, so that credentials cannot be carried elsewhere.
 *
 * <p>Immutable and thread-safe. {@link #send} and {@link #verify()} block on network I/O, and while a credential is
 * loaded or refreshed.
 */
public final class BigLedgerHttpClient {

    /** The request timeout of {@link #newRequest} and {@link #verify()} when none is set: 30 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The connect timeout of the default HTTP client: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The largest verify response read when none is set: 64 KiB, far more than the document's example. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

    /** The path of the verify endpoint under the base URL. */
    static final String VERIFY_PATH = "/auth/verify";

    private static final Logger LOG = LoggerFactory.getLogger(BigLedgerHttpClient.class);

    private final BigLedgerAuth auth;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final int maxResponseBytes;

    private BigLedgerHttpClient(Builder b) {
        this.auth = b.auth;
        this.http = b.httpClient != null ? b.httpClient : SharedClient.INSTANCE;
        this.requestTimeout = b.requestTimeout != null ? b.requestTimeout : DEFAULT_REQUEST_TIMEOUT;
        this.maxResponseBytes = b.maxResponseBytes != null ? b.maxResponseBytes : DEFAULT_MAX_RESPONSE_BYTES;
    }

    /** The default HTTP client, made on first use and shared: no redirects, the default connect timeout. */
    private static final class SharedClient {
        static final HttpClient INSTANCE = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
                .build();
    }

    /**
     * Creates a client with the default options.
     *
     * @param auth the credentials and base URL
     * @return the client
     * @throws NullPointerException if {@code auth} is {@code null}
     */
    public static BigLedgerHttpClient create(BigLedgerAuth auth) {
        return builder(auth).build();
    }

    /**
     * Starts a client.
     *
     * @param auth the credentials and base URL
     * @return a new builder
     * @throws NullPointerException if {@code auth} is {@code null}
     */
    public static Builder builder(BigLedgerAuth auth) {
        return new Builder(Objects.requireNonNull(auth, "auth"));
    }

    /**
     * Starts a request to a path under the base URL, with the request timeout set; {@link #send} adds the headers.
     *
     * @param path the path after the base URL, such as {@code /accounts}, optionally with a query
     * @return a request builder
     * @throws IllegalArgumentException as {@link BigLedgerAuth#resolve(String)}
     */
    public HttpRequest.Builder newRequest(String path) {
        return HttpRequest.newBuilder(auth.resolve(path)).timeout(requestTimeout);
    }

    /**
     * Sends a request with the BigLedger headers, retrying once with a fresh credential after a 401 (see the class
     * description). {@code Content-Type: application/json} is added unless the request has a content type. Blocks.
     *
     * @param request a request to a URL under the base URL, without {@code Authorization}, {@code X-Company-Id} or
     *     {@code User-Agent} headers, which this client sets
     * @param handler what to make of the response body
     * @param <T> the body type
     * @return the response: the first one, or after a 401 with a replaceable credential, the second
     * @throws IllegalArgumentException if the URL is not under the base URL, or the request sets a header this
     *     client sets
     * @throws IOException if sending or receiving failed
     * @throws InterruptedException if the thread was interrupted while waiting
     * @throws com.bigledger.auth.BigLedgerAuthException if the credential cannot be loaded or refreshed
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        check(request);
        BigLedgerHeaders first = auth.headers();
        if (!auth.refreshable()) {
            return http.send(withHeaders(request, first), handler);
        }
        // The first 401's body is dropped: only the retry's response reaches the caller. It is read through the same
        // size and time cap as every other body, so a server cannot hold the caller with an endless one.
        HttpResponse<T> response = http.send(withHeaders(request, first),
                info -> info.statusCode() == 401 ? HttpExchange.discarding(info, maxResponseBytes, requestTimeout)
                        : handler.apply(info));
        if (response.statusCode() != 401) {
            return response;
        }
        LOG.debug("{} {}: HTTP 401; replacing the {} and retrying once", request.method(),
                Endpoints.shown(request.uri()), auth.mode() == BigLedgerAuth.Mode.OAUTH ? "access token" : "API key");
        auth.invalidate(first);
        BigLedgerHeaders second = auth.headers();
        return http.send(withHeaders(request, second), handler);
    }

    /**
     * Calls {@code GET /v1/auth/verify} (under the base URL) and returns what the API says about the credentials.
     * A 401 is retried once with a fresh credential, as {@link #send} does. Blocks.
     *
     * @return the company, its plan and the permissions; {@link VerifyResult#authenticated()} as the API said
     * @throws UnauthorizedException if the API refused the key or token (HTTP 401 {@code UNAUTHORIZED})
     * @throws ForbiddenException if the credentials may not do this (HTTP 403 {@code FORBIDDEN})
     * @throws InvalidCompanyException if the company id is missing or invalid (HTTP 422 {@code INVALID_COMPANY})
     * @throws BigLedgerApiException for any other error response, a success response that is not the documented
     *     shape, or no response at all (I/O error, timeout, interruption)
     * @throws com.bigledger.auth.BigLedgerAuthException if the credential cannot be loaded or refreshed
     */
    public VerifyResult verify() {
        URI uri = auth.resolve(VERIFY_PATH);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", BigLedgerHeaders.JSON)
                .GET().build();
        HttpExchange response = HttpExchange.await(
                () -> send(request, HttpExchange.handler(maxResponseBytes, requestTimeout)),
                requestTimeout.toMillis() + " ms");
        if (response.failed()) {
            throw new BigLedgerApiException(uri, -1, null, null, response.failure(), response.cause(),
                    response.retryable());
        }
        int status = response.status();
        if (response.success()) {
            if (response.tooLarge()) {
                throw new BigLedgerApiException(uri, status, null, null, "the response body is larger than "
                        + maxResponseBytes + " bytes", null, true);
            }
            try {
                return ApiBodies.parseVerify(response.bytes());
            } catch (ApiBodies.Problem p) {
                throw new BigLedgerApiException(uri, status, null, null, p.getMessage()
                        + " (not the documented verify response)", null, true);
            }
        }
        throw ApiErrors.of(uri, status, response.contentType(), response.bytes(), response.tooLarge(),
                sentCredential(response.request()));
    }

    /**
     * Returns the credentials and base URL this client sends with.
     *
     * @return the credentials
     */
    public BigLedgerAuth auth() {
        return auth;
    }

    /** Shows the base URL and the mode; never a credential. */
    @Override
    public String toString() {
        return "BigLedgerHttpClient[" + auth.baseUrl() + ", " + auth.mode() + "]";
    }

    private void check(HttpRequest request) {
        if (!auth.isUnderBaseUrl(request.uri())) {
            throw new IllegalArgumentException("BigLedgerHttpClient sends credentials only to URLs under "
                    + auth.baseUrl() + ", not to " + Endpoints.shown(request.uri()));
        }
        for (String name : List.of(BigLedgerHeaders.AUTHORIZATION, BigLedgerHeaders.COMPANY_ID,
                BigLedgerHeaders.USER_AGENT)) {
            if (request.headers().firstValue(name).isPresent()) {
                throw new IllegalArgumentException("The request already has a " + name + " header (value not "
                        + "shown); BigLedgerHttpClient sets it from BigLedgerAuth");
            }
        }
    }

    private static HttpRequest withHeaders(HttpRequest request, BigLedgerHeaders headers) {
        boolean hasContentType = request.headers().firstValue(BigLedgerHeaders.CONTENT_TYPE).isPresent();
        return headers.applyTo(HttpRequest.newBuilder(request, (name, value) -> true), !hasContentType).build();
    }

    private static List<String> sentCredential(HttpRequest request) {
        return request.headers().firstValue(BigLedgerHeaders.AUTHORIZATION)
                .filter(value -> value.startsWith("Bearer "))
                .map(value -> List.of(value.substring(7)))
                .orElse(List.of());
    }

    /**
     * Builds a {@link BigLedgerHttpClient}. Each option may be set once; setting one twice fails. Not thread-safe:
     * use one builder per thread.
     */
    public static final class Builder {

        private final BigLedgerAuth auth;
        private HttpClient httpClient;
        private Duration requestTimeout;
        private Integer maxResponseBytes;

        private Builder(BigLedgerAuth auth) {
            this.auth = auth;
        }

        /**
         * Sets the HTTP client, for its proxy, TLS, executor or connect timeout. By default, a client shared by all
         * {@code BigLedgerHttpClient}s that follows no redirects, with a connect timeout of 10 seconds.
         *
         * @param httpClient a client built with {@code followRedirects(HttpClient.Redirect.NEVER)}
         * @return this builder
         * @throws NullPointerException if {@code httpClient} is {@code null}
         * @throws IllegalArgumentException if the client follows redirects, which could carry credentials elsewhere
         * @throws IllegalStateException if the client is already set
         */
        public Builder httpClient(HttpClient httpClient) {
            Objects.requireNonNull(httpClient, "httpClient");
            if (this.httpClient != null) {
                throw new IllegalStateException("httpClient is already set; each option is set once");
            }
            if (httpClient.followRedirects() != HttpClient.Redirect.NEVER) {
                throw new IllegalArgumentException("The HTTP client follows redirects (" + httpClient.followRedirects()
                        + "), which could carry BigLedger credentials elsewhere; build it with "
                        + "followRedirects(HttpClient.Redirect.NEVER)");
            }
            this.httpClient = httpClient;
            return this;
        }

        /**
         * Sets the timeout of requests made by {@link #newRequest} and {@link #verify()}: for the response headers,
         * and again for the verify response's body. By default, {@link #DEFAULT_REQUEST_TIMEOUT} (30 seconds).
         *
         * @param requestTimeout a positive duration
         * @return this builder
         * @throws NullPointerException if {@code requestTimeout} is {@code null}
         * @throws IllegalArgumentException if it is zero or negative
         * @throws IllegalStateException if the timeout is already set
         */
        public Builder requestTimeout(Duration requestTimeout) {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (this.requestTimeout != null) {
                throw Options.alreadySet(this.requestTimeout, "requestTimeout");
            }
            if (requestTimeout.isZero() || requestTimeout.isNegative()) {
                throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * Caps the size of a verify response; a larger one is abandoned unread. By default,
         * {@link #DEFAULT_MAX_RESPONSE_BYTES} (64 KiB).
         *
         * @param maxResponseBytes a positive number of bytes
         * @return this builder
         * @throws IllegalArgumentException if it is zero or negative
         * @throws IllegalStateException if the cap is already set
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            if (this.maxResponseBytes != null) {
                throw Options.alreadySet(this.maxResponseBytes, "maxResponseBytes");
            }
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         */
        public BigLedgerHttpClient build() {
            return new BigLedgerHttpClient(this);
        }
    }
}
