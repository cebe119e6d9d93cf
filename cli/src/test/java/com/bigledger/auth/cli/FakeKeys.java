package com.bigledger.auth.cli;

import com.bigledger.auth.testing.Canary;

/**
 * Fake API keys made at run time as {@link Canary} values, so that none is written in the sources and the leak
 * check knows each of them.
 */
final class FakeKeys {

    private FakeKeys() {
    }

    static String live() {
        return Canary.value("blg_live_sk_");
    }

    static String test() {
        return Canary.value("blg_test_sk_");
    }

    /** A fake OAuth access token, shaped like BigLedger's. */
    static String accessToken() {
        return Canary.value("blg_oauth_at_");
    }

    /** A fake OAuth client secret. */
    static String clientSecret() {
        return Canary.value("");
    }

    /** A fake secret with no known prefix. */
    static String unprefixed() {
        return Canary.value("");
    }

    /** Tells whether any fake secret made so far is in the text: the value after its prefix, or the whole value. */
    static boolean leakIn(String text) {
        return Canary.leaksIn(text);
    }
}
