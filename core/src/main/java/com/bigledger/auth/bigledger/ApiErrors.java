package com.bigledger.auth.bigledger;

import com.bigledger.auth.internal.HttpExchange;
import com.bigledger.auth.internal.ServerText;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Turns a BigLedger error response into the typed exception its envelope code names. Stateless and thread-safe.
 */
final class ApiErrors {

    private ApiErrors() {
    }

    /**
     * Makes the exception for an error response.
     *
     * @param endpoint the URL called
     * @param status the HTTP status, not 2xx
     * @param contentType the response's {@code Content-Type}, or {@code null}
     * @param body the body, empty when it was too large
     * @param tooLarge whether the body was abandoned for its size
     * @param sent the credentials the request carried, to take out of the server's message
     */
    static BigLedgerApiException of(URI endpoint, int status, String contentType, byte[] body, boolean tooLarge,
            List<String> sent) {
        ApiBodies.Envelope envelope = tooLarge || body.length == 0 ? null : ApiBodies.parseError(body);
        String[] shown = envelope == null ? new String[2]
                : ServerText.redact(new String[] {envelope.code(), envelope.message()}, sent);
        String code = shown[0];
        String message = shown[1];
        String notEnvelope = envelope == null ? "; the response is not the BigLedger error envelope ("
                + describe(contentType, body.length, tooLarge) + ", not shown)" : "";

        if (is(code, UnauthorizedException.CODE) || (code == null && status == 401)) {
            return new UnauthorizedException(endpoint, status, code, message, "the API key or access token was "
                    + "refused: check that it is correct and has not expired or been revoked" + notEnvelope);
        }
        if (is(code, ForbiddenException.CODE) || (code == null && status == 403)) {
            return new ForbiddenException(endpoint, status, code, message, ForbiddenException.ADVICE + notEnvelope);
        }
        // Like 401 and 403, a 422 without the envelope is still the document's status for a company problem.
        if (is(code, InvalidCompanyException.CODE)
                || (code == null && status == InvalidCompanyException.HTTP_STATUS)) {
            return new InvalidCompanyException(endpoint, status, code, message, "the company id is missing, "
                    + "invalid or not accessible with these credentials: send X-Company-Id with the id from the "
                    + "dashboard (Settings > Company Profile)" + notEnvelope);
        }
        boolean retryable = HttpExchange.retryableStatus(status);
        String detail = retryable ? HttpExchange.transientDetail(status, "the BigLedger API is failing or unavailable")
                : HttpExchange.isRedirect(status) ? "the API answered with a redirect, which is never followed with "
                        + "credentials; check the base URL"
                : "the API refused the request";
        return new BigLedgerApiException(endpoint, status, code, message, detail + notEnvelope, null, retryable);
    }

    private static boolean is(String code, String expected) {
        return code != null && code.equalsIgnoreCase(expected);
    }

    /** Describes a body without quoting it: its media type, when that is a plain token, and its size. */
    private static String describe(String contentType, int length, boolean tooLarge) {
        String size = tooLarge ? "too large to read" : length == 0 ? "empty" : length + " bytes";
        if (contentType == null) {
            return "no content type, " + size;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean plain = !media.isEmpty() && media.length() <= 64 && media.chars().allMatch(c -> (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9') || c == '/' || c == '.' || c == '+' || c == '-');
        return (plain ? media : "an unusual content type") + ", " + size;
    }
}
