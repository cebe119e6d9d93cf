package com.bigledger.auth.spi;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The set-once check a store's builder makes: its message names the option and never a secret. */
class BuilderOptionsTest {

    @Test
    void anAddressSetTwiceIsNamedWithoutItsUserInfoQueryOrFragment() {
        String password = Canary.value("");
        BuilderOptions options = new BuilderOptions("VaultCredentialSource");
        options.set("address", URI.create("https://vault.internal:8200"));

        IllegalStateException twice = catchThrowableOfType(IllegalStateException.class, () -> options.set("address",
                URI.create("https://operator:" + password + "@vault.internal:8200/?token=" + password + "#"
                        + password)));

        assertThat(twice).hasMessage("VaultCredentialSource option 'address' is set twice (second value: "
                + "https://vault.internal:8200/)");
        assertThat(Canary.leaksIn(twice.getMessage())).isFalse();
    }

    @Test
    void anOptionIsSetOnceAndToldWhetherItWasSet() {
        BuilderOptions options = new BuilderOptions("CredentialVault");
        assertThat(options.isSet("ttl")).isFalse();

        options.once("ttl", "PT1M");

        assertThat(options.isSet("ttl")).isTrue();
        assertThat(catchThrowableOfType(IllegalStateException.class, () -> options.once("ttl", "PT2M")))
                .hasMessage("CredentialVault option 'ttl' is set twice (second value: PT2M)");
    }
}
