package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void valueWithATrailingNewlineIsTakenOutBeforeLinesAreJoined() {
        // As in a Kubernetes secret made from a file: the value ends with a line break.
        String value = Canary.value("blg_live_sk_") + "\n";

        String shown = Messages.without("Invalid reference '" + value + "' at position 0: expected scheme:path", value);

        assertThat(Canary.leaksIn(shown)).as("the value is echoed").isFalse();
        assertThat(shown).contains("position 0");
    }

    @Test
    void valueWithLineBreaksInsideIsNotEchoedUnquotedEither() {
        String value = Canary.value("") + "\r\n" + Canary.value("");

        String shown = Messages.without("cannot use " + value + " here", value);

        assertThat(Canary.leaksIn(shown)).as("the value is echoed").isFalse();
    }

    @Test
    void messageWithoutTheValueIsKeptOnOneLine() {
        assertThat(Messages.without("first\n  second", "absent value")).isEqualTo("first; second");
    }
}
