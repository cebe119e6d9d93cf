package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    private static final String COMPANY = "company_abc123";

    private final FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional");

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun verify(Map<String, String> environment, String... extra) {
        String[] args = new String[extra.length + 4];
        args[0] = "verify";
        args[1] = "--base-url";
        args[2] = api.baseUrl().toString();
        args[3] = "--allow-insecure-loopback";
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliRun run = CliRun.of(environment, args);
        assertThat(Canary.leaksIn(run.all())).as("a fake secret is in the output").isFalse();
        return run;
    }

    @Test
    void acceptedCredentialsPrintTheCompanyPlanAndPermissions() {
        String key = api.issueApiKey(COMPANY, "read:accounts", "write:invoices", "read:customers");

        CliRun run = verify(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(""
                + "environment  production\n"
                + "base url     " + api.baseUrl() + "\n"
                + "company      company_abc123 (Acme Corporation)\n"
                + "plan         professional\n"
                + "permissions  read:accounts, write:invoices, read:customers\n"
                + "ok: the BigLedger API accepted the credentials\n");
        assertThat(api.requests("/v1/auth/verify")).singleElement()
                .satisfies(r -> assertThat(r.header("X-Company-Id")).contains(COMPANY));
    }

    @Test
    void aWrongKeyExitsWith5AndTheTypedError() {
        api.issueApiKey(COMPANY);

        CliRun run = verify(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_live_sk_"), "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth verify: BigLedger API request to ")
                .contains("HTTP 401 UNAUTHORIZED (Invalid or missing API key)");
    }

    @Test
    void anotherCompanyExitsWith6() {
        api.company("company_other", "Other Ltd", "starter");
        String key = api.issueApiKey(COMPANY);

        CliRun run = verify(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", "company_other"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FORBIDDEN);
        assertThat(run.err()).contains("HTTP 403 FORBIDDEN");
    }

    @Test
    void anUnknownCompanyExitsWith7() {
        String key = api.issueApiKey(COMPANY);

        CliRun run = verify(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", "company_unknown"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_COMPANY);
        assertThat(run.err()).contains("HTTP 422 INVALID_COMPANY (Company ID is required or invalid)");
    }

    @Test
    void aSandboxKeyInProductionIsAConfigurationProblemAndNothingIsSent() {
        CliRun run = verify(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_test_sk_"), "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_API_KEY: ")
                .contains("blg_test_sk_", "production", "BIGLEDGER_ENVIRONMENT is not set");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void missingSettingsAreListedTogether() {
        CliRun run = verify(Map.of());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.PROBLEMS);
        assertThat(run.errLines()).hasSize(2);
        assertThat(run.err()).contains("BIGLEDGER_API_KEY is not set", "BIGLEDGER_COMPANY_ID is not set");
    }

    @Test
    void theKeyMayComeThroughAReference() {
        String key = api.issueApiKey(COMPANY, "read:accounts");

        CliRun run = verify(Map.of("BIGLEDGER_API_KEY_REF", "env:ROTATED_KEY", "ROTATED_KEY", key,
                "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("permissions  read:accounts");
    }

    @Test
    void settingsInADotenvFileCount(@TempDir Path dir) throws IOException {
        String key = api.issueApiKey(COMPANY);
        Path dotenv = dir.resolve(".env");
        Files.writeString(dotenv, "BIGLEDGER_API_KEY=" + key + "\nBIGLEDGER_COMPANY_ID=" + COMPANY + "\n");

        CliRun run = verify(Map.of("BIGLEDGER_DOTENV", dotenv.toString()));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("permissions  (none)");
    }

    @Test
    void anUnreachableApiExitsWith4() {
        String key = api.issueApiKey(COMPANY);
        api.enqueue("/v1/auth/verify", Response.body(503, "text/html", "<html>maintenance</html>"));

        CliRun run = verify(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("HTTP 503", "not the BigLedger error envelope").doesNotContain("maintenance");
    }

    @Test
    void anHttpBaseUrlNeedsTheLoopbackFlag() {
        Map<String, String> environment = new HashMap<>();
        environment.put("BIGLEDGER_API_KEY", api.issueApiKey(COMPANY));
        environment.put("BIGLEDGER_COMPANY_ID", COMPANY);

        CliRun run = CliRun.of(environment, "verify", "--base-url", api.baseUrl().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().contains("uses http", "--allow-insecure-loopback");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void helpListsTheVerifyExitCodes() {
        CliRun run = CliRun.of(Map.of(), "verify", "--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("--base-url", "--allow-insecure-loopback", "6   verify: the API refused",
                "7   verify: the credentials may not", "8   verify: the company id");
    }

    @Test
    void theMainHelpListsVerifyAndItsExitCodes() {
        CliRun run = CliRun.of(Map.of(), "--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("verify", "1   configuration problem: doctor found problems", "6   verify: the API refused",
                "7   verify: the credentials may not", "8   verify: the company id");
    }
}
