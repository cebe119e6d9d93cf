package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BigLedgerAuthFromEnvironmentTest {

    private static final String COMPANY = "company_abc123";

    /** A stand-in for AWS Secrets Manager: the scheme is what matters to configuration. */
    private final InMemoryCredentialSource awsStandIn = new InMemoryCredentialSource("aws-sm");
    private final CredentialVault vault = CredentialVault.builder().source(awsStandIn).discoverSources(false).build();

    @AfterEach
    void close() {
        vault.close();
    }

    private BigLedgerAuth build(Map<String, String> variables) {
        return BigLedgerAuth.builder().fromEnvironment(variables).vault(vault).build();
    }

    private BigLedgerConfigurationException failure(Map<String, String> variables) {
        Throwable thrown = com.bigledger.auth.testing.LeakAssertions.catchThrowable(() -> build(variables));
        assertThat(thrown).isInstanceOf(BigLedgerConfigurationException.class);
        return (BigLedgerConfigurationException) thrown;
    }

    @Test
    void theThreeVariablesConfigureAnApiKeyClient() {
        String key = Canary.value("blg_live_sk_");

        BigLedgerAuth auth = build(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY,
                "BIGLEDGER_ENVIRONMENT", "production"));

        assertThat(auth.headers().asMap()).containsEntry("Authorization", "Bearer " + key)
                .containsEntry("X-Company-Id", COMPANY);
        assertThat(auth.environment()).isEqualTo(BigLedgerEnvironment.PRODUCTION);
    }

    @Test
    void productionIsTheDefault() {
        BigLedgerAuth auth = build(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_live_sk_"),
                "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(auth.environment()).isEqualTo(BigLedgerEnvironment.PRODUCTION);
    }

    @Test
    void theSandboxIsChosenByName() {
        BigLedgerAuth auth = build(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_test_sk_"),
                "BIGLEDGER_COMPANY_ID", COMPANY, "BIGLEDGER_ENVIRONMENT", "Sandbox"));

        assertThat(auth.environment()).isEqualTo(BigLedgerEnvironment.SANDBOX);
        assertThat(auth.baseUrl()).hasToString("https://api-sandbox.bigledger.com/v1");
    }

    @Test
    void sandboxKeyWithTheEnvironmentUnsetSaysProductionIsTheDefault() {
        BigLedgerConfigurationException e = failure(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_test_sk_"),
                "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(e.problems()).singleElement().extracting(ConfigProblem::message).asString()
                .startsWith("BIGLEDGER_API_KEY: ")
                .contains("blg_test_sk_", "production", "BIGLEDGER_ENVIRONMENT is not set");
    }

    @Test
    void missingSettingsAreAllReported() {
        BigLedgerConfigurationException e = failure(Map.of());

        assertThat(e.problems()).extracting(ConfigProblem::kind)
                .containsExactly(ConfigProblem.Kind.SETTING_MISSING, ConfigProblem.Kind.SETTING_MISSING);
        assertThat(e.getMessage()).contains("BIGLEDGER_API_KEY is not set", "BIGLEDGER_COMPANY_ID is not set",
                "BIGLEDGER_API_KEY_REF");
    }

    @Test
    void aSettingGivenBothWaysIsAConflict() {
        BigLedgerConfigurationException e = failure(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_live_sk_"),
                "BIGLEDGER_API_KEY_REF", "aws-sm:prod/bigledger#api_key", "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(e.problems()).singleElement().extracting(ConfigProblem::kind)
                .isEqualTo(ConfigProblem.Kind.SETTING_CONFLICT);
        assertThat(e.getMessage()).contains("BIGLEDGER_API_KEY and BIGLEDGER_API_KEY_REF are both set");
    }

    @Test
    void anUnknownEnvironmentIsReported() {
        BigLedgerConfigurationException e = failure(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_live_sk_"),
                "BIGLEDGER_COMPANY_ID", COMPANY, "BIGLEDGER_ENVIRONMENT", "staging"));

        assertThat(e.problems()).singleElement().extracting(ConfigProblem::message).asString()
                .contains("BIGLEDGER_ENVIRONMENT", "'staging'", "production or sandbox");
    }

    @Test
    void referencesAreResolvedThroughTheVault() {
        String key = Canary.value("blg_live_sk_");
        awsStandIn.put("prod/bigledger", Secret.of("{\"api_key\":\"" + key + "\",\"company_id\":\"" + COMPANY
                + "\",\"environment\":\"production\"}"));

        BigLedgerAuth auth = build(Map.of("BIGLEDGER_API_KEY_REF", "aws-sm:prod/bigledger#api_key",
                "BIGLEDGER_COMPANY_ID_REF", "aws-sm:prod/bigledger#company_id",
                "BIGLEDGER_ENVIRONMENT_REF", "aws-sm:prod/bigledger#environment"));

        assertThat(auth.headers().authorization()).isEqualTo("Bearer " + key);
        assertThat(auth.companyId()).contains(COMPANY);
        assertThat(auth.toString()).contains("aws-sm:prod/bigledger#api_key").doesNotContain(key);
    }

    @Test
    void aKeyByReferenceIsCheckedAgainstTheEnvironment() {
        awsStandIn.put("prod/bigledger", Secret.of("{\"api_key\":\"" + Canary.value("blg_test_sk_") + "\"}"));

        BigLedgerConfigurationException e = failure(Map.of("BIGLEDGER_API_KEY_REF", "aws-sm:prod/bigledger#api_key",
                "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(e.getMessage()).contains("BIGLEDGER_API_KEY_REF: ", "blg_test_sk_", "production");
    }

    @Test
    void aMalformedReferenceIsReportedWithoutQuotingIt() {
        String pasted = Canary.value("blg_live_sk_");

        BigLedgerConfigurationException e = failure(Map.of("BIGLEDGER_API_KEY_REF", pasted,
                "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(e.getMessage()).contains("BIGLEDGER_API_KEY_REF is not a valid reference").doesNotContain(pasted);
    }

    @Test
    void aMissingReferencedSecretIsTheStoresTypedError() {
        assertThatThrownBy(() -> build(Map.of("BIGLEDGER_API_KEY_REF", "aws-sm:prod/missing#api_key",
                "BIGLEDGER_COMPANY_ID", COMPANY)))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("aws-sm:prod/missing");
    }

    @Test
    void aMalformedCompanyIdIsReportedWithoutQuotingIt() {
        BigLedgerConfigurationException e = failure(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_live_sk_"),
                "BIGLEDGER_COMPANY_ID", "acme corp"));

        assertThat(e.getMessage()).contains("BIGLEDGER_COMPANY_ID: ").doesNotContain("acme corp");
    }

    @Test
    void fromEnvironmentConflictsWithAnExplicitCompanyId() {
        assertThatThrownBy(() -> BigLedgerAuth.builder().fromEnvironment(Map.of()).companyId(COMPANY).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("do not also set companyId");
    }
}
