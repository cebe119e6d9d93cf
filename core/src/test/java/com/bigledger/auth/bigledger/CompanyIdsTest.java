package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompanyIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"company_abc123", "company_A", "company_acme_corp_01"})
    void wellFormedIdsPass(String id) {
        assertThat(CompanyIds.check(id)).isEmpty();
        assertThat(CompanyIds.isWellFormed(id)).isTrue();
    }

    @Test
    void idOfTheMaximumLengthPasses() {
        String id = "company_" + "a".repeat(CompanyIds.MAX_LENGTH - 8);
        assertThat(CompanyIds.check(id)).isEmpty();
    }

    @Test
    void tooLongIdIsMalformed() {
        String id = "company_" + "a".repeat(CompanyIds.MAX_LENGTH - 7);
        assertThat(CompanyIds.check(id).orElseThrow().message()).contains("65 characters", "64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "company_", "abc123", "Company_abc123", "company-abc123", "company_abc 123",
            "company_abc-123", "company_abc123\n", "company_åbc"})
    void malformedIdsAreReportedAsSuch(String id) {
        ConfigProblem problem = CompanyIds.check(id).orElseThrow();
        assertThat(problem.kind()).isEqualTo(ConfigProblem.Kind.COMPANY_ID_MALFORMED);
        assertThat(CompanyIds.isWellFormed(id)).isFalse();
    }

    @Test
    void badCharacterIsLocatedWithoutQuotingTheId() {
        ConfigProblem problem = CompanyIds.check("company_ab-c").orElseThrow();
        assertThat(problem.message()).contains("character 11").doesNotContain("company_ab-c");
    }

    @Test
    void keyInTheCompanyIdIsCalledOutAndNotQuoted() {
        String key = TestKeys.live();
        ConfigProblem problem = CompanyIds.check(key).orElseThrow();
        assertThat(problem.message()).contains("looks like an API key").doesNotContain(key.substring(12));
    }
}
