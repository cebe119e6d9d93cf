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
        assertThat(run.out()).contains("demo", "resolve", "doctor", "token", "Exit codes:", "0   success",
                "1   configuration problem", "2   usage error", "3   the credential was not found", "4   other error",
                "5   the token endpoint refused the client");
    }

    @Test
    void badOptionValueIsOneLineAndWhereToGetHelp() {
        CliRun run = CliRun.of(Map.of(), "resolve", "--timeout", "soon", "env:X");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly(
                "bigledger-auth resolve: Invalid value for option '--timeout': expected a duration such as 500ms, "
                        + "10s or 2m: 'soon'",
                "Run 'bigledger-auth resolve --help' for its options.");
    }

    @Test
    void unknownCommandSuggestsOnlyCloseNames() {
        CliRun typo = CliRun.of(Map.of(), "docter");
        CliRun unrelated = CliRun.of(Map.of(), "frobnicate");
        CliRun nested = CliRun.of(Map.of(), "secrets", "lst");

        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.errLines()).containsExactly("bigledger-auth: unknown command 'docter'; did you mean doctor?",
                "Run 'bigledger-auth --help' for the commands.");
        assertThat(unrelated.errLines()).containsExactly("bigledger-auth: unknown command 'frobnicate'",
                "Run 'bigledger-auth --help' for the commands.");
        assertThat(nested.errLines()).containsExactly(
                "bigledger-auth secrets: unknown command 'lst'; did you mean list?",
                "Run 'bigledger-auth secrets --help' for the commands.");
    }

    @Test
    void helpKeepsUrlsAndReferencesWhole() {
        for (String[] command : new String[][] {{"--help"}, {"verify", "--help"}, {"token", "--help"},
                {"login", "--help"}, {"secrets", "--help"}, {"doctor", "--help"}, {"resolve", "--help"},
                {"demo", "--help"}}) {
            java.util.List<String> lines = CliRun.of(Map.of(), command).out().lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i).length()).as(lines.get(i)).isLessThanOrEqualTo(80);
                if (i + 1 < lines.size()) {
                    assertThat(endsInsideAUrlOrReference(lines.get(i), lines.get(i + 1)))
                            .as(String.join(" ", command) + ":%n%s%n%s", lines.get(i), lines.get(i + 1)).isFalse();
                }
            }
        }
    }

    /** Whether a line ends with a scheme, or a word with a slash cut at a dot, slash or colon, and the next goes on. */
    private static boolean endsInsideAUrlOrReference(String line, String next) {
        if (line.isEmpty() || Character.isWhitespace(line.charAt(line.length() - 1))) {
            return false;
        }
        String word = line.substring(line.lastIndexOf(' ') + 1);
        String rest = next.strip();
        boolean continues = !rest.isEmpty() && (Character.isLowerCase(rest.charAt(0))
                || Character.isDigit(rest.charAt(0)) || rest.charAt(0) == '/');
        boolean cut = word.matches("\\(?(https?|file|env|aws-sm|vault):") || word.contains("/")
                && word.matches(".*[./:#]");
        return continues && cut;
    }

    @Test
    void versionIsPrinted() {
        CliRun run = CliRun.of(Map.of(), "--version");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).startsWith("bigledger-auth ");
    }
}
