package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.AuthorizationException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.testing.Canary;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based tests of the parsers that read what a server, a browser redirect or a configuration hands the
 * library: thousands of generated inputs each, and nothing escapes but the library's typed errors.
 */
class OAuthInputPropertiesTest {

    private static final String SECRET = Canary.value("blg_oauth_at_");
    private static final List<String> TOKEN_JSON = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000",
            "\"access_token\"", "\"token_type\"", "\"Bearer\"", "\"bearer\"", "\"expires_in\"", "\"refresh_token\"",
            "\"scope\"", "\"refresh_in\"", "3600", "-1", "0", "1e309", "9223372036854775808", "null", "true",
            "\"" + SECRET + "\"", "\"a b\"", " ", "\n", "{\"access_token\":\"" + SECRET + "\",",
            "\"token_type\":\"Bearer\",", "\"expires_in\":3600}", "<html>");

    @Property(tries = 3000)
    void tokenSuccessBodiesParseOrFailWithAProblemThatDoesNotQuoteTheToken(
            @ForAll("tokenBodies") String body, @ForAll("contentTypes") String contentType) {
        try {
            TokenResponse response = TokenBodies.parseSuccess("http://127.0.0.1/token",
                    body.getBytes(StandardCharsets.UTF_8), contentType, Set.of("api.read"));
            assertThat(response.accessToken()).isNotNull();
            assertThat(response.expiresIn()).isPositive();
            assertThat(Canary.leaksIn(response.toString())).isFalse();
        } catch (TokenBodies.Problem expected) {
            assertThat(Canary.leaksIn(expected.getMessage())).as("the problem quotes a token").isFalse();
        }
    }

    @Property(tries = 3000)
    void tokenErrorBodiesNeverFail(@ForAll("tokenBodies") String body) {
        assertThat(TokenBodies.parseError(body.getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    @Property(tries = 3000)
    void credentialRefsParseOrFailWithIllegalArgument(@ForAll("refs") String text) {
        try {
            CredentialRef ref = CredentialRef.parse(text);
            // What parses prints back to something that parses to the same reference.
            assertThat(CredentialRef.parse(ref.toString())).isEqualTo(ref);
        } catch (IllegalArgumentException expected) {
            // The text may be a secret pasted in place of its reference: no part of it is quoted.
            assertThat(expected.getMessage()).isNotBlank();
            assertThat(Canary.leaksIn(expected.getMessage())).as("the message quotes the input").isFalse();
            if (text.length() >= 8) {
                assertThat(expected.getMessage()).as("the message quotes the input").doesNotContain(text);
            }
        }
    }

    @Property(tries = 3000)
    void authorizationRedirectsParseOrFailWithAuthorizationException(@ForAll("queries") String query) {
        AuthorizationRequest request = AuthorizationRequest.builder()
                .authorizationEndpoint(URI.create("https://auth.example.com/authorize"))
                .clientId("client")
                .redirectUri(URI.create("http://127.0.0.1:9999/callback"))
                .allowInsecureLoopback(true)
                .build();
        URI callback;
        try {
            callback = new URI("http://127.0.0.1:9999/callback?" + query.replace("STATE", request.state()));
        } catch (URISyntaxException notAUri) {
            return;
        }
        try {
            AuthorizationResponse response = AuthorizationResponse.parse(callback, request);
            assertThat(response.code()).isNotEmpty();
        } catch (AuthorizationException expected) {
            assertThat(expected.retryable()).isFalse();
            assertThat(Canary.leaksIn(expected.getMessage())).as("the message quotes the code").isFalse();
        }
    }

    @Provide
    Arbitrary<String> tokenBodies() {
        return FuzzInputs.hostile("{}[]\":,\\ 0123456789.-+eE\n\t<>", TOKEN_JSON);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return net.jqwik.api.Arbitraries.of("application/json", "application/json;charset=UTF-8", "text/html",
                "text/plain", "", "application/x-www-form-urlencoded");
    }

    @Provide
    Arbitrary<String> refs() {
        return FuzzInputs.hostile(":/?#=&%._-~ \u0000\ud800", List.of("env:", "aws-sm:", "vault:", "secret/",
                "prod/bigledger", "#", "#field", "?", "stage=AWSPREVIOUS", "version=3", "kv=2", "&", "=", "%2F",
                "%", "%zz", ":", "arn:aws:secretsmanager:us-east-1:1:secret:x", "\ud800", "\u0000", " ", "A_B", SECRET,
                SECRET + " ", "stage=" + SECRET, SECRET + "="));
    }

    @Provide
    Arbitrary<String> queries() {
        return FuzzInputs.hostile("=&%#?+ ", List.of("code=", "state=", "STATE", "error=", "access_denied",
                "error_description=", "iss=", "&", "=", "%", "%2", "%20", "%zz", "+", "abc", "code=abc&state=STATE",
                "error=invalid_request&state=STATE", "state=STATE&state=STATE", "code=a&code=b", "code=" + SECRET,
                "code=" + SECRET + "&code=" + SECRET));
    }
}
