package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.AuthorizationException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthorizationResponseTest {

    private static final URI AUTHORIZE = URI.create("https://auth.bigledger.com/oauth/authorize");
    private static final String CALLBACK = "https://yourapp.example/callback";

    private AuthorizationRequest request;
    private String code;

    @BeforeEach
    void setUp() {
        request = AuthorizationRequest.builder().authorizationEndpoint(AUTHORIZE).clientId("c")
                .redirectUri(URI.create(CALLBACK)).build();
        code = FakeSecrets.code();
    }

    private static URI callback(String query) {
        return URI.create(CALLBACK + "?" + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private AuthorizationException fails(URI callback) {
        AuthorizationException e = catchThrowableOfType(AuthorizationException.class,
                () -> AuthorizationResponse.parse(callback, request));
        assertThat(e.retryable()).isFalse();
        assertThat(e.endpoint()).isEqualTo(AUTHORIZE);
        FakeSecrets.assertLeaksNothing(e, code, request.state(), request.pkce().verifier().reveal());
        return e;
    }

    @Test
    void aMatchingCallbackGivesTheCode() {
        AuthorizationResponse response = AuthorizationResponse.parse(
                callback("code=" + enc(code) + "&state=" + enc(request.state())), request);

        assertThat(response.code()).isEqualTo(code);
        assertThat(response.issuer()).isEmpty();
        assertThat(response.toString()).doesNotContain(code);
    }

    @Test
    void theIssuerIsReadWhenPresent() {
        AuthorizationResponse response = AuthorizationResponse.parse(callback("state=" + request.state() + "&code="
                + code + "&iss=" + enc("https://auth.bigledger.com")), request);

        assertThat(response.issuer()).hasValue("https://auth.bigledger.com");
    }

    @Test
    void aMissingStateIsRefused() {
        AuthorizationException e = fails(callback("code=" + code));

        assertThat(e.getMessage()).contains("no state");
        assertThat(e.errorCode()).isEmpty();
    }

    @Test
    void aCallbackWithoutAQueryIsRefused() {
        assertThat(fails(URI.create(CALLBACK)).getMessage()).contains("no state");
    }

    @Test
    void aMismatchedStateIsRefused() {
        AuthorizationRequest other = AuthorizationRequest.builder().authorizationEndpoint(AUTHORIZE).clientId("c")
                .redirectUri(URI.create(CALLBACK)).build();

        AuthorizationException e = fails(callback("code=" + code + "&state=" + other.state()));

        assertThat(e.getMessage()).contains("does not match");
        FakeSecrets.assertLeaksNothing(e, other.state());
    }

    @Test
    void aStatePrefixDoesNotMatch() {
        String prefix = request.state().substring(0, 20);

        assertThat(fails(callback("code=" + code + "&state=" + prefix)).getMessage()).contains("does not match");
    }

    @Test
    void anErrorResponseIsATypedErrorWithItsDescription() {
        AuthorizationException e = fails(callback("error=access_denied&error_description="
                + enc("The user said no\r\n") + "&state=" + request.state()));

        assertThat(e.errorCode()).hasValue("access_denied");
        assertThat(e.errorDescription()).hasValue("The user said no");
        assertThat(e.getMessage()).contains(AUTHORIZE.toString(), "error access_denied", "(The user said no)",
                "denied");
    }

    @Test
    void anErrorWithTheWrongStateIsReportedAsAStateMismatch() {
        AuthorizationException e = fails(callback("error=server_error&state=forged"));

        assertThat(e.errorCode()).isEmpty();
        assertThat(e.getMessage()).contains("does not match");
    }

    @Test
    void aMissingOrEmptyCodeIsRefused() {
        assertThat(fails(callback("state=" + request.state())).getMessage()).contains("no code");
        assertThat(fails(callback("state=" + request.state() + "&code=")).getMessage()).contains("no code");
    }

    @Test
    void aRepeatedParameterIsRefused() {
        AuthorizationException e = fails(callback("code=" + code + "&state=" + request.state() + "&code="
                + FakeSecrets.code()));

        assertThat(e.getMessage()).contains("repeats the code parameter");
    }
}
