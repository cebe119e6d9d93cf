package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PkceTest {

    @Test
    void rfc7636AppendixBVectorPasses() {
        Pkce pkce = Pkce.of(Secret.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));

        assertThat(pkce.challenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(pkce.method()).isEqualTo("S256");
    }

    @Test
    void aNewVerifierHas64UnreservedCharactersAndAMatchingChallenge() {
        Pkce pkce = Pkce.create();

        String verifier = pkce.verifier().reveal();
        assertThat(verifier).hasSize(Pkce.DEFAULT_VERIFIER_LENGTH).matches("[A-Za-z0-9._~-]+");
        assertThat(pkce.challenge()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.of(Secret.of(verifier)).challenge()).isEqualTo(pkce.challenge());
    }

    @ParameterizedTest
    @ValueSource(ints = {43, 128})
    void theLengthCanBeAnyThatRfc7636Allows(int length) {
        assertThat(Pkce.create(length).verifier().reveal()).hasSize(length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 42, 129})
    void otherLengthsAreRefused(int length) {
        assertThatThrownBy(() -> Pkce.create(length)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("43 to 128");
    }

    @Test
    void verifiersDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(Pkce.create().verifier().reveal());
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void everyUnreservedCharacterTurnsUp() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (char c : Pkce.create(128).verifier().reveal().toCharArray()) {
                seen.add(c);
            }
        }
        assertThat(seen).hasSize(66);
    }

    @Test
    void anInvalidVerifierIsRefusedWithoutBeingQuoted() {
        String tooShort = FakeSecrets.random();
        String badCharacter = Canary.remember(FakeSecrets.random() + FakeSecrets.random() + "+/");

        assertThatThrownBy(() -> Pkce.of(Secret.of(tooShort))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> Pkce.of(Secret.of(badCharacter))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A-Z a-z 0-9 - . _ ~").hasMessageNotContaining(badCharacter);
        assertThatThrownBy(() -> Pkce.of(Secret.of("x".repeat(129)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsTheChallengeButNotTheVerifier() {
        Pkce pkce = Pkce.create();

        assertThat(pkce.toString()).contains(pkce.challenge()).doesNotContain(pkce.verifier().reveal());
    }
}
