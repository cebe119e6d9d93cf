package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompanyIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"company_abc123", "company_A", "company_acme_corp_01"})
    void idsShapedLikeTheDocumentsExamplePassWithoutAWarning(String id) {
        assertThat(CompanyIds.check(id)).isEmpty();
        assertThat(CompanyIds.isWellFormed(id)).isTrue();
        assertThat(CompanyIds.unusual(id)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"acme-corp", "abc123", "Company_abc123", "company-abc123", "company_abc-123",
            "company_", "cmp.9f3e", "company_abc123/eu"})
    void idsOfAnotherShapePassWithAWarningOnly(String id) {
        // The document shows one example and no rule: another shape is no reason to refuse.
        assertThat(CompanyIds.check(id)).isEmpty();
        assertThat(CompanyIds.isWellFormed(id)).isTrue();
        ConfigProblem warning = CompanyIds.unusual(id).orElseThrow();
        assertThat(warning.kind()).isEqualTo(ConfigProblem.Kind.COMPANY_ID_UNUSUAL);
        // One message for all: the id itself is not quoted.
        assertThat(warning.message()).contains("company_abc123", "no rule")
                .isEqualTo(CompanyIds.unusual("x").orElseThrow().message());
    }

    @Test
    void aLongIdPassesWithAWarningOnly() {
        String id = "company_" + "a".repeat(CompanyIds.MAX_LENGTH);
        assertThat(CompanyIds.check(id)).isEmpty();
        assertThat(CompanyIds.unusual(id)).isPresent();
        assertThat(CompanyIds.unusual("company_" + "a".repeat(CompanyIds.MAX_LENGTH - 8))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "company abc", "company_abc123\n", "\tcompany_abc123", "company_\u00e5bc",
            "company_\u0000", "company_abc\u007f"})
    void whatCannotBeAHeaderValueIsRefused(String id) {
        ConfigProblem problem = CompanyIds.check(id).orElseThrow();
        assertThat(problem.kind()).isEqualTo(ConfigProblem.Kind.COMPANY_ID_MALFORMED);
        assertThat(CompanyIds.isWellFormed(id)).isFalse();
    }

    @Test
    void badCharacterIsLocatedWithoutQuotingTheId() {
        ConfigProblem problem = CompanyIds.check("company_ab c").orElseThrow();
        assertThat(problem.message()).contains("character 11", "whitespace").doesNotContain("company_ab c");
    }

    @Test
    void keyInTheCompanyIdIsCalledOutAndNotQuoted() {
        String key = TestKeys.live();
        ConfigProblem problem = CompanyIds.check(key).orElseThrow();
        assertThat(problem.message()).contains("looks like an API key").doesNotContain(key.substring(12));
    }
}
