package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void noCommandIsAUsageErrorThatShowsTheCommands() {
        CliRun run = CliRun.of(Map.of());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Missing required subcommand", "resolve", "doctor", "token");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun run = CliRun.of(Map.of(), "doctor", "--verify");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Unknown option: '--verify'");
    }

    @Test
    void helpListsTheCommandsAndEveryExitCode() {
        CliRun run = CliRun.of(Map.of(), "--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("resolve", "doctor", "token", "Exit codes:", "0   success",
                "1   doctor found problems", "2   usage error", "3   the credential was not found", "4   other error",
                "5   the token endpoint refused the client");
    }

    @Test
    void versionIsPrinted() {
        CliRun run = CliRun.of(Map.of(), "--version");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).startsWith("bigledger-auth ");
    }
}
