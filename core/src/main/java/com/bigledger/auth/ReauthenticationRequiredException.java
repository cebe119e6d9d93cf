package com.bigledger.auth;

import java.net.URI;

/**
 * The token endpoint refused the grant or the client for good: the refresh token or authorization code is invalid,
 * expired or revoked ({@code invalid_grant}), or the client's credentials are wrong ({@code invalid_client},
 * {@code unauthorized_client}, BigLedger {@code UNAUTHORIZED}).
 *
 * <p>Never retryable: the same request will keep failing until someone authorizes again or fixes the client's
 * credentials. The message names the endpoint, the HTTP status and the error code, never a secret.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class ReauthenticationRequiredException extends TokenRefreshException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception for a refusal that came as an HTTP response.
     *
     * @param endpoint the token endpoint; its user info, query and fragment are dropped
     * @param httpStatus the HTTP status code, or {@code -1} when there was no response
     * @param errorCode the OAuth {@code error} or BigLedger {@code error.code}, or {@code null}
     * @param errorDescription the server's description, or {@code null}; cleaned and capped, and the caller must
     *     already have removed from it any secret that was sent
     * @param detail what failed, naming no secret
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     * @throws IllegalArgumentException if {@code httpStatus} is neither {@code -1} nor in 100–599
     */
    public ReauthenticationRequiredException(URI endpoint, int httpStatus, String errorCode,
            String errorDescription, String detail) {
        super(endpoint, httpStatus, errorCode, errorDescription, null, detail, null, false);
    }

    /**
     * Creates an exception for a grant that cannot be attempted at all, such as a refresh token that is missing
     * from its store.
     *
     * @param endpoint the token endpoint; its user info, query and fragment are dropped
     * @param detail what is missing or refused, naming no secret
     * @param cause the underlying failure, or {@code null}
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     */
    public ReauthenticationRequiredException(URI endpoint, String detail, Throwable cause) {
        super(endpoint, -1, null, null, null, detail, cause, false);
    }
}
