package com.bigledger.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Fake secret values made at run time, and a check that none of them leaked into an exception. */
final class FakeSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FakeSecrets() {
    }

    static String accessToken() {
        return "blg_oauth_at_" + hex(16);
    }

    static String refreshToken() {
        return "blg_oauth_rt_" + hex(16);
    }

    static String clientSecret() {
        return "fake_cs_" + hex(16);
    }

    static String code() {
        return "fake_code_" + hex(12);
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Checks that no secret appears in the exception, its causes and suppressed ones, or its stack trace text. */
    static void assertLeaksNothing(Throwable failure, String... secrets) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String text = trace + " " + failure;
        for (String secret : secrets) {
            // Described, not quoted: a failing assertion must not print the secret either.
            assertThat(text.contains(secret)).as("a secret appears in the exception or its causes").isFalse();
        }
    }
}
