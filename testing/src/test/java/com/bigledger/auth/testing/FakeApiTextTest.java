package com.bigledger.auth.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query strings, JSON strings and PKCE challenges of the {@link FakeBigLedgerApi}. */
class FakeApiTextTest {

    @Test
    void aQueryStringIsDecodedInOrderAndANameAloneHasTheEmptyValue() {
        assertThat(FakeApiText.query("b=2&a=x%20y&flag&c=%3D")).containsExactly(Map.entry("b", "2"),
                Map.entry("a", "x y"), Map.entry("flag", ""), Map.entry("c", "="));
        assertThat(FakeApiText.query("")).isEmpty();
    }

    @Test
    void encodingThenDecodingGivesTheValueBack() {
        String value = "https://app.example/cb?x=1&y=a b";

        assertThat(FakeApiText.query("v=" + FakeApiText.encode(value))).containsEntry("v", value);
    }

    @Test
    void theS256ChallengeIsRfc7636sExample() {
        assertThat(FakeApiText.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscapedInAJsonString() {
        assertThat(FakeApiText.quote("a\"b\\c\nd")).isEqualTo("\"a\\\"b\\\\c\\u000ad\"");
        assertThat(FakeApiText.quote("plain")).isEqualTo("\"plain\"");
    }
}
