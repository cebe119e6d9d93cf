package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BigLedgerEnvironmentTest {

    @Test
    void productionAndSandboxHaveTheDocumentedUrlsAndPrefixes() {
        assertThat(BigLedgerEnvironment.PRODUCTION.baseUrl()).isEqualTo("https://api.bigledger.com/v1");
        assertThat(BigLedgerEnvironment.PRODUCTION.apiKeyPrefix()).isEqualTo("blg_live_sk_");
        assertThat(BigLedgerEnvironment.PRODUCTION.id()).isEqualTo("production");
        assertThat(BigLedgerEnvironment.SANDBOX.baseUrl()).isEqualTo("https://api-sandbox.bigledger.com/v1");
        assertThat(BigLedgerEnvironment.SANDBOX.apiKeyPrefix()).isEqualTo("blg_test_sk_");
        assertThat(BigLedgerEnvironment.SANDBOX.id()).isEqualTo("sandbox");
    }

    @ParameterizedTest
    @ValueSource(strings = {"production", "PRODUCTION", "Production"})
    void parseAcceptsProductionInAnyCase(String name) {
        assertThat(BigLedgerEnvironment.parse(name)).isEqualTo(BigLedgerEnvironment.PRODUCTION);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sandbox", "SANDBOX", "sandBox"})
    void parseAcceptsSandboxInAnyCase(String name) {
        assertThat(BigLedgerEnvironment.parse(name)).isEqualTo(BigLedgerEnvironment.SANDBOX);
    }

    @Test
    void parseRefusesAnUnknownNameAndQuotesIt() {
        assertThatThrownBy(() -> BigLedgerEnvironment.parse("prod"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown BigLedger environment 'prod': expected production or sandbox");
    }

    @ParameterizedTest
    @ValueSource(strings = {" production", "production ", "", "live", "staging"})
    void parseRefusesNamesThatAreNotExactlyAnEnvironment(String name) {
        assertThatThrownBy(() -> BigLedgerEnvironment.parse(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected production or sandbox");
    }

    @Test
    void parseDoesNotQuoteAValueThatMayBeAKey() {
        String key = TestKeys.live();
        assertThatThrownBy(() -> BigLedgerEnvironment.parse(key))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not shown")
                .hasMessageNotContaining(key)
                .hasMessageNotContaining(key.substring(12));
    }

    @Test
    void aKeyTellsItsEnvironmentByItsPrefix() {
        assertThat(BigLedgerEnvironment.ofApiKey(Secret.of(TestKeys.live())))
                .contains(BigLedgerEnvironment.PRODUCTION);
        assertThat(BigLedgerEnvironment.ofApiKey(Secret.of(TestKeys.test())))
                .contains(BigLedgerEnvironment.SANDBOX);
        assertThat(BigLedgerEnvironment.ofApiKey(Secret.of("sk_" + TestKeys.randomHex()))).isEmpty();
    }
}
