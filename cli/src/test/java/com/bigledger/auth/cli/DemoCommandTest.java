package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bigledger-auth demo} runs the library against the API double with no configuration, checks what it shows
 * and prints no secret. One in-process run (about 8 s of real time: the demo runs in real time by design).
 */
class DemoCommandTest {

    private static int count(String output, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(output);
        assertThat(matcher.find()).as("output has /%s/:%n%s", regex, output).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    @Test
    void theDemoRunsWithoutConfigurationPrintsTheCountsItCheckedAndLeavesNothingBehind() {
        // An empty environment: nothing the user has configured is read.
        CliRun run = CliRun.of(Map.of(), "demo");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        String out = run.out();
        // Step 1: every request answered, over at least three tokens of 2 s.
        int calls = count(out, "(\\d+) of \\d+ requests answered 200, with \\d+ access tokens");
        assertThat(count(out, "\\d+ of (\\d+) requests answered 200")).isEqualTo(calls);
        assertThat(count(out, "with (\\d+) access tokens in turn")).isGreaterThanOrEqualTo(3);
        // Step 2: 50 at once, one token request.
        assertThat(count(out, "50 requests at once: (\\d+) answered 200")).isEqualTo(50);
        assertThat(count(out, "answered 200, (\\d+) token request")).isEqualTo(1);
        // Step 3: a 401, one refresh, the retry answered.
        assertThat(count(out, "GET /v1/accounts: (\\d+) requests sent")).isEqualTo(2);
        assertThat(count(out, "(\\d+) refresh in between, answer 200")).isEqualTo(1);
        // Every refresh rotated the refresh token, and each was written back.
        int refreshes = count(out, "(\\d+) refreshes, ");
        assertThat(count(out, "Counts: (\\d+) token requests")).isEqualTo(refreshes);
        assertThat(count(out, "(\\d+) rotated refresh tokens written to the file store")).isEqualTo(refreshes);
        assertThat(out).contains("The file store holds the refresh token the server accepts next: yes")
                .contains("Next, for a real configuration: bigledger-auth doctor")
                // Plain lines when the output is not a terminal.
                .doesNotContain("\r", "\u001b");
        // CliRun has checked that no generated value reached the output; the redacted forms are there instead.
        assertThat(out).contains("Secret[blg_oauth_at_…redacted]", "Secret[blg_oauth_rt_…redacted]");
        // The temporary store, its key and their folder are gone.
        Matcher file = Pattern.compile("file:demo-refresh-token in (\\S+) \\(AES-256-GCM\\)").matcher(out);
        assertThat(file.find()).as(out).isTrue();
        Path store = Path.of(file.group(1));
        assertThat(store.getFileName().toString()).isEqualTo("demo.blgv");
        assertThat(store).doesNotExist();
        assertThat(store.getParent()).doesNotExist();
    }

    @Test
    void onATerminalTheStatusLineIsRewrittenInPlaceAndClearedBeforeEachLine() {
        StringWriter text = new StringWriter();
        Demo.Display display = new Demo.Display(new PrintWriter(text, true), true);

        display.status("  1.0 s of 6 s");
        display.status("  1.2 s of 6 s");
        display.event("   access token #2 in use");
        display.line("done");

        assertThat(text.toString()).isEqualTo("\r\u001b[2K  1.0 s of 6 s\r\u001b[2K  1.2 s of 6 s\r\u001b[2K"
                + "   access token #2 in use" + System.lineSeparator() + "done" + System.lineSeparator());
    }

    @Test
    void inPlainOutputTheStatusLineIsLeftOut() {
        StringWriter text = new StringWriter();
        Demo.Display display = new Demo.Display(new PrintWriter(text, true), false);

        display.status("  1.0 s of 6 s");
        display.line("done");

        assertThat(text.toString()).isEqualTo("done" + System.lineSeparator());
    }
}
