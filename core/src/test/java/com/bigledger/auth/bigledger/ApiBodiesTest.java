package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.testing.Canary;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiBodiesTest {

    private static final URI VERIFY = URI.create("https://api.bigledger.com/v1/auth/verify?trace=1");

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static VerifyResult verify(String body) throws ApiBodies.Problem {
        return ApiBodies.parseVerify(utf8(body));
    }

    @Test
    void theDocumentsVerifyResponseIsRead() throws Exception {
        VerifyResult result = verify("{\"success\": true, \"data\": {\"authenticated\": true, \"company\": "
                + "{\"id\": \"company_abc123\", \"name\": \"Acme Corporation\", \"plan\": \"professional\"}, "
                + "\"permissions\": [\"read:accounts\", \"write:invoices\", \"read:customers\"]}}");

        assertThat(result.authenticated()).isTrue();
        assertThat(result.company()).contains(new VerifyResult.Company("company_abc123",
                java.util.Optional.of("Acme Corporation"), java.util.Optional.of("professional")));
        assertThat(result.permissions()).containsExactly("read:accounts", "write:invoices", "read:customers");
        assertThat(result.toString()).contains("company_abc123", "Acme Corporation", "professional");
    }

    @Test
    void unknownFieldsAreSkippedAndAbsentOnesAreEmpty() throws Exception {
        VerifyResult result = verify("{\"data\":{\"extra\":{\"a\":[1,2]},\"authenticated\":false},\"meta\":{}}");

        assertThat(result.authenticated()).isFalse();
        assertThat(result.company()).isEmpty();
        assertThat(result.permissions()).isEmpty();
    }

    @Test
    void serverTextIsStrippedOfControlCharacters() throws Exception {
        VerifyResult result = verify("{\"data\":{\"authenticated\":true,\"company\":{\"id\":\"company_a\","
                + "\"name\":\"Acme\\r\\nFAKE LOG LINE\\u202e\"}}}");

        assertThat(result.company().orElseThrow().name()).contains("Acme FAKE LOG LINE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "{\"success\":true}", "{\"data\":{}}", "{\"data\":{\"authenticated\":\"yes\"}}",
        "{\"success\":false,\"data\":{\"authenticated\":true}}", "{\"data\":{\"authenticated\":true}} {}",
        "{\"data\":{\"authenticated\":true,\"permissions\":[1]}}", "{\"data\":{\"authenticated\":true,"
            + "\"company\":{\"name\":\"x\"}}}", "{\"data\":{\"authenticated\":tru"})
    void otherShapesAreProblems(String body) {
        assertThatThrownBy(() -> verify(body)).isInstanceOf(ApiBodies.Problem.class);
    }

    @Test
    void aProblemNeverQuotesTheBody() {
        String secret = Canary.value("blg_live_sk_");

        assertThatThrownBy(() -> verify("{\"data\":{\"authenticated\":" + secret + "}}"))
                .isInstanceOf(ApiBodies.Problem.class)
                .hasMessageNotContaining(secret)
                .hasNoCause();
    }

    @Test
    void theEnvelopeIsRead() {
        ApiBodies.Envelope envelope = ApiBodies.parseError(utf8("{\"success\":false,\"error\":{\"code\":"
                + "\"INVALID_COMPANY\",\"message\":\"Company ID is required or invalid\"}}"));

        assertThat(envelope).isEqualTo(new ApiBodies.Envelope("INVALID_COMPANY", "Company ID is required or invalid"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<html></html>", "{\"error\":\"invalid_grant\"}", "{\"error\":{\"message\":\"x\"}}",
        "{\"error\":{\"code\":\"\"}}", "null"})
    void otherBodiesAreNotEnvelopes(String body) {
        assertThat(ApiBodies.parseError(utf8(body))).isNull();
    }

    @Test
    void each401403And422CodeHasItsType() {
        assertThat(ApiErrors.of(VERIFY, 401, "application/json", utf8("{\"success\":false,\"error\":{\"code\":"
                + "\"UNAUTHORIZED\",\"message\":\"Invalid or missing API key\"}}"), false, List.of()))
                .isInstanceOf(UnauthorizedException.class);
        assertThat(ApiErrors.of(VERIFY, 403, "application/json", utf8("{\"success\":false,\"error\":{\"code\":"
                + "\"FORBIDDEN\",\"message\":\"Insufficient permissions for this resource\"}}"), false, List.of()))
                .isInstanceOf(ForbiddenException.class);
        assertThat(ApiErrors.of(VERIFY, 422, "application/json", utf8("{\"success\":false,\"error\":{\"code\":"
                + "\"INVALID_COMPANY\",\"message\":\"Company ID is required or invalid\"}}"), false, List.of()))
                .isInstanceOf(InvalidCompanyException.class)
                .hasMessage("BigLedger API request to https://api.bigledger.com/v1/auth/verify failed: HTTP 422 "
                        + "INVALID_COMPANY (Company ID is required or invalid): the company id is missing, invalid "
                        + "or not accessible with these credentials: send X-Company-Id with the id from the "
                        + "dashboard (Settings > Company Profile)");
    }

    @Test
    void a401Or403WithoutTheEnvelopeStillHasItsType() {
        BigLedgerApiException unauthorized = ApiErrors.of(VERIFY, 401, null, new byte[0], false, List.of());
        BigLedgerApiException forbidden = ApiErrors.of(VERIFY, 403, "text/plain", utf8("nope"), false, List.of());

        assertThat(unauthorized).isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("not the BigLedger error envelope (no content type, empty, not shown)");
        assertThat(unauthorized.code()).isEmpty();
        assertThat(forbidden).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("(text/plain, 4 bytes, not shown)");
    }

    @Test
    void anUnusualContentTypeIsNotEchoed() {
        String secret = Canary.value("blg_live_sk_");

        BigLedgerApiException e = ApiErrors.of(VERIFY, 500, "text/x;" + secret, new byte[0], true, List.of());

        assertThat(e.getMessage()).doesNotContain(secret).contains("too large to read");
        assertThat(ApiErrors.of(VERIFY, 500, secret + "/x", new byte[0], false, List.of()).getMessage())
                .doesNotContain(secret).contains("an unusual content type");
    }
}
