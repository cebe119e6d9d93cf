package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerConfigurationException;
import com.bigledger.auth.testing.Canary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {

    private static final String COMPANY = "company_abc123";

    @Test
    void goodProductionConfigurationPassesAndIsReportedRedacted() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(""
                + "environment  production (the default: BIGLEDGER_ENVIRONMENT is not set)\n"
                + "base url     https://api.bigledger.com/v1\n"
                + "api key      Secret[blg_live_sk_…redacted] (from BIGLEDGER_API_KEY)\n"
                + "company id   company_abc123 (from BIGLEDGER_COMPANY_ID)\n"
                + "user agent   set in code with userAgent(\"MyApp/1.0.0 (https://myapp.com)\"), as the BigLedger "
                + "document asks; without one, requests send " + BigLedgerAuth.libraryProduct() + " alone and a "
                + "warning is logged when the client is built\n"
                + "if 403       FORBIDDEN from the API: check the key's permissions or the token's scopes, the "
                + "company, and the key's IP allow-list (Settings > API Keys > the key: is this server's address on "
                + "it?)\n"
                + "ok: no problem found (offline checks; the key was not sent to the BigLedger API)\n");
        assertNoSecretIn(run);
    }

    @Test
    void goodSandboxConfigurationPasses() {
        String key = FakeKeys.test();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY,
                "BIGLEDGER_ENVIRONMENT", "SANDBOX"));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("environment  sandbox (from BIGLEDGER_ENVIRONMENT)",
                "base url     https://api-sandbox.bigledger.com/v1");
        assertNoSecretIn(run);
    }

    @Test
    void sandboxKeyIsRefusedInProduction() {
        String key = FakeKeys.test();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_API_KEY: ")
                .contains("blg_test_sk_", "sandbox", "production", "BIGLEDGER_ENVIRONMENT is not set");
        assertThat(run.out()).endsWith("1 problem found\n");
        assertNoSecretIn(run);
    }

    @Test
    void productionKeyIsRefusedInSandbox() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY,
                "BIGLEDGER_ENVIRONMENT", "sandbox"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString()
                .contains("blg_live_sk_", "production", "sandbox")
                .doesNotContain("is not set");
        assertNoSecretIn(run);
    }

    @Test
    void keyWithAnUnknownPrefixIsAProblem() {
        String key = Canary.value("sk_live_");

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.out()).contains("api key      Secret[redacted]");
        assertThat(run.errLines()).singleElement().asString().contains("does not start with blg_live_sk_");
        assertNoSecretIn(run);
    }

    @Test
    void keyWithATrailingNewlineIsAProblem() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key + "\n", "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString().contains("whitespace");
        assertNoSecretIn(run);
    }

    @Test
    void missingApiKeyIsAProblem() {
        CliRun run = doctor(Map.of("BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.out()).contains("api key      missing");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_API_KEY is not set");
    }

    @Test
    void emptyApiKeyIsReportedAsEmptyNotUnset() {
        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", "", "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.out()).contains("api key      empty");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_API_KEY is set but empty");
    }

    @Test
    void missingCompanyIdIsAProblem() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.out()).contains("company id   missing");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_COMPANY_ID is not set");
        assertNoSecretIn(run);
    }

    @Test
    void companyIdThatCannotBeAHeaderValueIsAProblemAndIsNotShown() {
        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", FakeKeys.live(), "BIGLEDGER_COMPANY_ID", "acme corp"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.out()).contains("company id   malformed, not shown (from BIGLEDGER_COMPANY_ID)");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_COMPANY_ID: ")
                .contains("whitespace");
        assertThat(run.all()).doesNotContain("acme corp");
    }

    @Test
    void companyIdOfAnotherShapeThanTheExampleIsAWarningNotAProblem() {
        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", FakeKeys.live(), "BIGLEDGER_COMPANY_ID", "acme-corp.42"));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("company id   acme-corp.42 (from BIGLEDGER_COMPANY_ID)", "ok: no problem found");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("warning: BIGLEDGER_COMPANY_ID: ")
                .contains("company_abc123", "no rule");
    }

    @Test
    void companyIdWithATrailingSpaceIsReadAsAServiceReadsIt() {
        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", FakeKeys.live(), "BIGLEDGER_COMPANY_ID", COMPANY + " ",
                "BIGLEDGER_ENVIRONMENT", " production\n"));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("environment  production (from BIGLEDGER_ENVIRONMENT)",
                "company id   company_abc123 (from BIGLEDGER_COMPANY_ID)");
    }

    @Test
    void doctorPassesExactlyTheConfigurationsTheLibraryAccepts() {
        String live = FakeKeys.live();
        List<Map<String, String>> configurations = List.of(
                Map.of("BIGLEDGER_API_KEY", live, "BIGLEDGER_COMPANY_ID", COMPANY),
                Map.of("BIGLEDGER_API_KEY", live, "BIGLEDGER_COMPANY_ID", " " + COMPANY + "\t"),
                Map.of("BIGLEDGER_API_KEY", live, "BIGLEDGER_COMPANY_ID", "acme-42"),
                Map.of("BIGLEDGER_API_KEY", live, "BIGLEDGER_COMPANY_ID", "acme 42"),
                Map.of("BIGLEDGER_API_KEY", live, "BIGLEDGER_COMPANY_ID", "company_\u00e5"),
                Map.of("BIGLEDGER_API_KEY", live, "BIGLEDGER_COMPANY_ID", COMPANY, "BIGLEDGER_ENVIRONMENT", "Sandbox "),
                Map.of("BIGLEDGER_API_KEY", FakeKeys.test(), "BIGLEDGER_COMPANY_ID", COMPANY,
                        "BIGLEDGER_ENVIRONMENT", " sandbox"),
                Map.of("BIGLEDGER_API_KEY", live + " ", "BIGLEDGER_COMPANY_ID", COMPANY),
                Map.of("BIGLEDGER_API_KEY", live, "BIGLEDGER_COMPANY_ID", live));

        for (Map<String, String> configuration : configurations) {
            boolean libraryAccepts;
            try (BigLedgerAuth auth = BigLedgerAuth.builder().fromEnvironment(configuration).build()) {
                libraryAccepts = auth.companyId().isPresent();
            } catch (BigLedgerConfigurationException e) {
                com.bigledger.auth.testing.LeakAssertions.check(e);
                libraryAccepts = false;
            }
            CliRun run = doctor(configuration);
            assertThat(run.exitCode() == 0).as("doctor passes %s", configuration.keySet() + " #"
                    + configurations.indexOf(configuration)).isEqualTo(libraryAccepts);
            assertNoSecretIn(run);
        }
    }

    @Test
    void keyPutInTheCompanyIdVariableIsNeverPrinted() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", key));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString().contains("looks like an API key");
        assertNoSecretIn(run);
    }

    @Test
    void unknownEnvironmentIsAProblemAndTheKeyIsStillChecked() {
        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", "  ", "BIGLEDGER_COMPANY_ID", COMPANY,
                "BIGLEDGER_ENVIRONMENT", "staging"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.out()).contains("environment  unknown (from BIGLEDGER_ENVIRONMENT)").doesNotContain("base url");
        assertThat(run.errLines()).containsExactly(
                "problem: BIGLEDGER_ENVIRONMENT: Unknown BigLedger environment 'staging': expected production or "
                        + "sandbox",
                "problem: BIGLEDGER_API_KEY: the API key is empty or contains whitespace or control characters (a "
                        + "stray newline or space?)");
        assertThat(run.out()).endsWith("2 problems found\n");
    }

    @Test
    void everyProblemIsReportedOnItsOwnLine() {
        CliRun run = doctor(Map.of("BIGLEDGER_ENVIRONMENT", "live"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).hasSize(3).allSatisfy(line -> assertThat(line).startsWith("problem: "));
        assertThat(run.out()).endsWith("3 problems found\n");
    }

    @Test
    void apiKeyIsResolvedFromAReference() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY_REF", "env:OTHER_VAR", "OTHER_VAR", key,
                "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains(
                "api key      Secret[blg_live_sk_…redacted] (from BIGLEDGER_API_KEY_REF=env:OTHER_VAR)");
        assertNoSecretIn(run);
    }

    @Test
    void everySettingMayComeFromAVersionedStore() {
        String key = FakeKeys.test();
        FakeStoreProvider.put("doctor/api-key", key, "3");
        FakeStoreProvider.put("doctor/company", COMPANY, "12");
        FakeStoreProvider.put("doctor/environment", "sandbox", "1");

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY_REF", "fake:doctor/api-key",
                "BIGLEDGER_COMPANY_ID_REF", "fake:doctor/company",
                "BIGLEDGER_ENVIRONMENT_REF", "fake:doctor/environment"));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains(
                "environment  sandbox (from BIGLEDGER_ENVIRONMENT_REF=fake:doctor/environment, version 1)",
                "api key      Secret[blg_test_sk_…redacted] (from BIGLEDGER_API_KEY_REF=fake:doctor/api-key, "
                        + "version 3)",
                "company id   company_abc123 (from BIGLEDGER_COMPANY_ID_REF=fake:doctor/company, version 12)");
        assertNoSecretIn(run);
    }

    @Test
    void referenceThatFailsToResolveIsAProblemWithTheErrorsMessage() {
        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY_REF", "env:NOT_THERE", "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.out()).contains("api key      unknown");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_API_KEY_REF: env:NOT_THERE");
    }

    @Test
    void unavailableStoreIsAProblemOnceTheTimeoutIsOver() {
        CliRun run = CliRun.of(Map.of("BIGLEDGER_API_KEY", FakeKeys.live(), "BIGLEDGER_COMPANY_ID_REF", "fake:down"),
                "doctor", "--timeout", "100ms");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_COMPANY_ID_REF: fake:down: ");
    }

    @Test
    void refusedAccessIsAProblem() {
        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY_REF", "fake:denied", "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString()
                .isEqualTo("problem: BIGLEDGER_API_KEY_REF: fake:denied: the fake store refused access");
    }

    @Test
    void malformedReferenceIsAProblemThatDoesNotQuoteIt() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY_REF", key, "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        // The library's own wording: doctor and BigLedgerAuth share one reader.
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_API_KEY_REF is not a valid reference")
                .contains("position 0");
        assertNoSecretIn(run);
    }

    @Test
    void variableAndItsReferenceBothSetIsAProblem() {
        String key = FakeKeys.live();

        CliRun run = doctor(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_API_KEY_REF", "env:OTHER",
                "OTHER", key, "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).containsExactly(
                "problem: BIGLEDGER_API_KEY and BIGLEDGER_API_KEY_REF are both set; set only one");
        assertNoSecretIn(run);
    }

    @Test
    void environmentSetTwiceIsAProblem() {
        Map<String, String> env = new HashMap<>();
        env.put("BIGLEDGER_API_KEY", FakeKeys.live());
        env.put("BIGLEDGER_COMPANY_ID", COMPANY);
        env.put("BIGLEDGER_ENVIRONMENT", "production");
        env.put("BIGLEDGER_ENVIRONMENT_REF", "env:BIGLEDGER_ENVIRONMENT");

        CliRun run = doctor(env);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString().contains("both set");
    }

    @Test
    void variablesFromTheDotenvFileNamedByBigledgerDotenvCount(@TempDir Path dir) throws IOException {
        String key = FakeKeys.test();
        Path file = dir.resolve(".env");
        Files.writeString(file, "# local development\nBIGLEDGER_API_KEY=" + key + "\nBIGLEDGER_COMPANY_ID="
                + COMPANY + "\nBIGLEDGER_ENVIRONMENT=sandbox\n");

        CliRun run = doctor(Map.of("BIGLEDGER_DOTENV", file.toString()));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("api key      Secret[blg_test_sk_…redacted] (from BIGLEDGER_API_KEY)");
        assertNoSecretIn(run);
    }

    @Test
    void malformedDotenvFileIsOneProblemThatDoesNotQuoteIt(@TempDir Path dir) throws IOException {
        String key = FakeKeys.live();
        Path file = dir.resolve(".env");
        Files.writeString(file, "BIGLEDGER_COMPANY_ID=" + COMPANY + "\n" + key + "\n");

        CliRun run = doctor(Map.of("BIGLEDGER_DOTENV", file.toString()));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: the environment cannot be read: ")
                .contains("line 2");
        assertNoSecretIn(run);
    }

    private static CliRun doctor(Map<String, String> environment) {
        return CliRun.of(environment, "doctor");
    }

    private static void assertNoSecretIn(CliRun run) {
        // The part after the known prefix is the secret; the prefix alone may be shown.
        assertThat(FakeKeys.leakIn(run.all())).as("a fake secret is in the output").isFalse();
    }
}
