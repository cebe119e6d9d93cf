package com.bigledger.auth.bigledger;

import java.net.URI;

/**
 * The BigLedger API refused a request because the company id is missing, invalid, or not one the credential may
 * access (HTTP 422, code {@code INVALID_COMPANY}).
 *
 * <p>Send {@code X-Company-Id} with the id shown in the BigLedger dashboard under Settings > Company Profile, for a
 * company the credential has access to. Not retryable as is. Immutable and thread-safe.
 */
public class InvalidCompanyException extends BigLedgerApiException {

    /** The envelope's error code for this failure. */
    public static final String CODE = "INVALID_COMPANY";

    /** The HTTP status the BigLedger API answers with for this failure. */
    public static final int HTTP_STATUS = 422;

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
    public InvalidCompanyException(URI endpoint, int httpStatus, String code, String serverMessage, String detail) {
        super(endpoint, httpStatus, code, serverMessage, detail);
    }
}
