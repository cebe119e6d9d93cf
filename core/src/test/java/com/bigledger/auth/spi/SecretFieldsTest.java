package com.bigledger.auth.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretFieldsTest {

    private static final CredentialRef REF = CredentialRef.parse("aws-sm:prod/bigledger#client_secret");

    // extract

    @Test
    void extractsAStringField() {
        String secret = Canary.value("blg_live_sk_");
        Secret value = Secret.of("{\"client_id\":\"id-1\",\"client_secret\":\"" + secret + "\",\"n\":2}");

        assertThat(SecretFields.extract(REF, value)).isEqualTo(Secret.of(secret));
    }

    @Test
    void extractsANumberFieldAsItsJsonText() {
        assertThat(field("{\"client_secret\":8443}")).isEqualTo("8443");
        assertThat(field("{\"client_secret\":-1.50}")).isEqualTo("-1.50");
        assertThat(field("{\"client_secret\":1e3}")).isEqualTo("1e3");
        assertThat(field("{\"client_secret\":123456789012345678901234567890}"))
                .isEqualTo("123456789012345678901234567890");
    }

    @Test
    void extractsABooleanFieldAsItsJsonText() {
        assertThat(field("{\"client_secret\":true}")).isEqualTo("true");
        assertThat(field("{\"client_secret\":false}")).isEqualTo("false");
    }

    @Test
    void extractDecodesJsonEscapes() {
        assertThat(field("{\"client_secret\":\"a\\\"b\\\\c\\u00e9\\n\\ud83d\\udd11\"}")).isEqualTo("a\"b\\cé\n🔑");
    }

    @Test
    void extractMatchesEscapedAndUnicodeFieldNames() {
        assertThat(field("{\"client\\u005fsecret\":\"v\"}")).isEqualTo("v");
        CredentialRef unicode = CredentialRef.of("env", "X").withField("clé 🔑");
        assertThat(SecretFields.extract(unicode, Secret.of("{\"clé 🔑\":\"v\"}")).reveal()).isEqualTo("v");
    }

    @Test
    void extractTakesATopLevelFieldAndSkipsNestedOnes() {
        String json = "{\"nested\":{\"client_secret\":\"inner\",\"deeper\":[{\"client_secret\":\"x\"}]},"
                + "\"list\":[1,{\"a\":null}],\"client_secret\":\"top\",\"after\":{\"b\":[]}}";

        assertThat(field(json)).isEqualTo("top");
    }

    @Test
    void extractWithoutAFieldReturnsTheWholeValue() {
        Secret value = Secret.of(Canary.value("") + " not JSON at all");

        assertThat(SecretFields.extract(REF.withoutField(), value)).isSameAs(value);
    }

    @Test
    void extractLeavesTheWholeValueUsable() {
        String json = "{\"client_secret\":\"" + Canary.value("") + "\"}";
        Secret value = Secret.of(json);

        SecretFields.extract(REF, value);

        assertThat(value).isEqualTo(Secret.of(json));
    }

    @Test
    void missingFieldIsNotFoundAndNamedWithoutTheValue() {
        String marker = Canary.value("");
        Secret value = Secret.of("{\"client_id\":\"" + marker + "\",\"nested\":{\"client_secret\":\"" + marker
                + "\"}}");

        assertThatThrownBy(() -> SecretFields.extract(REF, value))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("aws-sm:prod/bigledger#client_secret")
                .hasMessageContaining("no field 'client_secret'")
                .satisfies(e -> assertShowsNoPartOf(e, marker));
    }

    @Test
    void emptyObjectHasNoField() {
        assertThatThrownBy(() -> SecretFields.extract(REF, Secret.of("{}")))
                .isInstanceOf(CredentialNotFoundException.class);
    }

    /**
     * {@code operation} refuses {@code template}, with a fresh canary in place of {@code MARKER}, as an invalid
     * credential whose message holds each of {@code expected} and no part of the canary.
     */
    private static void assertInvalidAndNotQuoted(String template, Consumer<Secret> operation, String... expected) {
        String marker = Canary.value("");
        Secret value = Secret.of(template.replace("MARKER", marker));

        assertThatThrownBy(() -> operation.accept(value))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID))
                .hasMessageContainingAll(expected)
                .satisfies(e -> assertShowsNoPartOf(e, marker));
    }

    /** Values that are not one JSON object, each holding the marker {@code MARKER} somewhere. */
    static Stream<String> notAnObject() {
        return Stream.of("\"MARKER\"", "[\"MARKER\"]", "MARKER", "  ", "", "null", "42");
    }

    @ParameterizedTest
    @MethodSource("notAnObject")
    void valueThatIsNotAnObjectIsInvalidAndNotQuoted(String template) {
        assertInvalidAndNotQuoted(template, value -> SecretFields.extract(REF, value),
                "aws-sm:prod/bigledger#client_secret");
    }

    /** Invalid JSON, trailing garbage and deep nesting, each holding the marker. */
    static Stream<String> notValidJson() {
        return Stream.of(
                "{\"client_secret\": MARKER}",
                "{\"client_secret\":\"MARKER\"",
                "{\"client_secret\":\"MARKER",
                "{MARKER}",
                "{'client_secret':'MARKER'}",
                "{\"client_secret\":\"MARKER\",}",
                "{\"client_secret\":\"MARKER\" \"x\":1}",
                "{\"a\":\"MARKER\\q\"}",
                "{\"client_secret\":\"ok\"} MARKER",
                "{\"client_secret\":\"ok\"} \"MARKER\"",
                "{\"client_secret\":\"ok\"}{\"x\":\"MARKER\"}",
                "{\"client_secret\":\"ok\"}]MARKER",
                "{\"x\":\"MARKER\",\"client_secret\":\"ok\"} x",
                "{\"a\":" + "[".repeat(100) + "\"MARKER\"" + "]".repeat(100) + ",\"client_secret\":\"ok\"}");
    }

    @ParameterizedTest
    @MethodSource("notValidJson")
    void invalidJsonIsInvalidAndNotQuoted(String template) {
        assertInvalidAndNotQuoted(template, value -> SecretFields.extract(REF, value),
                "aws-sm:prod/bigledger#client_secret");
    }

    @Test
    void binaryValueIsInvalidAndNotQuoted() {
        String marker = Canary.value("");
        byte[] text = ("{\"client_secret\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8);
        text[text.length - 3] = (byte) 0xFF;

        assertThatThrownBy(() -> SecretFields.extract(REF, Secret.ofBytes(text)))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID))
                .satisfies(e -> assertShowsNoPartOf(e, marker));
    }

    /** Fields that are not a string, number or boolean, each holding the marker. */
    static Stream<String> notAScalar() {
        return Stream.of(
                "{\"client_secret\":{\"inner\":\"MARKER\"}}",
                "{\"client_secret\":[\"MARKER\"]}",
                "{\"client_secret\":[]}",
                "{\"client_secret\":null,\"other\":\"MARKER\"}",
                "{\"other\":\"MARKER\",\"client_secret\":{}}");
    }

    @ParameterizedTest
    @MethodSource("notAScalar")
    void fieldThatIsNotAStringNumberOrBooleanIsInvalidAndNotQuoted(String template) {
        assertInvalidAndNotQuoted(template, value -> SecretFields.extract(REF, value),
                "field 'client_secret' is not a string, number or boolean");
    }

    @Test
    void errorsAreNotRetryable() {
        assertThat(catchCredentialException(() -> SecretFields.extract(REF, Secret.of("[]"))).retryable())
                .isFalse();
        assertThat(catchCredentialException(() -> SecretFields.extract(REF, Secret.of("{}"))).retryable())
                .isFalse();
    }

    // merge

    @Test
    void mergeReplacesTheFieldAndKeepsEveryOtherFieldAsItWas() {
        Secret existing = Secret.of("{\"client_id\":\"id-1\",\"client_secret\":\"old\","
                + "\"nested\":{\"a\":[1,2.0,{\"b\":null}],\"c\":true,\"d\":\"é\\n\"},\"list\":[1,\"x\",[]],"
                + "\"empty\":{},\"n\":1.50,\"big\":123456789012345678901234567890}");

        Secret merged = SecretFields.merge(REF, Optional.of(existing), Secret.of("new-value"));

        assertThat(merged.reveal()).isEqualTo("{\"client_id\":\"id-1\","
                + "\"nested\":{\"a\":[1,2.0,{\"b\":null}],\"c\":true,\"d\":\"é\\n\"},\"list\":[1,\"x\",[]],"
                + "\"empty\":{},\"n\":1.50,\"big\":123456789012345678901234567890,\"client_secret\":\"new-value\"}");
    }

    @Test
    void mergeKeepsTheValueOfEveryNumber() {
        Secret existing = Secret.of("{\"half\":1.50,\"huge\":1e400,\"precise\":0.1000000000000000055511151231257827,"
                + "\"tiny\":-2.5E-400,\"client_secret\":\"old\"}");

        Secret merged = SecretFields.merge(REF, Optional.of(existing), Secret.of("new"));

        assertThat(number(merged, "half")).isEqualTo(new BigDecimal("1.50"));
        assertThat(number(merged, "huge")).isEqualByComparingTo("1e400");
        assertThat(number(merged, "precise")).isEqualByComparingTo("0.1000000000000000055511151231257827");
        assertThat(number(merged, "tiny")).isEqualByComparingTo("-2.5E-400");
    }

    @Test
    void mergedSecretHoldsTheNewValueAndNotTheOld() {
        String oldValue = Canary.value("blg_live_sk_");
        String newValue = Canary.value("blg_live_sk_");
        Secret existing = Secret.of("{\"client_secret\":\"" + oldValue + "\",\"client_id\":\"id-1\"}");

        Secret merged = SecretFields.merge(REF, Optional.of(existing), Secret.of(newValue));

        assertThat(SecretFields.extract(REF, merged)).isEqualTo(Secret.of(newValue));
        assertThat(SecretFields.extract(REF.withField("client_id"), merged).reveal()).isEqualTo("id-1");
        assertThat(merged.reveal().contains(oldValue)).isFalse();
        assertThat(existing).isEqualTo(Secret.of("{\"client_secret\":\"" + oldValue + "\",\"client_id\":\"id-1\"}"));
    }

    @Test
    void mergeWritesAnyTextAsAJsonString() {
        String awkward = "quote\" backslash\\ newline\n tab\t nul\u0000 é 🔑 </script>";

        Secret merged = SecretFields.merge(REF, Optional.empty(), Secret.of(awkward));

        assertThat(SecretFields.extract(REF, merged).reveal()).isEqualTo(awkward);
    }

    @Test
    void mergeCreatesAnObjectFromNothing() {
        Secret merged = SecretFields.merge(REF, Optional.empty(), Secret.of("v"));

        assertThat(merged.reveal()).isEqualTo("{\"client_secret\":\"v\"}");
    }

    @Test
    void mergeIntoAnEmptyObjectAddsTheField() {
        Secret merged = SecretFields.merge(REF, Optional.of(Secret.of(" { } ")), Secret.of("v"));

        assertThat(merged.reveal()).isEqualTo("{\"client_secret\":\"v\"}");
    }

    @Test
    void mergeReplacesEveryCopyOfADuplicatedField() {
        Secret existing = Secret.of("{\"client_secret\":\"a\",\"x\":1,\"client_secret\":{\"b\":2}}");

        Secret merged = SecretFields.merge(REF, Optional.of(existing), Secret.of("v"));

        assertThat(merged.reveal()).isEqualTo("{\"x\":1,\"client_secret\":\"v\"}");
    }

    static Stream<String> notAnObjectToMergeInto() {
        return Stream.of("\"MARKER\"", "[\"MARKER\"]", "MARKER", "", "null", "42",
                "{\"a\":\"MARKER\"", "{\"a\": MARKER}", "{\"a\":\"MARKER\"} x", "{\"a\":\"MARKER\"}{}",
                "{\"a\":\"ok\"} \"MARKER\"");
    }

    @ParameterizedTest
    @MethodSource("notAnObjectToMergeInto")
    void mergeRefusesAnExistingValueThatIsNotOneObject(String template) {
        assertInvalidAndNotQuoted(template,
                existing -> SecretFields.merge(REF, Optional.of(existing), Secret.of("v")),
                "aws-sm:prod/bigledger#client_secret", "cannot set a field");
    }

    @Test
    void mergeNeedsAReferenceWithAField() {
        assertThatThrownBy(() -> SecretFields.merge(REF.withoutField(), Optional.empty(), Secret.of("v")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aws-sm:prod/bigledger")
                .hasMessageContaining("no field");
    }

    // write: the read-merge-compare-and-set loop

    /** A store of one value whose compare-and-set another writer may beat a given number of times. */
    private static final class OneValueStore implements SecretFields.Store {
        String stored;
        int version;
        int beaten;
        int reads;
        int writes;
        Optional<String> absent = Optional.empty();

        OneValueStore(String stored) {
            this.stored = stored;
            this.version = stored == null ? 0 : 1;
        }

        @Override
        public Optional<com.bigledger.auth.VersionedSecret> read(CredentialRef ref) {
            reads++;
            return stored == null ? Optional.empty()
                    : Optional.of(com.bigledger.auth.VersionedSecret.of(Secret.of(stored), Integer.toString(version)));
        }

        @Override
        public com.bigledger.auth.WriteResult compareAndSet(CredentialRef ref, Secret value, Secret fieldValue,
                Optional<String> expected) {
            writes++;
            if (beaten > 0) {
                beaten--;
                stored = "{\"other\":\"w" + version + "\"}";
                version++;
                return com.bigledger.auth.WriteResult.conflict(Integer.toString(version));
            }
            boolean matches = stored == null ? expected.equals(absent) || expected.isEmpty()
                    : expected.equals(Optional.of(Integer.toString(version)));
            if (!matches) {
                return com.bigledger.auth.WriteResult.conflict(Integer.toString(version));
            }
            stored = value.reveal();
            version++;
            return com.bigledger.auth.WriteResult.written(Integer.toString(version));
        }

        @Override
        public Optional<String> absentVersion() {
            return absent;
        }
    }

    @Test
    void fieldWriteMergesIntoTheStoredObjectWithCompareAndSet() {
        OneValueStore store = new OneValueStore("{\"client_id\":\"id-1\",\"client_secret\":\"old\"}");
        Secret fresh = Canary.secret("blg_live_sk_");

        com.bigledger.auth.WriteResult result = SecretFields.write(REF, fresh, Optional.of("1"), store);

        assertThat(result.isWritten()).isTrue();
        assertThat(result.version()).contains("2");
        assertThat(store.stored).isEqualTo("{\"client_id\":\"id-1\",\"client_secret\":\"" + fresh.reveal() + "\"}");
    }

    @Test
    void fieldWriteExpectingAnotherVersionIsAConflictAndWritesNothing() {
        OneValueStore store = new OneValueStore("{\"client_secret\":\"old\"}");

        com.bigledger.auth.WriteResult result = SecretFields.write(REF, Canary.secret(""), Optional.of("7"), store);

        assertThat(result.isConflict()).isTrue();
        assertThat(result.version()).contains("1");
        assertThat(store.writes).isZero();
    }

    @Test
    void unconditionalFieldWriteMergesAgainIntoWhatAnotherWriterStored() {
        OneValueStore store = new OneValueStore("{\"client_secret\":\"old\"}");
        store.beaten = SecretFields.MERGE_ATTEMPTS - 1;
        Secret fresh = Canary.secret("");

        com.bigledger.auth.WriteResult result = SecretFields.write(REF, fresh, Optional.empty(), store);

        assertThat(result.isWritten()).isTrue();
        assertThat(store.reads).isEqualTo(SecretFields.MERGE_ATTEMPTS);
        assertThat(SecretFields.extract(REF.withField("other"), Secret.of(store.stored)).reveal()).isNotEmpty();
        assertThat(SecretFields.extract(REF, Secret.of(store.stored))).isEqualTo(fresh);
    }

    @Test
    void unconditionalFieldWriteAnswersTheLastConflictAfterItsAttempts() {
        OneValueStore store = new OneValueStore("{\"client_secret\":\"old\"}");
        store.beaten = SecretFields.MERGE_ATTEMPTS;

        com.bigledger.auth.WriteResult result = SecretFields.write(REF, Canary.secret(""), Optional.empty(), store);

        assertThat(result.isConflict()).isTrue();
        assertThat(store.writes).isEqualTo(SecretFields.MERGE_ATTEMPTS);
    }

    @Test
    void fieldWriteToNothingStoredCreatesTheObjectWithTheFieldAlone() {
        OneValueStore store = new OneValueStore(null);
        Secret fresh = Canary.secret("");

        assertThat(SecretFields.write(REF, fresh, Optional.empty(), store).isWritten()).isTrue();
        assertThat(store.stored).isEqualTo("{\"client_secret\":\"" + fresh.reveal() + "\"}");
    }

    @Test
    void expectingAVersionOfNothingStoredIsNotFoundUnlessTheStoreVersionsAbsence() {
        OneValueStore store = new OneValueStore(null);
        assertThatThrownBy(() -> SecretFields.write(REF, Canary.secret(""), Optional.of("3"), store))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("the write expected version 3");

        store.absent = Optional.of("0");
        assertThat(SecretFields.write(REF, Canary.secret(""), Optional.of("3"), store).isConflict()).isTrue();
        assertThat(SecretFields.write(REF, Canary.secret(""), Optional.of("0"), store).isWritten()).isTrue();
    }

    @Test
    void fieldWriteNeedsAReferenceWithAField() {
        assertThatThrownBy(() -> SecretFields.write(REF.withoutField(), Canary.secret(""), Optional.empty(),
                new OneValueStore(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no field");
    }

    // helpers

    private static String field(String json) {
        return SecretFields.extract(REF, Secret.of(json)).reveal();
    }

    private static BigDecimal number(Secret json, String name) {
        return new BigDecimal(SecretFields.extract(REF.withField(name), json).reveal());
    }

    private static CredentialException catchCredentialException(Runnable action) {
        try {
            action.run();
        } catch (CredentialException e) {
            return com.bigledger.auth.testing.LeakAssertions.check(e);
        }
        throw new AssertionError("expected a CredentialException");
    }

    /** No eight characters in a row of the marker appear in the message of the exception or of any cause. */
    private static void assertShowsNoPartOf(Throwable thrown, String marker) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String text = t.getMessage() + " " + t;
            for (int i = 0; i + 8 <= marker.length(); i++) {
                String part = marker.substring(i, i + 8);
                assertThat(text.contains(part)).as("a part of the value is in the message").isFalse();
            }
        }
    }
}
