package com.bigledger.auth.bigledger;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Turns a BigLedger error response into the typed exception its envelope code names. Stateless and thread-safe.
 */
final class ApiErrors {

    private static final String REDACTED = "[redacted]";

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
        String code = envelope == null ? null : redact(envelope.code(), sent);
        String message = envelope == null ? null : redact(envelope.message(), sent);
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
        boolean retryable = status >= 500 || status == 429 || status == 408;
        String detail = status == 429 ? "too many requests"
                : status == 408 ? "the server timed out waiting for the request"
                : status >= 500 ? "the BigLedger API is failing or unavailable"
                : status >= 300 && status < 400 ? "the API answered with a redirect, which is never followed with "
                        + "credentials; check the base URL"
                : "the API refused the request";
        return new BigLedgerApiException(endpoint, status, code, message, detail + notEnvelope, null, retryable);
    }

    private static boolean is(String code, String expected) {
        return code != null && code.equalsIgnoreCase(expected);
    }

    private static String redact(String text, List<String> sent) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : sent) {
            if (!secret.isEmpty()) {
                out = out.replace(secret, REDACTED);
            }
        }
        return out;
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
