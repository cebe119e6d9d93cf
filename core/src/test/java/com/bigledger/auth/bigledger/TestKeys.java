package com.bigledger.auth.bigledger;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fake API keys made at run time, so that no key-shaped literal lives in the sources. */
final class TestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    static String randomHex() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static String live() {
        return "blg_live_sk_" + randomHex();
    }

    static String test() {
        return "blg_test_sk_" + randomHex();
    }
}
