package com.bigledger.auth.bigledger;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.internal.ServerText;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A call to the BigLedger API failed: the API answered with an error, or did not answer at all.
 *
 * <p>BigLedger errors come in an envelope, {@code {"success":false,"error":{"code":…,"message":…}}}; the code
 * picks the subtype: {@link UnauthorizedException} ({@code UNAUTHORIZED}, HTTP 401), {@link ForbiddenException}
 * ({@code FORBIDDEN}, HTTP 403), {@link InvalidCompanyException} ({@code INVALID_COMPANY}, HTTP 422), and this
 * class for any other code. A response that is not the envelope (an HTML page from a proxy, say) is still an
 * error of this type, with its status and no code; its body is never shown, since it could echo a credential.
 * An envelope's message is shown, capped, stripped of control characters, and with any credential the request
 * sent taken out.
 *
 * <p>{@link #retryable()} is {@code true} when no response came (I/O errors, timeouts) and for HTTP 408, 429 and
 * 5xx. The message names the endpoint (without its query), the HTTP status and the code, and never a secret.
 * Instances are immutable and thread-safe.
 */
public class BigLedgerApiException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    /** The endpoint, without user info, query or fragment. */
    private final URI endpoint;

    /** The HTTP status, or -1 when no response came. */
    private final int httpStatus;

    /** The envelope's cleaned code, or {@code null}. */
    private final String code;

    /** The envelope's cleaned message, or {@code null}. */
    private final String serverMessage;

    /**
     * Creates an exception.
     *
     * @param endpoint the URL called; its user info, query and fragment are dropped
     * @param httpStatus the HTTP status, or {@code -1} when no response came
     * @param code the envelope's {@code error.code}, or {@code null}; cleaned and capped
     * @param serverMessage the envelope's {@code error.message}, or {@code null}; cleaned and capped, and the
     *     caller must already have removed from it any credential the request sent
     * @param detail what failed and what to do about it, naming no secret
     * @param cause the underlying failure, or {@code null}; its message must not hold a secret either
     * @param retryable whether a later attempt may succeed
     * @throws NullPointerException if {@code endpoint} or {@code detail} is {@code null}
     * @throws IllegalArgumentException if {@code httpStatus} is neither {@code -1} nor in 100–599
     */
    public BigLedgerApiException(URI endpoint, int httpStatus, String code, String serverMessage, String detail,
            Throwable cause, boolean retryable) {
        super(message(ServerText.endpoint(Objects.requireNonNull(endpoint, "endpoint")), ServerText.status(httpStatus),
                ServerText.code(code), ServerText.description(serverMessage),
                Objects.requireNonNull(detail, "detail")), cause, retryable);
        this.endpoint = ServerText.endpoint(endpoint);
        this.httpStatus = httpStatus;
        this.code = ServerText.code(code);
        this.serverMessage = ServerText.description(serverMessage);
    }

    /**
     * Creates the exception of an error response that came: not retryable, without a cause.
     *
     * @throws IllegalArgumentException if {@code httpStatus} is not in 100–599
     */
    BigLedgerApiException(URI endpoint, int httpStatus, String code, String serverMessage, String detail) {
        this(endpoint, ServerText.responseStatus(httpStatus), code, serverMessage, detail, null, false);
    }

    /**
     * Makes the typed exception for an error response, for callers that send their own requests with
     * {@link BigLedgerHttpClient#send} and read the body as bytes. The bearer credential the request carried is
     * taken out of the server's message, should the server have echoed it.
     *
     * @param response a response whose status is not 2xx
     * @return the exception, of the subtype its code names; not thrown
     * @throws NullPointerException if {@code response} is {@code null}
     * @throws IllegalArgumentException if the status is 2xx, which is no error
     */
    public static BigLedgerApiException from(HttpResponse<byte[]> response) {
        Objects.requireNonNull(response, "response");
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            throw new IllegalArgumentException("HTTP " + response.statusCode() + " is a success, not an error");
        }
        List<String> sent = response.request().headers().firstValue("Authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> List.of(value.substring(7).trim()))
                .orElse(List.of());
        byte[] body = response.body() == null ? new byte[0] : response.body();
        return ApiErrors.of(response.uri(), response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), body, false, sent);
    }

    /**
     * Returns the URL that was called, without user info, query or fragment.
     *
     * @return the endpoint
     */
    public URI endpoint() {
        return endpoint;
    }

    /**
     * Returns the HTTP status of the response.
     *
     * @return the status, or empty when no response came
     */
    public OptionalInt httpStatus() {
        return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /**
     * Returns the envelope's error code, such as {@code UNAUTHORIZED}.
     *
     * @return the code, or empty when there was no response or it was not the BigLedger envelope
     */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /**
     * Returns the envelope's error message, such as {@code Invalid or missing API key}, capped and cleaned.
     *
     * @return the message, or empty when the response carried none
     */
    public Optional<String> serverMessage() {
        return Optional.ofNullable(serverMessage);
    }

    private static String message(URI endpoint, int status, String code, String serverMessage, String detail) {
        StringBuilder m = new StringBuilder("BigLedger API request to ").append(endpoint).append(" failed");
        if (status >= 0) {
            m.append(": HTTP ").append(status);
        }
        if (code != null) {
            m.append(status >= 0 ? " " : ": ").append(code);
        }
        if (serverMessage != null) {
            m.append(" (").append(serverMessage).append(')');
        }
        return m.append(": ").append(detail).toString();
    }
}
