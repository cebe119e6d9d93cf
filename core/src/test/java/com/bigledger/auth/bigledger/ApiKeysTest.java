package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.Secret;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeysTest {

    @Test
    void liveKeyIsAcceptedInProduction() {
        assertThat(ApiKeys.check(Secret.of(TestKeys.live()), BigLedgerEnvironment.PRODUCTION)).isEmpty();
    }

    @Test
    void testKeyIsAcceptedInSandbox() {
        assertThat(ApiKeys.check(Secret.of(TestKeys.test()), BigLedgerEnvironment.SANDBOX)).isEmpty();
    }

    @Test
    void sandboxKeyIsRefusedInProduction() {
        String key = TestKeys.test();
        ConfigProblem problem = ApiKeys.check(Secret.of(key), BigLedgerEnvironment.PRODUCTION).orElseThrow();
        assertThat(problem.kind()).isEqualTo(ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT);
        assertThat(problem.message())
                .contains("blg_test_sk_", "sandbox", "production", "blg_live_sk_")
                .doesNotContain(key.substring(12));
    }

    @Test
    void liveKeyIsRefusedInSandbox() {
        String key = TestKeys.live();
        ConfigProblem problem = ApiKeys.check(Secret.of(key), BigLedgerEnvironment.SANDBOX).orElseThrow();
        assertThat(problem.kind()).isEqualTo(ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT);
        assertThat(problem.message())
                .contains("blg_live_sk_", "production", "sandbox")
                .doesNotContain(key.substring(12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n"})
    void emptyOrWhitespaceKeyIsRefused(String key) {
        assertThat(kindOf(ApiKeys.check(Secret.of(key), BigLedgerEnvironment.PRODUCTION)))
                .contains(ConfigProblem.Kind.API_KEY_BLANK);
    }

    @Test
    void keyWithATrailingNewlineIsRefusedAsBlank() {
        String key = TestKeys.live() + "\n";
        ConfigProblem problem = ApiKeys.check(Secret.of(key), BigLedgerEnvironment.PRODUCTION).orElseThrow();
        assertThat(problem.kind()).isEqualTo(ConfigProblem.Kind.API_KEY_BLANK);
        assertThat(problem.message()).doesNotContain(key.strip().substring(12));
    }

    @Test
    void keyWithAnUnknownPrefixIsRefusedWithoutQuotingIt() {
        String key = "sk_live_" + TestKeys.randomHex();
        ConfigProblem problem = ApiKeys.check(Secret.of(key), BigLedgerEnvironment.PRODUCTION).orElseThrow();
        assertThat(problem.kind()).isEqualTo(ConfigProblem.Kind.API_KEY_UNKNOWN_PREFIX);
        assertThat(problem.message()).contains("blg_live_sk_").doesNotContain(key);
    }

    @Test
    void oauthTokenIsNotAnApiKey() {
        String token = "blg_oauth_at_" + TestKeys.randomHex();
        assertThat(kindOf(ApiKeys.check(Secret.of(token), BigLedgerEnvironment.PRODUCTION)))
                .contains(ConfigProblem.Kind.API_KEY_UNKNOWN_PREFIX);
    }

    @Test
    void barePrefixIsRefusedAsTruncated() {
        assertThat(kindOf(ApiKeys.check(Secret.of("blg_live_sk_"), BigLedgerEnvironment.PRODUCTION)))
                .contains(ConfigProblem.Kind.API_KEY_TRUNCATED);
        assertThat(kindOf(ApiKeys.check(Secret.of("blg_test_sk_"), BigLedgerEnvironment.SANDBOX)))
                .contains(ConfigProblem.Kind.API_KEY_TRUNCATED);
    }

    private static Optional<ConfigProblem.Kind> kindOf(Optional<ConfigProblem> problem) {
        return problem.map(ConfigProblem::kind);
    }
}
