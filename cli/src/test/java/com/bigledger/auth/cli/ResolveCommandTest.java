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
    void unavailableStoreIsExitCode4OnceTheTimeoutIsOver() {
        // The vault retries a temporary failure until the timeout; which attempt the message quotes may vary.
        CliRun run = CliRun.of(Map.of(), "resolve", "--timeout", "100ms", "fake:down");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.errLines()).singleElement().asString().startsWith(
                "bigledger-auth resolve: cannot resolve fake:down: ");
    }

    @Test
    void timeoutMustBeAPositiveDuration() {
        assertThat(CliRun.of(Map.of(), "resolve", "--timeout", "0s", "env:X").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of(Map.of(), "resolve", "--timeout", "soon", "env:X").err())
                .contains("expected a duration such as 500ms, 10s or 2m");
    }

    @Test
    void timeoutTakesShortAndIsoDurations() {
        String key = FakeKeys.live();
        for (String timeout : new String[] {"500ms", "10s", "2m", "PT1S"}) {
            CliRun run = CliRun.of(Map.of("MY_KEY", key), "resolve", "--timeout", timeout, "env:MY_KEY");
            assertThat(run.exitCode()).as(timeout).isEqualTo(0);
        }
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
        assertThat(run.out()).contains("--reveal", "--timeout=DURATION", "By default, 10s", "Exit codes:",
                "3   the credential was not found");
    }
}
