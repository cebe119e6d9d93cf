package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatIllegalArgumentException;
import static com.bigledger.auth.testing.LeakAssertions.assertThatNullPointerException;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CredentialRefTest {

    private static final String ARN =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/bigledger-AbCdEf";
    private static final String UUID = "5f2b8c1e-3d4a-4b6c-9e8f-0a1b2c3d4e5f";

    // The examples of DESIGN.md

    @Test
    void environmentVariableHasASchemeAndAPathOnly() {
        CredentialRef ref = CredentialRef.parse("env:BIGLEDGER_API_KEY");

        assertThat(ref.scheme()).isEqualTo("env");
        assertThat(ref.path()).isEqualTo("BIGLEDGER_API_KEY");
        assertThat(ref.options()).isEmpty();
        assertThat(ref.field()).isEmpty();
    }

    @Test
    void secretsManagerNameWithAField() {
        CredentialRef ref = CredentialRef.parse("aws-sm:prod/bigledger#client_secret");

        assertThat(ref.scheme()).isEqualTo("aws-sm");
        assertThat(ref.path()).isEqualTo("prod/bigledger");
        assertThat(ref.options()).isEmpty();
        assertThat(ref.field()).contains("client_secret");
    }

    @Test
    void secretsManagerArnKeepsItsColonsInThePath() {
        CredentialRef ref = CredentialRef.parse("aws-sm:" + ARN + "#client_secret");

        assertThat(ref.scheme()).isEqualTo("aws-sm");
        assertThat(ref.path()).isEqualTo(ARN);
        assertThat(ref.field()).contains("client_secret");
    }

    @Test
    void secretsManagerStagePinsAVersion() {
        CredentialRef ref = CredentialRef.parse("aws-sm:x?stage=AWSPREVIOUS");

        assertThat(ref.path()).isEqualTo("x");
        assertThat(ref.options()).containsExactly(Map.entry("stage", "AWSPREVIOUS"));
        assertThat(ref.option("stage")).contains("AWSPREVIOUS");
        assertThat(ref.option("version")).isEmpty();
    }

    @Test
    void secretsManagerVersionIdPinsAVersion() {
        CredentialRef ref = CredentialRef.parse("aws-sm:x?version=" + UUID);

        assertThat(ref.option("version")).contains(UUID);
    }

    @Test
    void vaultMountAndPathWithAField() {
        CredentialRef ref = CredentialRef.parse("vault:secret/bigledger#api_key");

        assertThat(ref.scheme()).isEqualTo("vault");
        assertThat(ref.path()).isEqualTo("secret/bigledger");
        assertThat(ref.field()).contains("api_key");
    }

    @Test
    void vaultOptionsKeepTheirWrittenOrder() {
        CredentialRef ref = CredentialRef.parse("vault:secret/x?kv=2&version=3");

        assertThat(ref.path()).isEqualTo("secret/x");
        assertThat(ref.options()).containsExactly(Map.entry("kv", "2"), Map.entry("version", "3"));
    }

    @Test
    void optionsAndFieldTogether() {
        CredentialRef ref = CredentialRef.parse("aws-sm:prod/bigledger?region=eu-west-1&stage=AWSCURRENT#client_id");

        assertThat(ref.path()).isEqualTo("prod/bigledger");
        assertThat(ref.options()).containsExactly(Map.entry("region", "eu-west-1"), Map.entry("stage", "AWSCURRENT"));
        assertThat(ref.field()).contains("client_id");
    }

    static Stream<String> examples() {
        return Stream.of(
                "env:BIGLEDGER_API_KEY",
                "aws-sm:prod/bigledger#client_secret",
                "aws-sm:" + ARN + "#client_secret",
                "aws-sm:x?stage=AWSPREVIOUS",
                "aws-sm:x?version=" + UUID,
                "aws-sm:prod/bigledger?region=eu-west-1&stage=AWSCURRENT#client_id",
                "vault:secret/bigledger#api_key",
                "vault:secret/x?kv=2&version=3",
                "vault:secret/x?kv=1",
                "file:/etc/bigledger/credentials.json#api_key",
                "custom+x.y-z:any/thing?a=1&b_c-d=%26%3D#f",
                "env:a%3Fb%23c%25d",
                "env:a%20b#c%20d");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void canonicalExamplesPrintAsWritten(String text) {
        assertThat(CredentialRef.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void examplesRoundTrip(String text) {
        CredentialRef ref = CredentialRef.parse(text);

        CredentialRef again = CredentialRef.parse(ref.toString());

        assertThat(again).isEqualTo(ref).hasSameHashCodeAs(ref);
        assertThat(again.toString()).isEqualTo(ref.toString());
    }

    // Escapes

    @Test
    void percentEscapesDecodeInEveryPart() {
        CredentialRef ref = CredentialRef.parse("custom:a%3Fb%23c%25d%20e?opt=x%26y%3Dz%3F%23#f%23g%3Fh%25");

        assertThat(ref.path()).isEqualTo("a?b#c%d e");
        assertThat(ref.options()).containsExactly(Map.entry("opt", "x&y=z?#"));
        assertThat(ref.field()).contains("f#g?h%");
    }

    @Test
    void escapesDecodeAsUtf8() {
        CredentialRef ref = CredentialRef.parse("env:%C3%A9%E2%82%AC%F0%9F%94%91#cl%C3%A9");

        assertThat(ref.path()).isEqualTo("é€🔑");
        assertThat(ref.field()).contains("clé");
    }

    @Test
    void lowerCaseHexAndNeedlessEscapesAreReadButNotWritten() {
        CredentialRef ref = CredentialRef.parse("env:%41%3f%2fb");

        assertThat(ref.path()).isEqualTo("A?/b");
        assertThat(ref.toString()).isEqualTo("env:A%3F/b");
        assertThat(CredentialRef.parse(ref.toString())).isEqualTo(ref);
    }

    @Test
    void rawUnicodeIsAllowed() {
        CredentialRef ref = CredentialRef.parse("env:ключ🔑#поле");

        assertThat(ref.path()).isEqualTo("ключ🔑");
        assertThat(ref.field()).contains("поле");
    }

    @Test
    void ampersandAndEqualsAreOrdinaryCharactersInPathAndField() {
        CredentialRef ref = CredentialRef.parse("vault:a&b=c#d&e=f");

        assertThat(ref.path()).isEqualTo("a&b=c");
        assertThat(ref.options()).isEmpty();
        assertThat(ref.field()).contains("d&e=f");
        assertThat(ref.toString()).isEqualTo("vault:a&b=c#d&e=f");
    }

    @Test
    void questionMarkInTheFieldIsReadWhenEscaped() {
        assertThat(CredentialRef.parse("env:X#a%3Fb").field()).contains("a?b");
        assertThat(CredentialRef.parse("env:X#a%3Fb").options()).isEmpty();
    }

    @Test
    void optionValueEscapesAreDecodedBeforeTheValueIsChecked() {
        CredentialRef ref = CredentialRef.parse("vault:secret/x?kv=%32");

        assertThat(ref.option("kv")).contains("2");
        assertThat(ref.toString()).isEqualTo("vault:secret/x?kv=2");
    }

    // Scheme grammar

    @ParameterizedTest
    @ValueSource(strings = {"a", "s3", "a+b", "a.b", "a-b", "x1+.-"})
    void schemeIsALowerCaseLetterThenLettersDigitsPlusDotOrDash(String scheme) {
        assertThat(CredentialRef.parse(scheme + ":p").scheme()).isEqualTo(scheme);
    }

    /** Which options a store takes is its own declaration, checked by the vault: parsing knows no store. */
    @ParameterizedTest
    @ValueSource(strings = {"aws-sm:x?colour=red", "env:X?stage=A", "file:/x?mode=1", "vault:secret/x?kv=3",
        "vault:secret/x?version=latest", "vault:secret/x?kv=1&version=3", "aws-sm:x?stage=A&version=B"})
    void optionsOfAnyStoreAreParsedWithoutItsKnowledge(String text) {
        assertThat(CredentialRef.parse(text).toString()).isEqualTo(text);
    }

    @Test
    void unknownSchemeAcceptsAnyWellFormedOptions() {
        CredentialRef ref = CredentialRef.parse("custom:thing?anything=goes&x-y_z9=1&stage=a&kv=7");

        assertThat(ref.options()).containsExactly(Map.entry("anything", "goes"), Map.entry("x-y_z9", "1"),
                Map.entry("stage", "a"), Map.entry("kv", "7"));
    }

    // Strict errors: each quotes the reference and gives the position of the first problem.

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                // scheme
                Arguments.of(":x", 0, "the scheme is empty"),
                Arguments.of("BIGLEDGER_API_KEY", 0, "expected scheme:path"),
                Arguments.of("", 0, "expected scheme:path"),
                Arguments.of("Env:X", 0, "lower-case"),
                Arguments.of("ENV:X", 0, "lower-case"),
                Arguments.of("eNv:X", 1, "lower-case"),
                Arguments.of("aws_sm:x", 3, "lower-case"),
                Arguments.of("1env:X", 0, "starting with a letter"),
                Arguments.of("-env:X", 0, "starting with a letter"),
                Arguments.of(" env:X", 0, "lower-case"),
                Arguments.of("énv:X", 0, "lower-case"),
                Arguments.of("env#x:y", 3, "lower-case"),
                // path
                Arguments.of("env:", 4, "the path is empty"),
                Arguments.of("env:#f", 4, "the path is empty"),
                Arguments.of("aws-sm:?stage=A", 7, "the path is empty"),
                // options
                Arguments.of("aws-sm:x?", 9, "'?' is followed by no option"),
                Arguments.of("aws-sm:x?#f", 9, "'?' is followed by no option"),
                Arguments.of("aws-sm:x?region", 9, "expected an option as name=value"),
                Arguments.of("aws-sm:x?stage=A&region", 17, "expected an option as name=value"),
                Arguments.of("aws-sm:x?stage=A&", 17, "expected an option as name=value"),
                Arguments.of("aws-sm:x?stage=A&&region=b", 17, "expected an option as name=value"),
                Arguments.of("aws-sm:x?=A", 9, "option names are lower-case"),
                Arguments.of("aws-sm:x?Stage=A", 9, "option names are lower-case"),
                Arguments.of("aws-sm:x?st%61ge=A", 9, "option names are lower-case"),
                Arguments.of("custom:x?1a=b", 9, "option names are lower-case"),
                Arguments.of("aws-sm:x?stage=", 15, "the option has an empty value"),
                Arguments.of("aws-sm:x?stage=#f", 15, "the option has an empty value"),
                Arguments.of("aws-sm:x?stage=&region=a", 15, "the option has an empty value"),
                Arguments.of("aws-sm:x?stage=A&stage=B", 17, "the option is given twice"),
                Arguments.of("custom:x?a=1&b=2&a=1", 17, "the option is given twice"),
                // escapes
                Arguments.of("env:A%", 5, "bad escape in the path: '%' must be followed by two hex digits"),
                Arguments.of("env:A%2", 5, "bad escape in the path: '%' must be followed by two hex digits"),
                Arguments.of("env:A%G1", 5, "bad escape in the path: '%' must be followed by two hex digits"),
                Arguments.of("env:A%1G", 5, "bad escape in the path: '%' must be followed by two hex digits"),
                Arguments.of("env:A%%41", 5, "bad escape in the path"),
                Arguments.of("env:A%2#f", 5, "bad escape in the path"),
                Arguments.of("env:A%\uFF11\uFF11", 5, "bad escape in the path"),
                Arguments.of("env:A%\u0661\u0662", 5, "bad escape in the path"),
                Arguments.of("aws-sm:x?stage=%ZZ", 15, "bad escape in the option value"),
                Arguments.of("aws-sm:x?stage=A%", 16, "bad escape in the option value"),
                Arguments.of("env:X#%", 6, "bad escape in the field"),
                Arguments.of("env:X#ab%4", 8, "bad escape in the field"),
                Arguments.of("env:AB%FF", 6, "bad escape in the path: the escaped bytes are not UTF-8"),
                Arguments.of("env:AB%C3", 6, "the escaped bytes are not UTF-8"),
                Arguments.of("env:AB%C3%28", 6, "the escaped bytes are not UTF-8"),
                Arguments.of("env:AB%C0%80", 6, "the escaped bytes are not UTF-8"),
                Arguments.of("env:AB%ED%A0%80", 6, "the escaped bytes are not UTF-8"),
                Arguments.of("env:A%41%C3%A9%FFx", 14, "the escaped bytes are not UTF-8"),
                Arguments.of("env:é%A9", 5, "the escaped bytes are not UTF-8"),
                Arguments.of("aws-sm:x?stage=ok%80", 17, "bad escape in the option value: the escaped bytes"),
                Arguments.of("env:X#abc%F0%9F%94", 9, "bad escape in the field: the escaped bytes"),
                // field
                Arguments.of("env:X#", 6, "the field after '#' is empty"),
                Arguments.of("aws-sm:x?stage=A#", 17, "the field after '#' is empty"),
                Arguments.of("env:X#a#b", 7, "'#' in the field must be escaped as %23"),
                Arguments.of("env:X#a?b", 7, "'?' in the field must be escaped as %3F"),
                Arguments.of("aws-sm:x?stage=a?b", 16, "'?' in the option value must be escaped as %3F"),
                // raw whitespace and control characters
                Arguments.of("env:A B", 5, "whitespace or a control character in the path must be escaped"),
                Arguments.of("env:A\tB", 5, "whitespace or a control character in the path"),
                Arguments.of("env:AB\n", 6, "whitespace or a control character in the path"),
                Arguments.of("env:A\u0000B", 5, "whitespace or a control character in the path"),
                Arguments.of("env:A\u007F", 5, "whitespace or a control character in the path"),
                Arguments.of("env:A\u0085", 5, "whitespace or a control character in the path"),
                Arguments.of("env:A\u2028", 5, "whitespace or a control character in the path"),
                Arguments.of("env: A", 4, "whitespace or a control character in the path"),
                Arguments.of("env:X#a b", 7, "whitespace or a control character in the field"),
                Arguments.of("aws-sm:x?stage=a b", 16, "whitespace or a control character in the option value"),
                Arguments.of("aws-sm:x?stage=ab\r", 17, "whitespace or a control character in the option value"),
                // text that is not UTF-16 cannot be UTF-8
                Arguments.of("env:A\uD800", 5, "an unpaired surrogate in the path"),
                Arguments.of("env:A\uDC00B", 5, "an unpaired surrogate in the path"),
                Arguments.of("env:A\uD800%41", 5, "an unpaired surrogate in the path"),
                Arguments.of("env:A\uD800 ", 5, "an unpaired surrogate in the path"),
                Arguments.of("custom:x?a=\uD800?", 11, "an unpaired surrogate in the option value"),
                Arguments.of("env:X#\uDBFF", 6, "an unpaired surrogate in the field"));
    }

    @ParameterizedTest
    @MethodSource("invalidReferences")
    void invalidReferenceIsRefusedWithItsPosition(String text, int position, String problem) {
        assertThatThrownBy(() -> CredentialRef.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid credential reference at position " + position + ": ")
                .hasMessageContaining(problem);
    }

    /** A secret pasted where a reference belongs: whatever its shape, the message never repeats any of it. */
    static Stream<String> secretsPastedAsReferences() {
        String key = com.bigledger.auth.testing.Canary.value("blg_live_sk_");
        String word = com.bigledger.auth.testing.Canary.value("hunter");
        String uuidLike = com.bigledger.auth.testing.Canary.value("5f2b8c1e-3d4a-");
        return Stream.of(key, word + " correct horse", uuidLike, key + "\n", "env:" + word + " x",
                "Env:" + word, word + "_:x", "aws-sm:x?stage=" + word + "&stage=y", "aws-sm:x?" + word,
                "env:" + word + "%zz", "env:x#" + word + "#y", "mem:x?" + word + "=");
    }

    @ParameterizedTest(name = "pasted value {index}")
    @MethodSource("secretsPastedAsReferences")
    void parseErrorsNeverQuoteTheInput(String pasted) {
        Throwable thrown = com.bigledger.auth.testing.LeakAssertions.catchThrowable(() -> CredentialRef.parse(pasted));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid credential reference at position ")
                .hasMessageContaining("value not shown");
        assertThat(com.bigledger.auth.testing.Canary.leaksIn(thrown.getMessage())).as("the message quotes the input")
                .isFalse();
    }

    @Test
    void parseRefusesNull() {
        assertThatNullPointerException().isThrownBy(() -> CredentialRef.parse(null));
    }

    @Test
    void unknownSchemeIsStillStrictAboutSyntax() {
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.parse("custom:x?a"));
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.parse("custom:x?a=1&a=2"));
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.parse("custom:x?A=1"));
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.parse("custom:x?a="));
    }

    // The option rules of the shipped stores

    @ParameterizedTest
    @ValueSource(strings = {"vault:secret/x?kv=1", "vault:secret/x?kv=2", "vault:secret/x?version=1",
        "vault:secret/x?version=42", "vault:secret/x?kv=2&version=3", "vault:secret/x?version=3&kv=2"})
    void vaultAcceptsKvOneOrTwoAndAPositiveVersion(String text) {
        assertThat(CredentialRef.parse(text).scheme()).isEqualTo("vault");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws-sm:x?stage=AWSCURRENT", "aws-sm:x?stage=custom-label", "aws-sm:x?version=v1",
        "aws-sm:x?region=eu-west-1", "aws-sm:x?region=us-east-1&version=" + UUID,
        "aws-sm:x?stage=AWSPENDING&region=ap-south-1"})
    void secretsManagerAcceptsStageOrVersionWithARegion(String text) {
        assertThat(CredentialRef.parse(text).scheme()).isEqualTo("aws-sm");
    }

    // equals and hashCode

    @Test
    void referencesParsedFromTheSameTextAreEqual() {
        CredentialRef one = CredentialRef.parse("aws-sm:prod/bigledger?stage=AWSCURRENT#client_secret");
        CredentialRef two = CredentialRef.parse("aws-sm:prod/bigledger?stage=AWSCURRENT#client_secret");

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one).isEqualTo(one);
    }

    @Test
    void escapedAndRawSpellingsOfOneReferenceAreEqual() {
        CredentialRef escaped = CredentialRef.parse("vault:%73ecret/x#%61pi_key");
        CredentialRef raw = CredentialRef.parse("vault:secret/x#api_key");

        assertThat(escaped).isEqualTo(raw).hasSameHashCodeAs(raw);
        assertThat(escaped.toString()).isEqualTo(raw.toString());
    }

    @Test
    void referencesDifferingInAnyPartAreNotEqual() {
        CredentialRef ref = CredentialRef.parse("custom:path?a=1#field");

        assertThat(ref).isNotEqualTo(CredentialRef.parse("custon:path?a=1#field"));
        assertThat(ref).isNotEqualTo(CredentialRef.parse("custom:Path?a=1#field"));
        assertThat(ref).isNotEqualTo(CredentialRef.parse("custom:path?a=2#field"));
        assertThat(ref).isNotEqualTo(CredentialRef.parse("custom:path?b=1#field"));
        assertThat(ref).isNotEqualTo(CredentialRef.parse("custom:path?a=1&b=1#field"));
        assertThat(ref).isNotEqualTo(CredentialRef.parse("custom:path#field"));
        assertThat(ref).isNotEqualTo(CredentialRef.parse("custom:path?a=1#Field"));
        assertThat(ref).isNotEqualTo(CredentialRef.parse("custom:path?a=1"));
        assertThat(ref).isNotEqualTo("custom:path?a=1#field");
        assertThat(ref).isNotEqualTo(null);
    }

    @Test
    void optionOrderDoesNotMatterToEqualityButIsKeptInText() {
        CredentialRef one = CredentialRef.parse("aws-sm:x?region=eu-west-1&stage=AWSCURRENT");
        CredentialRef two = CredentialRef.parse("aws-sm:x?stage=AWSCURRENT&region=eu-west-1");

        assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
        assertThat(one.toString()).isEqualTo("aws-sm:x?region=eu-west-1&stage=AWSCURRENT");
        assertThat(two.toString()).isEqualTo("aws-sm:x?stage=AWSCURRENT&region=eu-west-1");
    }

    @Test
    void optionsCannotBeModified() {
        CredentialRef ref = CredentialRef.parse("aws-sm:x?stage=AWSCURRENT");

        assertThatThrownBy(() -> ref.options().put("version", "v")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ref.options().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    // of, withField, withoutField

    @Test
    void ofEscapesThePath() {
        CredentialRef ref = CredentialRef.of("env", "a b?c#d%e&f=g");

        assertThat(ref.path()).isEqualTo("a b?c#d%e&f=g");
        assertThat(ref.options()).isEmpty();
        assertThat(ref.field()).isEmpty();
        assertThat(ref.toString()).isEqualTo("env:a%20b%3Fc%23d%25e&f=g");
        assertThat(CredentialRef.parse(ref.toString())).isEqualTo(ref);
    }

    @Test
    void ofEqualsTheParsedReference() {
        assertThat(CredentialRef.of("aws-sm", ARN)).isEqualTo(CredentialRef.parse("aws-sm:" + ARN));
    }

    @Test
    void ofRefusesAnInvalidSchemeOrAnEmptyPath() {
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.of("", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.of("Env", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.of("env", ""));
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.of("e v", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.of("env", "a\uD800"));
        assertThatNullPointerException().isThrownBy(() -> CredentialRef.of(null, "x"));
        assertThatNullPointerException().isThrownBy(() -> CredentialRef.of("env", null));
    }

    @Test
    void ofRefusesASchemeHoldingAColonInsteadOfMovingItIntoThePath() {
        assertThatThrownBy(() -> CredentialRef.of("env:x", "y"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid credential reference at position 3: ");
        assertThatIllegalArgumentException().isThrownBy(() -> CredentialRef.of("aws-sm:arn", "aws:x"));
    }

    @Test
    void withFieldSetsOrReplacesTheField() {
        CredentialRef ref = CredentialRef.parse("aws-sm:prod/bigledger?stage=AWSCURRENT#client_id");

        CredentialRef other = ref.withField("client_secret");

        assertThat(other.field()).contains("client_secret");
        assertThat(other.scheme()).isEqualTo("aws-sm");
        assertThat(other.path()).isEqualTo("prod/bigledger");
        assertThat(other.options()).isEqualTo(ref.options());
        assertThat(other).isEqualTo(CredentialRef.parse("aws-sm:prod/bigledger?stage=AWSCURRENT#client_secret"));
        assertThat(ref.field()).contains("client_id");
    }

    @Test
    void withFieldEscapesWhatNeedsIt() {
        CredentialRef ref = CredentialRef.of("env", "JSON").withField("a #?%&= b");

        assertThat(ref.toString()).isEqualTo("env:JSON#a%20%23%3F%25&=%20b");
        assertThat(CredentialRef.parse(ref.toString())).isEqualTo(ref);
    }

    @Test
    void withFieldRefusesAnEmptyOrUnwritableField() {
        CredentialRef ref = CredentialRef.parse("env:X");

        assertThatThrownBy(() -> ref.withField(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'env:X'")
                .hasMessageContaining("the field is empty");
        assertThatThrownBy(() -> ref.withField("a\uDC00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'env:X'")
                .hasMessageContaining("unpaired surrogate at index 1");
        assertThatNullPointerException().isThrownBy(() -> ref.withField(null));
        assertThat(ref.withField("🔑").field()).contains("🔑");
    }

    @Test
    void withoutFieldDropsOnlyTheField() {
        CredentialRef ref = CredentialRef.parse("vault:secret/x?kv=2&version=3#api_key");

        CredentialRef whole = ref.withoutField();

        assertThat(whole.field()).isEmpty();
        assertThat(whole).isEqualTo(CredentialRef.parse("vault:secret/x?kv=2&version=3"));
        assertThat(whole.toString()).isEqualTo("vault:secret/x?kv=2&version=3");
        assertThat(whole.withField("api_key")).isEqualTo(ref);
    }

    @Test
    void withoutFieldOnAReferenceWithNoFieldIsTheSameReference() {
        CredentialRef ref = CredentialRef.parse("env:X");

        assertThat(ref.withoutField()).isSameAs(ref);
    }

    // Round trip over many generated references

    @Test
    void generatedReferencesBuiltFromPartsRoundTrip() {
        Random random = new Random(0x5EC12E7L);
        for (int i = 0; i < 3_000; i++) {
            String scheme = randomScheme(random);
            String path = randomText(random, 1 + random.nextInt(12));
            Map<String, String> options = randomOptions(random, scheme);
            String field = random.nextInt(3) == 0 ? null : randomText(random, 1 + random.nextInt(8));
            String text = scheme + ":" + escape(random, path, Part.PATH) + optionsText(random, options)
                    + (field == null ? "" : "#" + escape(random, field, Part.FIELD));

            CredentialRef ref = CredentialRef.parse(text);

            assertThat(ref.scheme()).as("scheme of %s", text).isEqualTo(scheme);
            assertThat(ref.path()).as("path of %s", text).isEqualTo(path);
            assertThat(ref.options()).as("options of %s", text).containsExactlyEntriesOf(options);
            assertThat(ref.field()).as("field of %s", text).isEqualTo(Optional.ofNullable(field));
            assertRoundTrips(ref);
        }
    }

    @Test
    void generatedReferencesBuiltWithOfAndWithFieldRoundTrip() {
        Random random = new Random(0xF1E1DL);
        for (int i = 0; i < 3_000; i++) {
            String scheme = randomScheme(random);
            String path = randomText(random, 1 + random.nextInt(12));
            String field = randomText(random, 1 + random.nextInt(8));

            CredentialRef plain = CredentialRef.of(scheme, path);
            CredentialRef withField = plain.withField(field);

            assertThat(plain.path()).as("path of %s", plain).isEqualTo(path);
            assertThat(withField.field()).as("field of %s", withField).contains(field);
            assertThat(withField.withoutField()).isEqualTo(plain);
            assertRoundTrips(plain);
            assertRoundTrips(withField);
        }
    }

    private static void assertRoundTrips(CredentialRef ref) {
        String text = ref.toString();
        CredentialRef again = CredentialRef.parse(text);
        assertThat(again).as("parse(%s)", text).isEqualTo(ref);
        assertThat(again.hashCode()).as("hashCode of %s", text).isEqualTo(ref.hashCode());
        assertThat(again.toString()).as("canonical text of %s", text).isEqualTo(text);
    }

    private enum Part { PATH, OPTION_VALUE, FIELD }

    private static final Set<String> SHIPPED_SCHEMES = Set.of("env", "aws-sm", "vault", "file");

    private static String randomScheme(Random random) {
        if (random.nextInt(4) == 0) {
            return List.copyOf(new TreeSet<>(SHIPPED_SCHEMES)).get(random.nextInt(SHIPPED_SCHEMES.size()));
        }
        String letters = "abcdefghijklmnopqrstuvwxyz";
        String rest = letters + "0123456789+.-";
        while (true) {
            StringBuilder scheme = new StringBuilder().append(letters.charAt(random.nextInt(letters.length())));
            int length = random.nextInt(8);
            for (int i = 0; i < length; i++) {
                scheme.append(rest.charAt(random.nextInt(rest.length())));
            }
            if (!SHIPPED_SCHEMES.contains(scheme.toString())) {
                return scheme.toString();
            }
        }
    }

    /** Options the scheme takes: any well-formed ones for an unknown scheme, valid ones for a shipped store. */
    private static Map<String, String> randomOptions(Random random, String scheme) {
        Map<String, String> options = new LinkedHashMap<>();
        switch (scheme) {
            case "env":
            case "file":
                break;
            case "aws-sm":
                if (random.nextBoolean()) {
                    options.put("region", randomText(random, 1 + random.nextInt(6)));
                }
                int pin = random.nextInt(3);
                if (pin == 1) {
                    options.put("stage", randomText(random, 1 + random.nextInt(6)));
                } else if (pin == 2) {
                    options.put("version", randomText(random, 1 + random.nextInt(6)));
                }
                break;
            case "vault":
                int kv = random.nextInt(3);
                if (kv > 0) {
                    options.put("kv", Integer.toString(kv));
                }
                if (kv != 1 && random.nextBoolean()) {
                    options.put("version", Integer.toString(1 + random.nextInt(Integer.MAX_VALUE)));
                }
                break;
            default:
                int count = random.nextInt(4);
                String nameStart = "abcdefghijklmnopqrstuvwxyz";
                String nameRest = nameStart + "0123456789_-";
                for (int i = 0; i < count; i++) {
                    StringBuilder name = new StringBuilder().append(nameStart.charAt(random.nextInt(26)));
                    int length = random.nextInt(6);
                    for (int j = 0; j < length; j++) {
                        name.append(nameRest.charAt(random.nextInt(nameRest.length())));
                    }
                    options.putIfAbsent(name.toString(), randomText(random, 1 + random.nextInt(10)));
                }
        }
        // Written in a shuffled order: the order written is the order kept.
        List<Map.Entry<String, String>> entries = new ArrayList<>(options.entrySet());
        Collections.shuffle(entries, random);
        Map<String, String> shuffled = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : entries) {
            shuffled.put(entry.getKey(), entry.getValue());
        }
        return shuffled;
    }

    private static String optionsText(Random random, Map<String, String> options) {
        StringBuilder text = new StringBuilder();
        String separator = "?";
        for (Map.Entry<String, String> option : options.entrySet()) {
            text.append(separator).append(option.getKey()).append('=')
                    .append(escape(random, option.getValue(), Part.OPTION_VALUE));
            separator = "&";
        }
        return text.toString();
    }

    /** Characters that stress the grammar: its delimiters, escapes, whitespace, controls and non-ASCII text. */
    private static final int[] AWKWARD = {'%', '?', '#', '&', '=', ' ', ':', '/', '+', '.', '-', '_', '\t', '\n',
        '\r', 0, 0x7F, 0x85, 0xA0, 0x2028, 0x3000, 'é', '€', 'ß', 'ж', '中', 0x1F511, 0x10FFFF, 0xFEFF};

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(5);
            if (kind == 0) {
                text.appendCodePoint(AWKWARD[random.nextInt(AWKWARD.length)]);
            } else if (kind == 1) {
                int c;
                do {
                    c = random.nextInt(0x10000);
                } while (Character.isSurrogate((char) c));
                text.appendCodePoint(c);
            } else if (kind == 2) {
                text.appendCodePoint(0x10000 + random.nextInt(0x100000));
            } else {
                text.append((char) (0x21 + random.nextInt(0x5E)));
            }
        }
        return text.toString();
    }

    /**
     * Writes text as the grammar allows: what must be escaped is, and any other character is escaped or not at
     * random (in upper- or lower-case hex), so that parsing is tested on many spellings.
     */
    private static String escape(Random random, String value, Part part) {
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(c -> {
            boolean must = c == '%' || c == '?' || c == '#' || Character.isWhitespace(c) || Character.isISOControl(c)
                    || (part == Part.OPTION_VALUE && (c == '&' || c == '='));
            if (must || random.nextInt(8) == 0) {
                boolean lower = random.nextBoolean();
                for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                    String hex = String.format("%02X", b & 0xFF);
                    out.append('%').append(lower ? hex.toLowerCase(Locale.ROOT) : hex);
                }
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
