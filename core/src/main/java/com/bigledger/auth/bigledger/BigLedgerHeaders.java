package com.bigledger.auth.bigledger;

import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The headers of one BigLedger API request, made from one credential: {@code Authorization: Bearer …},
 * {@code Content-Type: application/json}, {@code X-Company-Id} (when a company id is set) and {@code User-Agent}.
 *
 * <p>{@link BigLedgerAuth#headers()} returns the same instance for as long as the credential is unchanged, so a
 * caller may keep it for one request and hand it back to {@link BigLedgerAuth#invalidate(BigLedgerHeaders)} if the
 * API answers 401. {@link #toString()} shows the credential's known prefix at most. Immutable and thread-safe.
 */
public final class BigLedgerHeaders {

    /** {@code Authorization}. */
    public static final String AUTHORIZATION = "Authorization";

    /** {@code Content-Type}. */
    public static final String CONTENT_TYPE = "Content-Type";

    /** {@code X-Company-Id}. */
    public static final String COMPANY_ID = "X-Company-Id";

    /** {@code User-Agent}. */
    public static final String USER_AGENT = "User-Agent";

    /** The content type of BigLedger API requests. */
    public static final String JSON = "application/json";

    /** The {@link com.bigledger.auth.Secret} API key or the {@link com.bigledger.auth.AccessToken}. */
    private final Object credential;
    private final String authorization;
    private final String shownCredential;
    private final String companyId;
    private final String userAgent;
    private final Map<String, String> map;

    BigLedgerHeaders(Object credential, String authorization, String shownCredential, String companyId,
            String userAgent) {
        this.credential = credential;
        this.authorization = authorization;
        this.shownCredential = shownCredential;
        this.companyId = companyId;
        this.userAgent = userAgent;
        Map<String, String> m = new LinkedHashMap<>();
        m.put(AUTHORIZATION, authorization);
        m.put(CONTENT_TYPE, JSON);
        if (companyId != null) {
            m.put(COMPANY_ID, companyId);
        }
        m.put(USER_AGENT, userAgent);
        this.map = Collections.unmodifiableMap(m);
    }

    /** The credential these headers carry, compared by identity to tell a rejected one from its replacement. */
    Object credential() {
        return credential;
    }

    /**
     * Returns the value of the {@code Authorization} header. It holds the credential: send it, never log it.
     *
     * @return {@code Bearer } and the API key or access token
     */
    public String authorization() {
        return authorization;
    }

    /**
     * Returns the value of the {@code X-Company-Id} header.
     *
     * @return the company id, or empty when none is set (possible with OAuth only)
     */
    public Optional<String> companyId() {
        return Optional.ofNullable(companyId);
    }

    /**
     * Returns the value of the {@code User-Agent} header.
     *
     * @return the application's product, if set, followed by {@code bigledger-auth-java/VERSION}
     */
    public String userAgent() {
        return userAgent;
    }

    /**
     * Returns every header, in the order the BigLedger document lists them, for HTTP clients other than the JDK's.
     *
     * @return header names and values; unmodifiable
     */
    public Map<String, String> asMap() {
        return map;
    }

    /**
     * Sets these headers on a JDK request builder. {@code Content-Type} is set only when {@code setContentType} is
     * {@code true}, so that a request with another body type keeps its own.
     *
     * @param request the request builder
     * @param setContentType whether to set {@code Content-Type: application/json}
     * @return {@code request}
     * @throws NullPointerException if {@code request} is {@code null}
     */
    public HttpRequest.Builder applyTo(HttpRequest.Builder request, boolean setContentType) {
        Objects.requireNonNull(request, "request");
        request.setHeader(AUTHORIZATION, authorization);
        if (setContentType) {
            request.setHeader(CONTENT_TYPE, JSON);
        }
        if (companyId != null) {
            request.setHeader(COMPANY_ID, companyId);
        }
        request.setHeader(USER_AGENT, userAgent);
        return request;
    }

    /** Shows the headers with the credential redacted to its known prefix. */
    @Override
    public String toString() {
        return "BigLedgerHeaders[" + AUTHORIZATION + "=Bearer " + shownCredential + ", " + CONTENT_TYPE + "=" + JSON
                + (companyId == null ? "" : ", " + COMPANY_ID + "=" + companyId) + ", " + USER_AGENT + "="
                + userAgent + "]";
    }
}
