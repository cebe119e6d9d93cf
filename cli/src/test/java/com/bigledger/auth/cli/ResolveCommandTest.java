package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolveCommandTest {

    @Test
    void printsTheReferenceAndTheRedactedValueByDefault() {
        String key = FakeKeys.live();

        CliRun run = CliRun.of(Map.of("MY_KEY", key), "resolve", "env:MY_KEY");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("reference  env:MY_KEY\nvalue      Secret[blg_live_sk_…redacted]\n");
        assertThat(run.err()).isEmpty();
        assertThat(FakeKeys.leakIn(run.all())).as("a fake secret is in the output").isFalse();
    }

    @Test
    void valueWithNoKnownPrefixIsFullyRedacted() {
        String value = FakeKeys.unprefixed();

        CliRun run = CliRun.of(Map.of("TOKEN", value), "resolve", "env:TOKEN");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("Secret[redacted]");
        assertThat(FakeKeys.leakIn(run.all())).as("a fake secret is in the output").isFalse();
    }

    @Test
    void revealPrintsTheValueAloneFollowedByANewline() {
        String key = FakeKeys.live();

        CliRun run = CliRun.of(Map.of("MY_KEY", key), "resolve", "--reveal", "env:MY_KEY");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo(key + "\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aFieldOfAJsonValueIsResolved() {
        String key = FakeKeys.test();
        String json = "{\"api_key\":\"" + key + "\",\"other\":\"" + FakeKeys.unprefixed() + "\"}";

        CliRun run = CliRun.of(Map.of("BUNDLE", json), "resolve", "--reveal", "env:BUNDLE#api_key");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo(key + "\n");
    }

    @Test
    void theStoresVersionIsShownWhenItKeepsOne() {
        String key = FakeKeys.live();
        FakeStoreProvider.put("prod/api-key", key, "v7");

        CliRun run = CliRun.of(Map.of(), "resolve", "fake:prod/api-key");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("reference  fake:prod/api-key\nversion    v7\n"
                + "value      Secret[blg_live_sk_…redacted]\n");
    }

    @Test
    void missingVariableIsOneLineNamingTheReferenceWithExitCode3() {
        CliRun run = CliRun.of(Map.of("OTHER", FakeKeys.live()), "resolve", "env:MISSING_VAR");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth resolve: cannot resolve env:MISSING_VAR: ");
    }

    @Test
    void unavailableStoreIsExitCode4() {
        CliRun run = CliRun.of(Map.of(), "resolve", "fake:down");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.errLines()).singleElement().asString()
                .contains("cannot resolve fake:down", "the fake store is down");
    }

    @Test
    void refusedAccessIsExitCode4() {
        CliRun run = CliRun.of(Map.of(), "resolve", "fake:denied");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.errLines()).singleElement().asString().contains("fake:denied", "refused");
    }

    @Test
    void schemeWithNoStoreIsExitCode4() {
        CliRun run = CliRun.of(Map.of(), "resolve", "nosuchstore:some/secret");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.errLines()).singleElement().asString().contains("nosuchstore:some/secret");
    }

    @Test
    void malformedReferenceIsAUsageErrorThatDoesNotQuoteIt() {
        String key = FakeKeys.live();

        CliRun run = CliRun.of(Map.of(), "resolve", key);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth resolve: ")
                .contains("position 0");
        assertThat(FakeKeys.leakIn(run.all())).as("a fake secret is in the output").isFalse();
    }

    @Test
    void missingReferenceIsAUsageError() {
        CliRun run = CliRun.of(Map.of(), "resolve");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required parameter: 'REF'");
    }

    @Test
    void helpListsTheExitCodes() {
        CliRun run = CliRun.of(Map.of(), "resolve", "--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("--reveal", "Exit codes:", "3   the credential was not found");
    }
}
