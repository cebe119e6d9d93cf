package com.bigledger.auth.cli;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fake API keys made at run time, so that none is written in the sources and each test has its own. */
final class FakeKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private FakeKeys() {
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
