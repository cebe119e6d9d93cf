package com.bigledger.auth;

import com.bigledger.auth.internal.ServerText;
import java.net.URI;
import java.util.Optional;

/**
 * The token endpoint answered with a success status but not with a usable token: an HTML page, an empty,
 * truncated, oversized or invalid JSON body, no {@code access_token}, a token type other than {@code Bearer}, or a
 * missing or unreasonable {@code expires_in}.
 *
 * <p>Retryable: it is the server's (or a proxy's) fault and may pass. The message names the endpoint, the HTTP
 * status and what is wrong, and never quotes the body, which may hold tokens.
 *
 * <p>If the body did hold a well-formed {@code refresh_token}, {@link #receivedRefreshToken()} returns it: a server
 * that rotates refresh tokens may already have retired the one that was sent, so the caller should keep the new
 * one rather than lose its grant. It is held only by this object, never shown in its message, and not serialized.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class InvalidTokenResponseException extends TokenRefreshException {

    private static final long serialVersionUID = 1L;

    private final transient Secret receivedRefreshToken;

    /**
     * Creates an exception.
     *
     * @param endpoint the token endpoint; its user info, query and fragment are dropped
     * @param httpStatus the HTTP status of the response, 100–599
     * @param detail what is wrong with the response, never quoting it
     * @param receivedRefreshToken a well-formed refresh token the body held, or {@code null}
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     * @throws IllegalArgumentException if {@code httpStatus} is not in 100–599
     */
    public InvalidTokenResponseException(URI endpoint, int httpStatus, String detail, Secret receivedRefreshToken) {
        super(endpoint, ServerText.responseStatus(httpStatus), null, null, null, detail, null, true);
        this.receivedRefreshToken = receivedRefreshToken;
    }

    /**
     * Returns the refresh token the response carried, if the body held a well-formed one.
     *
     * @return the refresh token, or empty when there was none, it could not be read, or this exception was
     *     deserialized
     */
    public Optional<Secret> receivedRefreshToken() {
        return Optional.ofNullable(receivedRefreshToken);
    }
}
