package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.InvalidTokenResponseException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How success responses are read, and how every broken one is refused without leaking its tokens. */
class OAuthClientResponseTest {

    private static final String AT = "@AT@";
    private static final String RT = "@RT@";

    private FakeTokenEndpoint endpoint;
    private OAuthClient client;
    private String accessToken;
    private String refreshToken;

    @BeforeEach
    void start() {
        endpoint = FakeTokenEndpoint.start();
        client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").clientSecret(Secret.of(FakeSecrets.clientSecret())).build();
        accessToken = FakeSecrets.accessToken();
        refreshToken = FakeSecrets.refreshToken();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private String fill(String template) {
        return template.replace(AT, accessToken).replace(RT, refreshToken);
    }

    @Test
    void theBigLedgerExampleResponseIsRead() {
        endpoint.enqueue(Response.json(200, fill("{\"access_token\":\"@AT@\",\"refresh_token\":\"@RT@\","
                + "\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"read:accounts write:invoices\"}")));

        TokenResponse token = client.refresh(Secret.of(FakeSecrets.refreshToken()), Set.of());

        assertThat(token.accessToken()).isEqualTo(Secret.of(accessToken));
        assertThat(token.refreshToken()).hasValue(Secret.of(refreshToken));
        assertThat(token.tokenType()).isEqualTo("Bearer");
        assertThat(token.expiresIn()).isEqualTo(Duration.ofHours(1));
        assertThat(token.scopes()).containsExactlyInAnyOrder("read:accounts", "write:invoices");
        assertThat(token.refreshIn()).isEmpty();
    }

    @Test
    void toStringShowsNoToken() {
        endpoint.enqueue(Response.token(accessToken, 3600, refreshToken));

        TokenResponse token = client.clientCredentials(Set.of("api.read"));

        assertThat(token.toString())
                .doesNotContain(accessToken.substring("blg_oauth_at_".length()))
                .doesNotContain(refreshToken.substring("blg_oauth_rt_".length()))
                .contains("blg_oauth_at_", "PT1H", "api.read");
    }

    @Test
    void aResponseWithoutScopeGrantsTheRequestedScopes() {
        endpoint.enqueue(Response.token(accessToken, 3600));

        TokenResponse token = client.clientCredentials(Set.of("read:accounts", "read:reports"));

        assertThat(token.scopes()).containsExactly("read:accounts", "read:reports");
        assertThat(token.refreshToken()).isEmpty();
    }

    @Test
    void refreshInIsReadWhenTheServerSendsIt() {
        endpoint.enqueue(Response.json(200, fill(
                "{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_in\":2400}")));

        TokenResponse token = client.clientCredentials(Set.of());

        assertThat(token.refreshIn()).hasValue(Duration.ofMinutes(40));
    }

    @Test
    void anUnusableRefreshInIsIgnored() {
        endpoint.enqueue(
                Response.json(200, fill("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                        + "\"refresh_in\":60}")),
                Response.json(200, fill("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                        + "\"refresh_in\":-1}")),
                Response.json(200, fill("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":60,"
                        + "\"refresh_in\":\"soon\"}")));

        for (int i = 0; i < 3; i++) {
            TokenResponse token = client.clientCredentials(Set.of());
            assertThat(token.expiresIn()).isEqualTo(Duration.ofMinutes(1));
            assertThat(token.refreshIn()).isEmpty();
        }
    }

    @Test
    void lenientButUnambiguousFormsAreAccepted() {
        // Lower-case type, a quoted number, a scope list, nulls, a BOM, unknown fields of every shape.
        endpoint.enqueue(Response.json(200, "\uFEFF" + fill("{\"id_token\":{\"nested\":[1,{\"a\":null}]},"
                + "\"access_token\":\"@AT@\",\"token_type\":\"bearer\",\"expires_in\":\"7200\","
                + "\"refresh_token\":null,\"scope\":[\"a\",\"b\"],\"ext\":[true,false]}")));

        TokenResponse token = client.clientCredentials(Set.of("x"));

        assertThat(token.accessToken()).isEqualTo(Secret.of(accessToken));
        assertThat(token.tokenType()).isEqualTo("Bearer");
        assertThat(token.expiresIn()).isEqualTo(Duration.ofHours(2));
        assertThat(token.refreshToken()).isEmpty();
        assertThat(token.scopes()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aLargeJwtWithinTheCapIsAccepted() {
        String jwt = "eyJ" + "x".repeat(20_000);
        endpoint.enqueue(Response.token(jwt, 300));

        assertThat(client.clientCredentials(Set.of()).accessToken()).isEqualTo(Secret.of(jwt));
    }

    static Stream<Arguments> brokenResponses() {
        return Stream.of(
                Arguments.of("missing access_token",
                        json("{\"refresh_token\":\"@RT@\",\"token_type\":\"Bearer\",\"expires_in\":3600}"),
                        "no access_token"),
                Arguments.of("null access_token",
                        json("{\"access_token\":null,\"token_type\":\"Bearer\",\"expires_in\":3600}"),
                        "no access_token"),
                Arguments.of("numeric access_token",
                        json("{\"access_token\":12345,\"token_type\":\"Bearer\",\"expires_in\":3600}"),
                        "access_token is not a string"),
                Arguments.of("empty access_token",
                        json("{\"access_token\":\"\",\"token_type\":\"Bearer\",\"expires_in\":3600}"),
                        "access_token is empty"),
                Arguments.of("access_token with a line break",
                        json("{\"access_token\":\"@AT@\\r\\nX-Evil: 1\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":3600}"),
                        "cannot go in a header"),
                Arguments.of("access_token with a space",
                        json("{\"access_token\":\"@AT@ more\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":3600}"),
                        "cannot go in a header"),
                Arguments.of("missing token_type",
                        json("{\"access_token\":\"@AT@\",\"expires_in\":3600}"), "no token_type"),
                Arguments.of("mac token_type",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"mac\",\"expires_in\":3600}"),
                        "token_type is \"mac\", not Bearer"),
                Arguments.of("token put in token_type",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"@AT@\",\"expires_in\":3600}"),
                        "token_type is an unsupported value"),
                Arguments.of("missing expires_in",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\"}"), "no expires_in"),
                Arguments.of("zero expires_in",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":0}"),
                        "expires_in is 0"),
                Arguments.of("negative expires_in",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":-60}"),
                        "expires_in is -60"),
                Arguments.of("non-numeric expires_in",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":\"@RT@\"}"),
                        "expires_in is not a number"),
                Arguments.of("fractional expires_in",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":3600.5}"),
                        "not a whole number"),
                Arguments.of("expires_in as an object",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":{\"s\":1}}"),
                        "expires_in is not a number"),
                Arguments.of("expires_in in milliseconds",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":3600000000}"),
                        "more than a year"),
                Arguments.of("expires_in beyond a long",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\","
                                + "\"expires_in\":99999999999999999999999}"),
                        "absurdly large"),
                Arguments.of("an HTML page",
                        body("text/html", "<!DOCTYPE html><html><body>Sign in @AT@</body></html>"),
                        "HTML page"),
                Arguments.of("JSON labelled as HTML",
                        body("text/html; charset=utf-8", "{\"access_token\":\"@AT@\"}"), "HTML page"),
                Arguments.of("truncated JSON",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":36"),
                        "truncated"),
                Arguments.of("truncated inside a string",
                        json("{\"access_token\":\"@AT@"), "truncated"),
                Arguments.of("invalid JSON",
                        json("{\"access_token\":@AT@,\"token_type\":\"Bearer\"}"), "not valid JSON"),
                Arguments.of("a JSON array",
                        json("[{\"access_token\":\"@AT@\"}]"), "not a JSON object"),
                Arguments.of("plain text",
                        body("text/plain", "access_token=@AT@&expires_in=3600"), "not valid JSON"),
                Arguments.of("an empty body", empty(), "empty"),
                Arguments.of("content after the object",
                        json("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\",\"expires_in\":1}"
                                + "{\"x\":1}"),
                        "content after"),
                Arguments.of("a repeated access_token",
                        json("{\"access_token\":\"@AT@\",\"access_token\":\"@RT@\","
                                + "\"token_type\":\"Bearer\",\"expires_in\":3600}"),
                        "not valid JSON"),
                Arguments.of("a refresh_token with a control character",
                        json("{\"access_token\":\"@AT@\",\"refresh_token\":\"@RT@\\u0000\","
                                + "\"token_type\":\"Bearer\",\"expires_in\":3600}"),
                        "refresh_token is empty or holds control"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenResponses")
    void aBrokenSuccessResponseIsARetryableTypedErrorThatQuotesNothing(String name, String[] body,
            String expected) {
        endpoint.enqueue(body[1] == null ? Response.status(200) : Response.body(200, body[0], fill(body[1])));

        InvalidTokenResponseException e = catchThrowableOfType(InvalidTokenResponseException.class,
                () -> client.clientCredentials(Set.of()));

        assertThat(e.getMessage()).contains(expected).contains(endpoint.uri().toString()).contains("HTTP 200");
        assertThat(e.httpStatus()).hasValue(200);
        assertThat(e.endpoint()).isEqualTo(endpoint.uri());
        assertThat(e.retryable()).isTrue();
        assertThat(e.getCause()).isNull();
        FakeSecrets.assertLeaksNothing(e, accessToken, refreshToken);
    }

    @Test
    void anOversizedBodyIsAbandonedAtTheCap() {
        OAuthClient capped = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").clientSecret(Secret.of(FakeSecrets.clientSecret())).maxResponseBytes(1024)
                .build();
        String padding = "x".repeat(4096);
        endpoint.enqueue(Response.json(200, fill("{\"access_token\":\"@AT@\",\"token_type\":\"Bearer\","
                + "\"expires_in\":3600,\"pad\":\"" + padding + "\"}")));

        InvalidTokenResponseException e = catchThrowableOfType(InvalidTokenResponseException.class,
                () -> capped.clientCredentials(Set.of()));

        assertThat(e.getMessage()).contains("larger than 1024 bytes").contains("HTTP 200");
        assertThat(e.retryable()).isTrue();
        FakeSecrets.assertLeaksNothing(e, accessToken);
    }

    @Test
    void anOversizedBodyWithoutContentLengthIsAbandonedAtTheCap() {
        OAuthClient capped = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").clientSecret(Secret.of(FakeSecrets.clientSecret())).maxResponseBytes(1024)
                .build();
        // Stalling after 0 bytes makes the fake send the body chunked, so only the bytes tell the size.
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(0);
        endpoint.enqueue(Response.json(200, fill("{\"access_token\":\"@AT@\",\"pad\":\"" + "y".repeat(4096) + "\"}"))
                .stallBodyAfter(0, released));

        InvalidTokenResponseException e = catchThrowableOfType(InvalidTokenResponseException.class,
                () -> capped.clientCredentials(Set.of()));

        assertThat(e.getMessage()).contains("larger than 1024 bytes");
    }

    @Test
    void aRefreshTokenInAnOversizedSuccessBodyIsStillHandedBack() {
        OAuthClient capped = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").clientSecret(Secret.of(FakeSecrets.clientSecret())).maxResponseBytes(1024)
                .build();
        endpoint.enqueue(Response.json(200, fill("{\"access_token\":\"@AT@\",\"refresh_token\":\"@RT@\","
                + "\"token_type\":\"Bearer\",\"expires_in\":3600,\"pad\":\"" + "x".repeat(8192) + "\"}")));

        InvalidTokenResponseException e = catchThrowableOfType(InvalidTokenResponseException.class,
                () -> capped.refresh(Secret.of(FakeSecrets.refreshToken()), Set.of()));

        assertThat(e.getMessage()).contains("larger than 1024 bytes");
        assertThat(e.receivedRefreshToken()).hasValue(Secret.of(refreshToken));
        FakeSecrets.assertLeaksNothing(e, accessToken, refreshToken);
    }

    @Test
    void aSuccessBodyAboveTheHardCapIsAbandonedWithoutARefreshToken() {
        OAuthClient capped = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)
                .clientId("tm-client").clientSecret(Secret.of(FakeSecrets.clientSecret())).maxResponseBytes(1024)
                .build();
        endpoint.enqueue(Response.json(200, fill("{\"refresh_token\":\"@RT@\",\"pad\":\""
                + "x".repeat(OAuthClient.HARD_MAX_SUCCESS_BYTES) + "\"}")));

        InvalidTokenResponseException e = catchThrowableOfType(InvalidTokenResponseException.class,
                () -> capped.refresh(Secret.of(FakeSecrets.refreshToken()), Set.of()));

        assertThat(e.getMessage()).contains("larger than 1024 bytes");
        assertThat(e.receivedRefreshToken()).isEmpty();
    }

    @Test
    void aRefreshTokenInABrokenResponseIsHandedBackSoARotationIsNotLost() {
        endpoint.enqueue(Response.json(200, fill("{\"access_token\":\"@AT@\",\"refresh_token\":\"@RT@\","
                + "\"token_type\":\"Bearer\",\"expires_in\":0}")));

        InvalidTokenResponseException e = catchThrowableOfType(InvalidTokenResponseException.class,
                () -> client.refresh(Secret.of(FakeSecrets.refreshToken()), Set.of()));

        assertThat(e.receivedRefreshToken()).hasValue(Secret.of(refreshToken));
        FakeSecrets.assertLeaksNothing(e, accessToken, refreshToken);
    }

    @Test
    void aRefreshTokenReadBeforeTheBodyBrokeOffIsHandedBack() {
        endpoint.enqueue(Response.json(200, fill("{\"refresh_token\":\"@RT@\",\"access_token\":\"@AT@\",\"tok")));

        InvalidTokenResponseException e = catchThrowableOfType(InvalidTokenResponseException.class,
                () -> client.refresh(Secret.of(FakeSecrets.refreshToken()), Set.of()));

        assertThat(e.getMessage()).contains("truncated");
        assertThat(e.receivedRefreshToken()).hasValue(Secret.of(refreshToken));
    }

    /** A JSON body template, with {@code @AT@} and {@code @RT@} standing for the test's tokens. */
    private static String[] json(String template) {
        return new String[] {"application/json", template};
    }

    private static String[] body(String contentType, String template) {
        return new String[] {contentType, template};
    }

    private static String[] empty() {
        return new String[] {null, null};
    }
}
