package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tenant keys and reference patterns of {@link TokenManagers}, checked without a registry. */
class TenantKeysTest {

    @Test
    void identifiersUpTo128CharactersAreAccepted() {
        for (String good : List.of("acme", "Acme-2", "a.b_c-d", "0", "k".repeat(128))) {
            TenantKeys.check(good);
        }
    }

    @Test
    void keysThatCouldChangeThePathAreRefusedAndShownWhenShortAndPlain() {
        for (String bad : List.of("../x", "a/b", "a?b", "a#b", "..", ".a", "-a", "a..b", "a b", "é")) {
            assertThatThrownBy(() -> TenantKeys.check(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("A tenant key must be");
        }
        assertThatThrownBy(() -> TenantKeys.check("a/b")).hasMessageEndingWith("got 'a/b'");
        assertThatThrownBy(() -> TenantKeys.check("")).hasMessageEndingWith("got an empty key");
    }

    @Test
    void keysThatLookLikeCredentialsOrAreLongAreNotShown() {
        String secretLooking = Canary.value("blg_live_sk_") + "/x";
        assertThatThrownBy(() -> TenantKeys.check(secretLooking))
                .hasMessageEndingWith("a key of " + secretLooking.length() + " characters (not shown)");
        assertThatThrownBy(() -> TenantKeys.check("Bearer x/y")).hasMessageContaining("(not shown)");
        assertThatThrownBy(() -> TenantKeys.check("k".repeat(129))).hasMessageContaining("129 characters (not shown)");
    }

    @Test
    void theLastLetterAndDigitOfEachRangeAreAcceptedAndTheCharactersJustPastThemAreNot() {
        for (String good : List.of("z", "Z", "9", "zZ9")) {
            TenantKeys.check(good);
        }
        for (String bad : List.of("a{", "a[", "a:", "a`", "a@", "a/")) {
            assertThatThrownBy(() -> TenantKeys.check(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void keysOfUpToFortyPrintableCharactersAreShownAndLongerOnesAreNot() {
        String forty = "k".repeat(39) + "/";
        String fortyOne = "k".repeat(40) + "/";
        assertThatThrownBy(() -> TenantKeys.check(forty)).hasMessageEndingWith("got '" + forty + "'");
        assertThatThrownBy(() -> TenantKeys.check(fortyOne))
                .hasMessageEndingWith("a key of 41 characters (not shown)");
    }

    @Test
    void aSpaceIsPrintableButControlCharactersAndDeleteAreNot() {
        assertThatThrownBy(() -> TenantKeys.check("a b")).hasMessageEndingWith("got 'a b'");
        for (String unprintable : List.of("a\nb", "a\u001fb", "a\u007fb")) {
            assertThatThrownBy(() -> TenantKeys.check(unprintable)).as(unprintable)
                    .hasMessageEndingWith("a key of 3 characters (not shown)");
        }
    }

    @Test
    void aPatternHoldsThePlaceholderOnceInItsPath() {
        TenantKeys.checkPattern("mem:tenants/{tenant}/bigledger");
        TenantKeys.checkPattern("mem:tenants/{tenant}#refresh_token");
        for (String bad : List.of("mem:tenants", "mem:t#{tenant}", "mem:t?version={tenant}", "mem:{tenant}/{tenant}",
                "#mem:{tenant}", "?mem:{tenant}")) {
            assertThatThrownBy(() -> TenantKeys.checkPattern(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{tenant} once, in its path");
        }
    }

    @Test
    void aPatternWithThePlaceholderInItsSchemeIsRefused() {
        // Else the tenant key would choose the store: key "env" would make "env:tenants/bigledger".
        for (String bad : List.of("{tenant}:tenants/bigledger", "mem{tenant}:tenants/bigledger")) {
            assertThatThrownBy(() -> TenantKeys.checkPattern(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{tenant} once, in its path");
        }
    }

    @Test
    void resolvingPutsTheKeyIntoThePattern() {
        assertThat(TenantKeys.resolve("mem:tenants/{tenant}/bigledger", "acme"))
                .isEqualTo(CredentialRef.parse("mem:tenants/acme/bigledger"));
    }
}
