package com.bigledger.auth;

import com.bigledger.auth.internal.ServerText;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A request to an OAuth 2.0 token endpoint failed: the endpoint could not be reached, answered with an error, or
 * answered with a response that is not a usable token.
 *
 * <p>The message names the endpoint (scheme, host, port and path: never its user info or query), the HTTP status
 * and the OAuth error code when there was a response, and never a secret or token. The server's error
 * description is shown, because it is the best diagnosis there is, but it is capped in length and stripped of
 * control characters.
 *
 * <p>{@link #retryable()} is {@code true} for failures that may pass on their own: I/O errors, timeouts, HTTP 5xx,
 * HTTP 429 and broken responses. When the server said when to come back ({@code Retry-After} on HTTP 429 and 503),
 * {@link #retryAfter()} gives it. A refused grant or client is a {@link ReauthenticationRequiredException}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class TokenRefreshException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    /** The endpoint, without user info, query or fragment. */
    private final URI endpoint;

    /** The HTTP status, or -1 when no response was received. */
    private final int httpStatus;

    /** The cleaned error code, or {@code null}. */
    private final String errorCode;

    /** The cleaned error description, or {@code null}. */
    private final String errorDescription;

    /** The server's {@code Retry-After}, or {@code null}. */
    private final Duration retryAfter;

    /**
     * Creates an exception for a request that got no HTTP response: an I/O error, a timeout, an interruption.
     *
     * @param endpoint the token endpoint; its user info, query and fragment are dropped
     * @param detail what failed, naming no secret
     * @param cause the underlying failure, or {@code null}; its message must not hold a secret either
     * @param retryable whether a later attempt may succeed
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     */
    public TokenRefreshException(URI endpoint, String detail, Throwable cause, boolean retryable) {
        this(endpoint, -1, null, null, null, detail, cause, retryable);
    }

    /**
     * Creates an exception for a request that got an HTTP response.
     *
     * @param endpoint the token endpoint; its user info, query and fragment are dropped
     * @param httpStatus the HTTP status code, or {@code -1} when there was no response
     * @param errorCode the OAuth {@code error} or BigLedger {@code error.code}, or {@code null}; cleaned and capped
     * @param errorDescription the server's description, or {@code null}; cleaned and capped, and the caller must
     *     already have removed from it any secret that was sent
     * @param retryAfter how long the server asked to wait, or {@code null}
     * @param detail what failed, naming no secret
     * @param cause the underlying failure, or {@code null}; its message must not hold a secret either
     * @param retryable whether a later attempt may succeed
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     * @throws IllegalArgumentException if {@code httpStatus} is neither {@code -1} nor in 100–599, or
     *     {@code retryAfter} is negative
     */
    public TokenRefreshException(URI endpoint, int httpStatus, String errorCode, String errorDescription,
            Duration retryAfter, String detail, Throwable cause, boolean retryable) {
        super(message(ServerText.endpoint(Objects.requireNonNull(endpoint, "endpoint")), ServerText.status(httpStatus),
                ServerText.code(errorCode), ServerText.description(errorDescription), checkRetryAfter(retryAfter),
                Objects.requireNonNull(detail, "detail")), cause, retryable);
        // Cleaning is deterministic, so the fields hold exactly what the message shows.
        this.endpoint = ServerText.endpoint(endpoint);
        this.httpStatus = httpStatus;
        this.errorCode = ServerText.code(errorCode);
        this.errorDescription = ServerText.description(errorDescription);
        this.retryAfter = retryAfter;
    }

    /**
     * Returns the token endpoint that was called, without user info, query or fragment.
     *
     * @return the endpoint
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Returns the HTTP status of the response.
     *
     * @return the status, or empty when no response was received
     */
    public OptionalInt httpStatus() {
        return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /**
     * Returns the error code the server gave: the RFC 6749 {@code error} (such as {@code invalid_grant}) or the
     * BigLedger envelope's {@code error.code} (such as {@code UNAUTHORIZED}).
     *
     * @return the code, or empty when the response carried none
     */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /**
     * Returns the server's description of the error ({@code error_description}, or the envelope's
     * {@code error.message}), capped in length and stripped of control characters.
     *
     * @return the description, or empty when the response carried none
     */
    public Optional<String> errorDescription() {
        return Optional.ofNullable(errorDescription);
    }

    /**
     * Returns how long the server asked the client to wait before the next attempt ({@code Retry-After}).
     *
     * @return the wait, zero when the date given has passed, or empty when the server said nothing
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    private static Duration checkRetryAfter(Duration retryAfter) {
        if (retryAfter != null && retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative: " + retryAfter);
        }
        return retryAfter;
    }

    private static String message(URI endpoint, int status, String code, String description, Duration retryAfter,
            String detail) {
        StringBuilder m = new StringBuilder("Token request to ").append(endpoint).append(" failed");
        if (status >= 0) {
            m.append(": HTTP ").append(status);
        }
        if (code != null) {
            m.append(status >= 0 ? ", " : ": ").append("error ").append(code);
        }
        if (description != null) {
            m.append(" (").append(description).append(')');
        }
        m.append(": ").append(detail);
        if (retryAfter != null) {
            m.append("; retry after ").append(retryAfter.toSeconds()).append(" s");
        }
        return m.toString();
    }
}
