package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@link Secret}'s edges: a secret held as text compares equal to the same value held as bytes without either
 * being wiped by the comparison; blank and white-space detection; prefixes longer than the value; a destroyed
 * text-held secret refuses to be read.
 */
class SecretEdgeTest {

    @Test
    void heldAsTextKeepsTheValueAndIsTheSameObjectWhenAlreadyTextOrBinary() {
        String value = Canary.value("blg_live_sk_");
        Secret bytes = Secret.of(value);

        Secret text = bytes.heldAsText();

        assertThat(text).isNotSameAs(bytes);
        assertThat(text.reveal()).isEqualTo(value);
        assertThat(text.toString()).isEqualTo(bytes.toString()).isEqualTo("Secret[blg_live_sk_…redacted]");
        assertThat(text.heldAsText()).isSameAs(text);
        Secret binary = Secret.ofBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0});
        assertThat(binary.heldAsText()).isSameAs(binary);
        Secret destroyed = Secret.of(value);
        destroyed.destroy();
        assertThat(destroyed.heldAsText()).isSameAs(destroyed);
    }

    @Test
    void comparingTextAndBytesHeldSecretsWipesNeitherValue() {
        String value = Canary.value("blg_test_sk_");
        Secret bytes = Secret.of(value);
        Secret text = Secret.of(value).heldAsText();

        assertThat(bytes.equals(text)).isTrue();
        assertThat(text.equals(bytes)).isTrue();
        assertThat(text.hashCode()).isEqualTo(bytes.hashCode());

        assertThat(bytes.reveal()).isEqualTo(value);
        assertThat(text.reveal()).isEqualTo(value);
        assertThat(bytes.revealBytes()).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.equals(Secret.of(value + "x").heldAsText())).isFalse();
    }

    @Test
    void destroyedTextHeldSecretCannotBeReadOrCompared() {
        String value = Canary.value("");
        Secret text = Secret.of(value).heldAsText();
        Secret same = Secret.of(value).heldAsText();
        text.destroy();

        assertThatThrownBy(text::reveal).isInstanceOf(IllegalStateException.class)
                .hasMessage("The secret was destroyed");
        assertThatThrownBy(text::revealBytes).isInstanceOf(IllegalStateException.class);
        assertThat(text.equals(same)).isFalse();
        assertThat(same.equals(text)).isFalse();
        assertThat(text.toString()).isEqualTo("Secret[destroyed]");
    }

    @Test
    void blankOrWhiteSpaceIsFoundWhereverItIs() {
        String value = Canary.value("");
        assertThat(Secret.of("").isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(value).isBlankOrHasWhitespace()).isFalse();
        assertThat(Secret.of(value).heldAsText().isBlankOrHasWhitespace()).isFalse();
        assertThat(Secret.of(value + " ").isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(" " + value).isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(value + "\u00a0x").isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(value + "\u2003x").isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(value + "\u0007x").isBlankOrHasWhitespace()).isTrue();
        assertThat(Secret.of(value + "\n").isBlankOrHasWhitespace()).isTrue();
        // A character outside the basic plane is one code point, not white space.
        assertThat(Secret.of(value + "\uD83D\uDE00" + value).isBlankOrHasWhitespace()).isFalse();
        assertThat(Secret.of(new char[] {'a', 'b'}).isBlankOrHasWhitespace()).isFalse();
    }

    @Test
    void startLongerThanTheValueDoesNotMatch() {
        Secret secret = Secret.of("abc");

        assertThat(secret.startsWith("abcd")).isFalse();
        assertThat(secret.startsWith("abc")).isTrue();
        assertThat(secret.startsWith("ab")).isTrue();
        assertThat(secret.startsWith("b")).isFalse();
        assertThat(secret.reveal()).isEqualTo("abc");
    }
}
