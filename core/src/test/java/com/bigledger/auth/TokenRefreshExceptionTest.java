package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.internal.ServerText;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenRefreshExceptionTest {

    private static final URI ENDPOINT = URI.create("https://auth.bigledger.com/oauth/token");

    @Test
    void theMessageNamesEndpointStatusCodeDescriptionAndWait() {
        TokenRefreshException e = new TokenRefreshException(ENDPOINT, 503, "temporarily_unavailable",
                "Maintenance", Duration.ofSeconds(30), "the token endpoint is failing", null, true);

        assertThat(e.getMessage()).isEqualTo("Token request to https://auth.bigledger.com/oauth/token failed: "
                + "HTTP 503, error temporarily_unavailable (Maintenance): the token endpoint is failing; "
                + "retry after 30 s");
        assertThat(e.retryable()).isTrue();
        assertThat(e.httpStatus()).hasValue(503);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(30));
    }

    @Test
    void withoutAResponseThereIsNoStatus() {
        TokenRefreshException e = new TokenRefreshException(ENDPOINT, "I/O error", null, true);

        assertThat(e.getMessage()).isEqualTo("Token request to " + ENDPOINT + " failed: I/O error");
        assertThat(e.httpStatus()).isEmpty();
        assertThat(e.errorCode()).isEmpty();
        assertThat(e.errorDescription()).isEmpty();
        assertThat(e.retryAfter()).isEmpty();
    }

    @Test
    void theEndpointLosesUserInfoQueryAndFragment() {
        TokenRefreshException e = new TokenRefreshException(
                URI.create("https://user:pw@auth.example:8443/t?key=k1#f"), "x", null, false);

        assertThat(e.endpoint()).isEqualTo(URI.create("https://auth.example:8443/t"));
        assertThat(e.getMessage()).doesNotContain("pw", "k1", "#f");
    }

    @Test
    void serverTextIsCleanedTheSameInMessageAndAccessors() {
        String description = "line one\nline two\u0000\u200Bend\uD83D\uDE00";
        TokenRefreshException e = new TokenRefreshException(ENDPOINT, 400, " invalid_request\r\n", description,
                null, "rejected", null, false);

        assertThat(e.errorCode()).hasValue("invalid_request");
        assertThat(e.errorDescription()).hasValue("line one line two end\uD83D\uDE00");
        assertThat(e.getMessage()).contains("error invalid_request (line one line two end\uD83D\uDE00)");
    }

    @Test
    void longTextIsCappedWithoutSplittingACharacter() {
        String description = "a".repeat(ServerText.MAX_DESCRIPTION - 1) + "\uD83D\uDE00" + "tail";
        TokenRefreshException e = new TokenRefreshException(ENDPOINT, 400, "c".repeat(100), description, null,
                "rejected", null, false);

        assertThat(e.errorDescription().orElseThrow())
                .isEqualTo("a".repeat(ServerText.MAX_DESCRIPTION - 1) + "…");
        assertThat(e.errorCode().orElseThrow()).hasSize(ServerText.MAX_CODE + 1).endsWith("…");
    }

    @Test
    void blankServerTextCountsAsAbsent() {
        TokenRefreshException e = new TokenRefreshException(ENDPOINT, 400, " ", "\r\n", null, "rejected", null,
                false);

        assertThat(e.errorCode()).isEmpty();
        assertThat(e.errorDescription()).isEmpty();
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> new TokenRefreshException(ENDPOINT, 99, null, null, null, "x", null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenRefreshException(ENDPOINT, 400, null, null, Duration.ofSeconds(-1), "x",
                null, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenRefreshException(null, "x", null, true))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new InvalidTokenResponseException(ENDPOINT, -1, "x", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reauthenticationIsNeverRetryable() {
        ReauthenticationRequiredException refused = new ReauthenticationRequiredException(ENDPOINT, 400,
                "invalid_grant", null, "authorize again");
        ReauthenticationRequiredException missing = new ReauthenticationRequiredException(ENDPOINT,
                "no refresh token is stored", null);

        assertThat(refused.retryable()).isFalse();
        assertThat(missing.retryable()).isFalse();
        assertThat(missing.httpStatus()).isEmpty();
    }

    @Test
    void anInvalidResponseIsRetryableAndKeepsTheRefreshTokenOutOfItsMessage() {
        Secret refreshToken = Secret.of("blg_oauth_rt_" + Long.toHexString(System.nanoTime()));
        InvalidTokenResponseException e = new InvalidTokenResponseException(ENDPOINT, 200, "expires_in is 0",
                refreshToken);

        assertThat(e.retryable()).isTrue();
        assertThat(e.receivedRefreshToken()).containsSame(refreshToken);
        assertThat(e.toString()).doesNotContain(refreshToken.reveal());
    }
}
