package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link CredentialRef}'s edges: a lone surrogate at the very end of a new field; hashes that tell refs apart. */
class CredentialRefEdgeTest {

    @Test
    void loneHighSurrogateAtTheEndOfANewFieldIsRefusedAsInvalid() {
        CredentialRef ref = CredentialRef.of("mem", "bigledger");

        assertThatThrownBy(() -> ref.withField("a\uD83D")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid credential reference 'mem:bigledger': the new field has ");
        assertThatThrownBy(() -> ref.withField("\uD83D")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ref.withField("a\uD83D\uDE00").toString()).startsWith("mem:bigledger#");
    }

    @Test
    void differentReferencesHashDifferentlyAndEqualOnesAlike() {
        Set<Integer> hashes = new HashSet<>();
        for (String text : new String[] {"mem:a", "mem:b", "mem:a#f", "env:a", "file:a"}) {
            hashes.add(CredentialRef.parse(text).hashCode());
        }

        assertThat(hashes).hasSize(5);
        assertThat(CredentialRef.parse("mem:a#f").hashCode()).isEqualTo(CredentialRef.of("mem", "a").withField("f")
                .hashCode());
    }
}
