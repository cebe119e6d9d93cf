package com.bigledger.auth;

import com.bigledger.auth.internal.ServerText;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth 2.0 authorization request came back without a usable code: the user or the server refused it
 * ({@code error=access_denied} and the like), the {@code state} is missing or does not match the request (a
 * forged or replayed callback), or the callback carries no code.
 *
 * <p>Never retryable: the user has to go through authorization again. The message names the authorization
 * endpoint and the error code, shows the server's description capped and stripped of control characters, and never
 * shows the state, the code or the PKCE verifier.
 *
 * <p>Instances are immutable and thread-safe.
 */
public class AuthorizationException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    /** The authorization endpoint, without user info, query or fragment. */
    private final URI endpoint;

    /** The cleaned error code, or {@code null}. */
    private final String errorCode;

    /** The cleaned error description, or {@code null}. */
    private final String errorDescription;

    /**
     * Creates an exception.
     *
     * @param endpoint the authorization endpoint the request was sent to; its user info, query and fragment are
     *     dropped
     * @param errorCode the {@code error} parameter of the callback, or {@code null}; cleaned and capped
     * @param errorDescription the {@code error_description} parameter, or {@code null}; cleaned and capped
     * @param detail what failed, naming no secret
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     */
    public AuthorizationException(URI endpoint, String errorCode, String errorDescription, String detail) {
        super(message(ServerText.endpoint(Objects.requireNonNull(endpoint, "endpoint")), ServerText.code(errorCode),
                ServerText.description(errorDescription), Objects.requireNonNull(detail, "detail")), null, false);
        // Cleaning is deterministic, so the fields hold exactly what the message shows.
        this.endpoint = ServerText.endpoint(endpoint);
        this.errorCode = ServerText.code(errorCode);
        this.errorDescription = ServerText.description(errorDescription);
    }

    /**
     * Returns the authorization endpoint, without user info, query or fragment.
     *
     * @return the endpoint
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Returns the {@code error} the authorization server sent back, such as {@code access_denied}.
     *
     * @return the code, or empty when the failure is not an error response (a state mismatch, a missing code)
     */
    public Optional<String> errorCode() {
        return Optional.ofNullable(errorCode);
    }

    /**
     * Returns the {@code error_description} the authorization server sent back, capped and cleaned.
     *
     * @return the description, or empty when there was none
     */
    public Optional<String> errorDescription() {
        return Optional.ofNullable(errorDescription);
    }

    private static String message(URI endpoint, String code, String description, String detail) {
        StringBuilder m = new StringBuilder("Authorization at ").append(endpoint).append(" failed");
        if (code != null) {
            m.append(": error ").append(code);
        }
        if (description != null) {
            m.append(" (").append(description).append(')');
        }
        return m.append(": ").append(detail).toString();
    }
}
