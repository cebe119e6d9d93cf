package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Fake secret values for the OAuth tests, made by {@link Canary} so that the suite's leak check looks for them in
 * output and logs too, and a check that none of them leaked into an exception.
 */
final class FakeSecrets {

    private FakeSecrets() {
    }

    static String accessToken() {
        return Canary.value("blg_oauth_at_");
    }

    static String refreshToken() {
        return Canary.value("blg_oauth_rt_");
    }

    static String clientSecret() {
        return Canary.value("cs_");
    }

    static String code() {
        return Canary.value("code_");
    }

    /** A random fragment to build an awkward secret from; the caller remembers the whole with Canary. */
    static String random() {
        return Canary.value("");
    }

    /** Checks that no secret appears in the exception, its causes, or its stack trace text. */
    static void assertLeaksNothing(Throwable failure, String... secrets) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String text = trace + " " + failure;
        for (String secret : secrets) {
            // Described, not quoted: a failing assertion must not print the secret either.
            assertThat(text.contains(secret)).as("a secret appears in the exception or its causes").isFalse();
        }
        assertThat(Canary.leaksIn(text)).as("a canary appears in the exception or its causes").isFalse();
    }
}
