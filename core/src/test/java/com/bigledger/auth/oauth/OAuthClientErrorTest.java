package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How error responses map to typed, retryable or permanent, exceptions that leak nothing. */
class OAuthClientErrorTest {

    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private FakeTokenEndpoint endpoint;
    private OAuthClient client;
    private String clientSecret;
    private String refreshToken;

    @BeforeEach
    void start() {
        endpoint = FakeTokenEndpoint.start();
        clientSecret = FakeSecrets.clientSecret();
        refreshToken = FakeSecrets.refreshToken();
        client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").clientSecret(Secret.of(clientSecret))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private TokenRefreshException refreshFails() {
        return catchThrowableOfType(TokenRefreshException.class,
                () -> client.refresh(Secret.of(refreshToken), Set.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "400, invalid_grant",
        "401, invalid_client",
        "400, invalid_client",
        "400, unauthorized_client",
        "400, INVALID_GRANT"})
    void aRefusedGrantOrClientRequiresReauthentication(int status, String error) {
        endpoint.enqueue(Response.oauthError(status, error, "Refused by policy"));

        TokenRefreshException e = refreshFails();

        assertThat(e).isInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).hasValue(status);
        assertThat(e.errorCode()).hasValue(error);
        assertThat(e.errorDescription()).hasValue("Refused by policy");
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.getMessage()).contains(endpoint.uri().toString(), "HTTP " + status, "error " + error,
                "(Refused by policy)");
        FakeSecrets.assertLeaksNothing(e, clientSecret, refreshToken);
    }

    @Test
    void theBigLedgerUnauthorizedEnvelopeRequiresReauthentication() {
        endpoint.enqueue(Response.envelopeError(401, "UNAUTHORIZED", "Invalid or missing API key"));

        TokenRefreshException e = refreshFails();

        assertThat(e).isInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.errorCode()).hasValue("UNAUTHORIZED");
        assertThat(e.errorDescription()).hasValue("Invalid or missing API key");
        assertThat(e.getMessage()).contains("HTTP 401", "error UNAUTHORIZED", "(Invalid or missing API key)");
    }

    @Test
    void aBare401RequiresReauthentication() {
        endpoint.enqueue(Response.status(401).header("WWW-Authenticate", "Basic realm=\"token\""));

        TokenRefreshException e = refreshFails();

        assertThat(e).isInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.errorCode()).isEmpty();
        assertThat(e.getMessage()).contains("client tm-client", "CLIENT_SECRET_BASIC");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "400, invalid_scope",
        "400, invalid_request",
        "400, unsupported_grant_type",
        "403, access_denied"})
    void otherOAuthErrorsAreNotRetryable(int status, String error) {
        endpoint.enqueue(Response.oauthError(status, error, null));

        TokenRefreshException e = refreshFails();

        assertThat(e).isNotInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).hasValue(status);
        assertThat(e.errorCode()).hasValue(error);
        assertThat(e.errorDescription()).isEmpty();
        assertThat(e.getMessage()).contains("rejected the request");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "403, FORBIDDEN, Insufficient permissions for this resource",
        "422, INVALID_COMPANY, Company ID is required or invalid"})
    void otherBigLedgerEnvelopesAreNotRetryable(int status, String code, String message) {
        endpoint.enqueue(Response.envelopeError(status, code, message));

        TokenRefreshException e = refreshFails();

        assertThat(e).isNotInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.errorCode()).hasValue(code);
        assertThat(e.errorDescription()).hasValue(message);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504, 429, 408})
    void serverErrorsThrottlingAndServerTimeoutsAreRetryable(int status) {
        endpoint.enqueue(Response.body(status, "text/html", "<html><body>Bad Gateway</body></html>"));

        TokenRefreshException e = refreshFails();

        assertThat(e).isNotInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(status);
        assertThat(e.errorCode()).isEmpty();
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.getMessage()).contains("HTTP " + status);
    }

    @Test
    void aServerErrorStaysRetryableWhateverItsBodySays() {
        endpoint.enqueue(Response.oauthError(500, "invalid_grant", "database down"));

        TokenRefreshException e = refreshFails();

        assertThat(e).isNotInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.retryable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"temporarily_unavailable", "server_error"})
    void temporaryErrorCodesAreRetryableUnderA4xx(String error) {
        endpoint.enqueue(Response.oauthError(400, error, null));

        assertThat(refreshFails().retryable()).isTrue();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 503})
    void retryAfterInSecondsIsRead(int status) {
        endpoint.enqueue(Response.oauthError(status, "slow_down", null).header("Retry-After", "45"));

        TokenRefreshException e = refreshFails();

        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(45));
        assertThat(e.getMessage()).contains("retry after 45 s");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {429, 503})
    void retryAfterAsAnHttpDateIsReadAgainstTheClock(int status) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(NOW.plusSeconds(50), ZoneOffset.UTC));
        endpoint.enqueue(Response.status(status).header("Retry-After", date));

        assertThat(refreshFails().retryAfter()).hasValue(Duration.ofSeconds(50));
    }

    @Test
    void retryAfterIsReadOnlyOn429And503() {
        endpoint.enqueue(Response.status(500).header("Retry-After", "30"));

        assertThat(refreshFails().retryAfter()).isEmpty();
    }

    @Test
    void retryAfterValuesAreParsedStrictly() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        Duration day = Duration.ofDays(1);
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(NOW.minusSeconds(5), ZoneOffset.UTC));

        assertThat(OAuthClient.retryAfter(" 5 ", clock, day)).isEqualTo(Duration.ofSeconds(5));
        assertThat(OAuthClient.retryAfter("0", clock, day)).isEqualTo(Duration.ZERO);
        assertThat(OAuthClient.retryAfter("Sun, 01 Jun 2025 12:01:00 GMT", clock, day)).isEqualTo(Duration.ofMinutes(1));
        assertThat(OAuthClient.retryAfter(past, clock, day)).isEqualTo(Duration.ZERO);
        assertThat(OAuthClient.retryAfter("-5", clock, day)).isNull();
        assertThat(OAuthClient.retryAfter("1.5", clock, day)).isNull();
        assertThat(OAuthClient.retryAfter("99999999999999999999", clock, day)).isNull();
        assertThat(OAuthClient.retryAfter("soon", clock, day)).isNull();
        assertThat(OAuthClient.retryAfter("", clock, day)).isNull();
        assertThat(OAuthClient.retryAfter(null, clock, day)).isNull();
        assertThat(OAuthClient.retryAfter("86401", clock, day)).isNull();
        assertThat(OAuthClient.retryAfter("Sat, 01 Jan 2300 00:00:00 GMT", clock, day)).isNull();
    }

    @Test
    void aRedirectIsNeverFollowed() {
        URI elsewhere = endpoint.baseUri().resolve("/elsewhere/token");
        endpoint.enqueue(Response.status(307).header("Location", elsewhere.toString()));

        TokenRefreshException e = refreshFails();

        assertThat(e.retryable()).isFalse();
        assertThat(e.httpStatus()).hasValue(307);
        assertThat(e.getMessage()).contains("redirect");
        assertThat(endpoint.requests()).hasSize(1);
    }

    @Test
    void aDescriptionThatEchoesASecretIsRedacted() {
        endpoint.enqueue(Response.oauthError(400, "invalid_grant",
                "Refresh token " + refreshToken + " is unknown for client secret " + clientSecret));

        TokenRefreshException e = refreshFails();

        assertThat(e.errorDescription()).hasValue(
                "Refresh token [redacted] is unknown for client secret [redacted]");
        FakeSecrets.assertLeaksNothing(e, clientSecret, refreshToken);
    }

    @Test
    void aDescriptionIsCappedAndStrippedOfControlCharacters() {
        String forged = "bad\r\n2025-01-01 INFO forged log line\u202Egnp.exe\u0007 " + "z".repeat(1000);
        endpoint.enqueue(Response.oauthError(400, "invalid_request", forged));

        TokenRefreshException e = refreshFails();

        String description = e.errorDescription().orElseThrow();
        assertThat(description).startsWith("bad 2025-01-01 INFO forged log line gnp.exe z");
        assertThat(description).hasSizeLessThanOrEqualTo(257).endsWith("…");
        assertThat(e.getMessage()).doesNotContain("\n", "\r", "\u202E", "\u0007");
    }

    @Test
    void anOversizedErrorBodyStillGivesTheStatus() {
        OAuthClient capped = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").clientSecret(Secret.of(clientSecret)).maxResponseBytes(256).build();
        endpoint.enqueue(Response.oauthError(503, "temporarily_unavailable", "x".repeat(1000))
                .header("Retry-After", "7"));

        TokenRefreshException e = catchThrowableOfType(TokenRefreshException.class,
                () -> capped.refresh(Secret.of(refreshToken), Set.of()));

        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(503);
        assertThat(e.errorCode()).isEmpty();
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(7));
    }

    @Test
    void aBrokenErrorBodyStillGivesTheStatus() {
        endpoint.enqueue(Response.json(400, "{\"error\":\"invalid_grant\",\"error_description\":"));

        TokenRefreshException e = refreshFails();

        // What was read before the break is kept.
        assertThat(e).isInstanceOf(ReauthenticationRequiredException.class);
        assertThat(e.errorCode()).hasValue("invalid_grant");
    }

    @Test
    void theEndpointIsShownWithoutItsQuery() {
        String key = FakeSecrets.random();
        OAuthClient withQuery = OAuthClient.builder().tokenEndpoint(URI.create(endpoint.uri() + "?code=" + key))
                .allowInsecureLoopback(true).clientId("tm-client").clientSecret(Secret.of(clientSecret)).build();
        endpoint.enqueue(Response.oauthError(400, "invalid_grant", null));

        TokenRefreshException e = catchThrowableOfType(TokenRefreshException.class,
                () -> withQuery.refresh(Secret.of(refreshToken), Set.of()));

        assertThat(e.endpoint()).isEqualTo(endpoint.uri());
        assertThat(e.getMessage()).contains(endpoint.uri().toString());
        FakeSecrets.assertLeaksNothing(e, key);
        assertThat(withQuery.toString()).doesNotContain(key);
    }

    @Test
    void aCodeExchangeRefusalSaysWhatWasRefused() {
        String code = FakeSecrets.code();
        Pkce pkce = Pkce.create();
        endpoint.enqueue(Response.oauthError(400, "invalid_grant", "PKCE verification failed"));

        ReauthenticationRequiredException e = catchThrowableOfType(ReauthenticationRequiredException.class,
                () -> client.exchangeCode(code, URI.create("https://app.example/cb"), pkce.verifier()));

        assertThat(e.getMessage()).contains("authorization code");
        FakeSecrets.assertLeaksNothing(e, code, pkce.verifier().reveal(), clientSecret);
    }
}
