package com.bigledger.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatNullPointerException;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.testing.Canary;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretTest {

    private static final List<String> KNOWN_PREFIXES = List.of(
            "blg_live_sk_", "blg_test_sk_", "blg_oauth_at_", "blg_oauth_rt_");

    // toString

    @Test
    void sandboxPrefixIsShownButNothingElse() {
        String value = Canary.value("blg_test_sk_");

        Secret secret = Secret.of(value);

        assertThat(secret.toString()).isEqualTo("Secret[blg_test_sk_…redacted]");
        assertThat(secret.toString()).doesNotContain(value.substring("blg_test_sk_".length()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blg_live_sk_", "blg_test_sk_", "blg_oauth_at_", "blg_oauth_rt_"})
    void eachKnownPrefixIsShownAndNotOneCharacterBeyondIt(String prefix) {
        // One character past the prefix is the smallest value that shows the prefix at all.
        Secret oneMore = Secret.of(prefix + "Z");
        Secret canary = Secret.of(Canary.value(prefix));

        assertThat(oneMore.toString()).isEqualTo("Secret[" + prefix + "…redacted]");
        assertThat(canary.toString()).isEqualTo("Secret[" + prefix + "…redacted]");
        assertThat(oneMore.knownPrefix()).contains(prefix);
        assertThat(canary.knownPrefix()).contains(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blg_live_sk_", "blg_test_sk_", "blg_oauth_at_", "blg_oauth_rt_"})
    void valueThatIsExactlyAKnownPrefixShowsNoPrefix(String prefix) {
        Secret secret = Secret.of(prefix);

        assertThat(secret.toString()).isEqualTo("Secret[redacted]");
        assertThat(secret.knownPrefix()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sk_live_", "blg_live_", "blg_live_sk", "BLG_LIVE_SK_", "blg-live-sk-", "xblg_live_sk_",
        " blg_live_sk_", ""})
    void unknownPrefixIsNotShown(String prefix) {
        Secret secret = Secret.of(Canary.value(prefix));

        assertThat(secret.toString()).isEqualTo("Secret[redacted]");
        assertThat(secret.knownPrefix()).isEmpty();
    }

    @Test
    void toStringShowsAtMostAKnownPrefixWhateverTheValue() {
        Random random = new Random(20260101L);
        for (int i = 0; i < 2_000; i++) {
            String prefix = random.nextBoolean() ? KNOWN_PREFIXES.get(random.nextInt(KNOWN_PREFIXES.size())) : "";
            StringBuilder value = new StringBuilder(prefix);
            int length = random.nextInt(20);
            for (int j = 0; j < length; j++) {
                value.appendCodePoint(randomCodePoint(random));
            }
            String expected = "Secret[redacted]";
            for (String known : KNOWN_PREFIXES) {
                if (value.length() > known.length() && value.toString().startsWith(known)) {
                    expected = "Secret[" + known + "…redacted]";
                }
            }

            assertThat(Secret.of(value.toString()).toString()).isEqualTo(expected);
        }
    }

    @Test
    void binarySecretStartingWithAPrefixShowsOnlyThePrefix() {
        byte[] bytes = ("blg_live_sk_" + "\u0000").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 1] = (byte) 0xFF;

        Secret secret = Secret.ofBytes(bytes);

        assertThat(secret.toString()).isEqualTo("Secret[blg_live_sk_…redacted]");
    }

    // equals and hashCode

    @Test
    void secretsWithTheSameValueAreEqualHoweverMade() {
        String value = Canary.value("blg_live_sk_") + "é🔑";

        Secret fromString = Secret.of(value);
        Secret fromChars = Secret.of(value.toCharArray());
        Secret fromBytes = Secret.ofBytes(value.getBytes(StandardCharsets.UTF_8));

        assertThat(fromString).isEqualTo(fromChars).isEqualTo(fromBytes);
        assertThat(fromChars).isEqualTo(fromString);
        assertThat(fromBytes).isEqualTo(fromString);
        assertThat(fromString).hasSameHashCodeAs(fromChars).hasSameHashCodeAs(fromBytes);
    }

    @Test
    void equalsIsReflexive() {
        Secret secret = Canary.secret("");

        assertThat(secret.equals(secret)).isTrue();
    }

    @Test
    void secretsWithDifferentValuesAreNotEqual() {
        String value = Canary.value("blg_live_sk_");
        Secret secret = Secret.of(value);

        assertThat(secret).isNotEqualTo(Secret.of(value + "x"));
        assertThat(secret).isNotEqualTo(Secret.of(value.substring(0, value.length() - 1)));
        assertThat(secret).isNotEqualTo(Secret.of(value.substring(0, value.length() - 1) + "!"));
        assertThat(secret).isNotEqualTo(Secret.of("x" + value.substring(1)));
        assertThat(secret).isNotEqualTo(Secret.of(""));
        assertThat(Secret.of("")).isEqualTo(Secret.of(""));
    }

    @Test
    void secretIsNeverEqualToItsValueAsAStringOrToNull() {
        String value = Canary.value("");
        Secret secret = Secret.of(value);

        assertThat(secret.equals(value)).isFalse();
        assertThat(secret.equals(null)).isFalse();
    }

    @Test
    void hashCodeDiffersAcrossDifferentValues() {
        Set<Integer> hashes = new HashSet<>();
        List<String> values = List.of("a", "b", "ab", "ba", "", "blg_live_sk_1", "blg_live_sk_2", "blg_test_sk_1",
                "é", "🔑", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
        for (String value : values) {
            hashes.add(Secret.of(value).hashCode());
        }

        // A 32-bit keyed hash: a collision among these few values has a chance of about 1 in 10^8.
        assertThat(hashes).hasSize(values.size());
    }

    @Test
    void hashCodeIsStableForOneSecret() {
        Secret secret = Canary.secret("blg_oauth_at_");

        assertThat(secret.hashCode()).isEqualTo(secret.hashCode());
    }

    // destroy

    @Test
    void destroyedSecretCannotBeRevealed() {
        Secret secret = Canary.secret("blg_live_sk_");

        secret.destroy();

        assertThat(secret.isDestroyed()).isTrue();
        assertThatThrownBy(secret::reveal).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("destroyed");
        assertThatThrownBy(secret::revealBytes).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> secret.startsWith("blg_")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(secret::isBlankOrHasWhitespace).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void destroyedSecretEqualsNoOtherSecretEvenWithTheSameValue() {
        String value = Canary.value("blg_live_sk_");
        Secret destroyed = Secret.of(value);
        Secret live = Secret.of(value);

        destroyed.destroy();

        assertThat(destroyed).isNotEqualTo(live);
        assertThat(live).isNotEqualTo(destroyed);
        Secret alsoDestroyed = Secret.of(value);
        alsoDestroyed.destroy();
        assertThat(destroyed).isNotEqualTo(alsoDestroyed);
    }

    @Test
    void destroyedSecretSaysSoInToString() {
        Secret secret = Canary.secret("blg_test_sk_");

        secret.destroy();

        assertThat(secret.toString()).isEqualTo("Secret[destroyed]");
    }

    @Test
    void destroyWipesTheHeldBytes() throws ReflectiveOperationException {
        Secret secret = Canary.secret("blg_live_sk_");
        byte[] held = heldBytes(secret);
        assertThat(held).isNotEqualTo(new byte[held.length]);

        secret.destroy();

        assertThat(held).isEqualTo(new byte[held.length]);
    }

    @Test
    void destroyIsIdempotentAndLeavesEarlierCopiesAlone() {
        String value = Canary.value("");
        Secret secret = Secret.of(value);
        byte[] copy = secret.revealBytes();

        secret.destroy();
        secret.destroy();

        assertThat(secret.isDestroyed()).isTrue();
        assertThat(Secret.ofBytes(copy)).isEqualTo(Secret.of(value));
    }

    @Test
    void freshSecretIsNotDestroyed() {
        assertThat(Canary.secret("").isDestroyed()).isFalse();
    }

    // serialization

    @Test
    void secretIsNotSerializable() {
        assertThat(Serializable.class.isAssignableFrom(Secret.class)).isFalse();
    }

    // copies

    @Test
    void ofCharsCopiesItsInput() {
        String value = Canary.value("blg_live_sk_");
        char[] chars = value.toCharArray();

        Secret secret = Secret.of(chars);
        Arrays.fill(chars, 'x');

        assertThat(secret).isEqualTo(Secret.of(value));
    }

    @Test
    void ofCharsLeavesItsInputUnchanged() {
        String value = Canary.value("");
        char[] chars = value.toCharArray();

        Secret.of(chars);

        assertThat(new String(chars).equals(value)).isTrue();
    }

    @Test
    void ofBytesCopiesItsInput() {
        String value = Canary.value("blg_test_sk_");
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);

        Secret secret = Secret.ofBytes(bytes);
        Arrays.fill(bytes, (byte) 'x');

        assertThat(secret).isEqualTo(Secret.of(value));
    }

    @Test
    void revealBytesReturnsACopy() {
        String value = Canary.value("");
        Secret secret = Secret.of(value);

        byte[] first = secret.revealBytes();
        Arrays.fill(first, (byte) 0);
        byte[] second = secret.revealBytes();

        assertThat(second).isNotSameAs(first);
        assertThat(Secret.ofBytes(second)).isEqualTo(Secret.of(value));
        assertThat(secret).isEqualTo(Secret.of(value));
    }

    @Test
    void textIsHeldAsUtf8() {
        Secret secret = Secret.of("é€🔑".toCharArray());

        assertThat(secret.revealBytes()).isEqualTo("é€🔑".getBytes(StandardCharsets.UTF_8));
        assertThat(secret.reveal()).isEqualTo("é€🔑");
    }

    @Test
    void revealGivesTheValueBack() {
        String value = Canary.value("blg_oauth_rt_") + " ключ 🔑";

        boolean same = Secret.of(value).reveal().equals(value);

        assertThat(same).isTrue();
    }

    @Test
    void nullInputIsRefused() {
        assertThatNullPointerException().isThrownBy(() -> Secret.of((String) null));
        assertThatNullPointerException().isThrownBy(() -> Secret.of((char[]) null));
        assertThatNullPointerException().isThrownBy(() -> Secret.ofBytes(null));
    }

    // binary content

    @Test
    void binaryContentCannotBeRevealedAsTextAndTheMessageShowsNoByte() {
        String marker = Canary.value("");
        byte[] text = marker.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(text, text.length + 2);
        bytes[text.length] = (byte) 0xC3;
        bytes[text.length + 1] = (byte) 0x28;
        Secret secret = Secret.ofBytes(bytes);

        assertThatThrownBy(secret::reveal)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("revealBytes")
                .satisfies(e -> {
                    assertThat(e.getMessage()).doesNotContain(marker.substring(4, 12));
                    assertThat(e.getMessage()).doesNotContainIgnoringCase("c3").doesNotContain("195")
                            .doesNotContain("-61");
                    assertThat(e.getCause()).isNull();
                });
        assertThat(secret.revealBytes()).isEqualTo(bytes);
    }

    @Test
    void binaryContentStillComparesAndHashes() {
        byte[] bytes = {(byte) 0xFF, 0, 1, (byte) 0x80};

        assertThat(Secret.ofBytes(bytes)).isEqualTo(Secret.ofBytes(bytes.clone()))
                .hasSameHashCodeAs(Secret.ofBytes(bytes.clone()));
        assertThat(Secret.ofBytes(bytes).toString()).isEqualTo("Secret[redacted]");
    }

    // startsWith

    @Test
    void startsWithComparesTheStartOfTheValue() {
        String value = Canary.value("blg_live_sk_");
        Secret secret = Secret.of(value);

        assertThat(secret.startsWith("blg_live_sk_")).isTrue();
        assertThat(secret.startsWith("blg_")).isTrue();
        assertThat(secret.startsWith("")).isTrue();
        assertThat(secret.startsWith(value)).isTrue();
        assertThat(secret.startsWith("blg_test_sk_")).isFalse();
        assertThat(secret.startsWith("BLG_LIVE_SK_")).isFalse();
        assertThat(secret.startsWith(value + "x")).isFalse();
        assertThat(secret.startsWith("lg_")).isFalse();
    }

    @Test
    void startsWithWorksOnUnicode() {
        Secret secret = Secret.of("ключ🔑x");

        assertThat(secret.startsWith("ключ")).isTrue();
        assertThat(secret.startsWith("ключ🔑")).isTrue();
        assertThat(secret.startsWith("ключ🔒")).isFalse();
    }

    @Test
    void emptySecretStartsOnlyWithTheEmptyString() {
        Secret secret = Secret.of("");

        assertThat(secret.startsWith("")).isTrue();
        assertThat(secret.startsWith("a")).isFalse();
    }

    // isBlankOrHasWhitespace

    @Test
    void emptyValueIsBlank() {
        assertThat(Secret.of("").isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.ofBytes(new byte[0]).isBlankOrHasWhitespace()).isTrue();
    }

    @Test
    void ordinaryKeyHasNoWhitespace() {
        assertThat(Canary.secret("blg_live_sk_").isBlankOrHasWhitespace()).isFalse();
        assertThat(Secret.of("ключ-🔑_é").isBlankOrHasWhitespace()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\t", "\n", "\r", "\u000B", "\f", "\u0000", "\u001B", "\u007F", "\u0085",
        "\u00A0", "\u2003", "\u2028", "\u3000", "\u200A"})
    void whitespaceOrControlCharacterAnywhereIsFound(String blank) {
        String value = Canary.value("blg_live_sk_");

        assertThat(Secret.of(blank + value).isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(value + blank).isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(value.substring(0, 14) + blank + value.substring(14)).isBlankOrHasWhitespace())
                .isTrue();
        assertThat(Secret.of(blank).isBlankOrHasWhitespace()).isTrue();
    }

    @Test
    void binaryValueIsCheckedForControlBytes() {
        assertThat(Secret.ofBytes(new byte[] {'a', (byte) 0xFF, 'b'}).isBlankOrHasWhitespace()).isFalse();
        assertThat(Secret.ofBytes(new byte[] {'a', (byte) 0xFF, '\n'}).isBlankOrHasWhitespace()).isTrue();
    }

    // knownPrefix

    @Test
    void knownPrefixNamesTheKindOfCredential() {
        assertThat(Canary.secret("blg_live_sk_").knownPrefix()).contains("blg_live_sk_");
        assertThat(Canary.secret("blg_test_sk_").knownPrefix()).contains("blg_test_sk_");
        assertThat(Canary.secret("blg_oauth_at_").knownPrefix()).contains("blg_oauth_at_");
        assertThat(Canary.secret("blg_oauth_rt_").knownPrefix()).contains("blg_oauth_rt_");
        assertThat(Canary.secret("").knownPrefix()).isEmpty();
        assertThat(Canary.secret("sk_live_").knownPrefix()).isEmpty();
    }

    @Test
    void knownPrefixMustBeAtTheStart() {
        assertThat(Secret.of("x" + Canary.value("blg_live_sk_")).knownPrefix()).isEmpty();
    }

    private static int randomCodePoint(Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return 0x20 + random.nextInt(0x5F);
            case 1:
                return "blg_liveskoauthrt".charAt(random.nextInt(17));
            case 2:
                return random.nextInt(0xD800);
            default:
                return 0x10000 + random.nextInt(0x10000);
        }
    }

    /** The array a secret holds, found by type so that the test does not depend on the field's name. */
    private static byte[] heldBytes(Secret secret) throws ReflectiveOperationException {
        for (Field field : Secret.class.getDeclaredFields()) {
            if (field.getType() == byte[].class && !Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                return (byte[]) field.get(secret);
            }
        }
        throw new AssertionError("Secret holds no byte[]");
    }
}
