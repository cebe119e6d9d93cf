package com.bigledger.auth.bigledger;

import java.net.URI;

/**
 * The BigLedger API refused a request because the credential is valid but may not do this (HTTP 403, code {@code
 * FORBIDDEN}).
 *
 * <p>Check the OAuth token's scopes or the API key's permissions, that the request is for the right company, and
 * the API key's IP allow-list: the BigLedger document has keys restricted to listed server addresses (Settings >
 * API Keys > the key), and a request from an address not on the list is a common cause. Not retryable as is.
 * Immutable and thread-safe.
 */
public class ForbiddenException extends BigLedgerApiException {

    /** The envelope's error code for this failure. */
    public static final String CODE = "FORBIDDEN";

    /** The HTTP status the BigLedger API answers with for this failure. */
    public static final int HTTP_STATUS = 403;

    /** What to check after a 403, as the message says it: the document's causes, the IP allow-list among them. */
    static final String ADVICE = "the credentials may not do this: check the OAuth token's scopes or the API key's "
            + "permissions, the company, and the API key's IP allow-list (Settings > API Keys > the key in the "
            + "dashboard: is this server's address on it?)";

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
    public ForbiddenException(URI endpoint, int httpStatus, String code, String serverMessage, String detail) {
        super(endpoint, httpStatus, code, serverMessage, detail);
    }
}
