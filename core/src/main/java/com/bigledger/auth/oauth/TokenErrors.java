package com.bigledger.auth.oauth;

import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.internal.HttpExchange;
import com.bigledger.auth.internal.ServerText;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a token endpoint's error response into the exception it calls for (see {@link OAuthClient} for the
 * policy), and reads {@code Retry-After}. Stateless and thread-safe.
 */
final class TokenErrors {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthClient.class);

    private TokenErrors() {
    }

    static TokenRefreshException of(TokenEndpoint client, TokenRequest r, HttpExchange response) {
        int status = response.status();
        if (HttpExchange.isRedirect(status)) {
            return new TokenRefreshException(client.tokenEndpoint, status, null, null, null,
                    "the token endpoint answered with a redirect, which is never followed for a token request; "
                            + "configure the final token endpoint URL", null, false);
        }
        TokenBodies.ErrorBody error = response.tooLarge() ? TokenBodies.ErrorBody.NONE
                : TokenBodies.parseError(response.bytes());
        String[] shown = ServerText.redact(new String[] {error.code, error.description}, r.secrets);
        String code = shown[0];
        String description = shown[1];
        String lowerCode = code == null ? "" : code.toLowerCase(Locale.ROOT);
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(
                response.headers().firstValue("Retry-After").orElse(null), client.clock, client.maxRetryAfter) : null;

        if (HttpExchange.retryableStatus(status)
                || lowerCode.equals("temporarily_unavailable") || lowerCode.equals("server_error")) {
            String detail = HttpExchange.transientDetail(status, "the token endpoint is failing or unavailable");
            return new TokenRefreshException(client.tokenEndpoint, status, code, description, retryAfter, detail,
                    null, true);
        }
        switch (lowerCode) {
            case "invalid_grant":
                return new ReauthenticationRequiredException(client.tokenEndpoint, status, code, description,
                        "the " + grantName(r.grantType) + " is invalid, expired, revoked or already used;"
                                + " authorize again");
            case "unauthorized_client":
                return new ReauthenticationRequiredException(client.tokenEndpoint, status, code, description,
                        "client " + client.clientId + " is not allowed to use the " + r.grantType + " grant");
            case "invalid_client":
            case "unauthorized":
                return new ReauthenticationRequiredException(client.tokenEndpoint, status, code, description,
                        clientRefused(client));
            default:
                break;
        }
        if (status == 401) {
            return new ReauthenticationRequiredException(client.tokenEndpoint, status, code, description,
                    clientRefused(client));
        }
        return new TokenRefreshException(client.tokenEndpoint, status, code, description, null,
                "the token endpoint rejected the request", null, false);
    }

    private static String clientRefused(TokenEndpoint client) {
        return "the authentication of client " + client.clientId + " (" + client.clientAuthentication
                + ") was refused; check the client id, secret and authentication method";
    }

    private static String grantName(String grantType) {
        switch (grantType) {
            case "refresh_token":
                return "refresh token";
            case "authorization_code":
                return "authorization code (or its PKCE verifier or redirect URI)";
            default:
                return grantType + " grant";
        }
    }

    /**
     * Reads a {@code Retry-After} value (RFC 9110 §10.2.3): a number of seconds, or an HTTP date.
     *
     * <p>A wait longer than {@code max} is ignored (logged at debug): one answer with a huge value, or a date
     * centuries ahead, would otherwise stall every refresh, or overflow where the retry is scheduled.
     *
     * @return the wait, zero for a date in the past, or {@code null} when the value is absent, unreadable or longer
     *     than {@code max}
     */
    static Duration retryAfter(String value, Clock clock, Duration max) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        Duration wait;
        if (!v.isEmpty() && v.length() <= 10 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            wait = Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                wait = Duration.between(clock.instant(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException | ArithmeticException e) {
                return null;
            }
        }
        if (wait.compareTo(max) > 0) {
            LOG.debug("Retry-After of {} s is longer than the cap of {} s: ignored", wait.toSeconds(),
                    max.toSeconds());
            return null;
        }
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
