package com.bigledger.auth.bigledger;

import java.net.URI;

/**
 * The BigLedger API refused a request because the API key or access token is missing, wrong, expired or revoked (HTTP
 * 401, code {@code UNAUTHORIZED}).
 *
 * <p>Check that the key is correct and has not expired, or that the access token is still valid; {@link
 * BigLedgerHttpClient} has already retried once with a reloaded key or a refreshed token. Not retryable as is.
 * Immutable and thread-safe.
 */
public class UnauthorizedException extends BigLedgerApiException {

    /** The envelope's error code for this failure. */
    public static final String CODE = "UNAUTHORIZED";

    /** The HTTP status the BigLedger API answers with for this failure. */
    public static final int HTTP_STATUS = 401;

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param endpoint the URL called; its user info, query and fragment are dropped
     * @param httpStatus the HTTP status of the response
     * @param code the envelope's code, normally {@value #CODE}, or {@code null} when the response had no envelope
     * @param serverMessage the envelope's message, or {@code null}; cleaned and capped, and the caller must
     *     already have removed from it any credential the request sent
     * @param detail what to do about it, naming no secret
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     * @throws IllegalArgumentException if {@code httpStatus} is not in 100–599
     */
    public UnauthorizedException(URI endpoint, int httpStatus, String code, String serverMessage, String detail) {
        super(endpoint, httpStatus, code, serverMessage, detail);
    }
}
