package com.bigledger.auth.testing;

import com.bigledger.auth.Secret;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fake secret values made at run time and remembered, so that {@link LeakCheckExtension} can prove none of them
 * reached test output, a log line or an exception message. Thread-safe.
 */
public final class Canary {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> ISSUED = ConcurrentHashMap.newKeySet();

    private Canary() {
    }

    /**
     * A fresh fake value: {@code prefix} followed by random characters that appear nowhere else.
     *
     * @param prefix a known, non-secret prefix such as {@code blg_test_sk_}, or empty
     * @return the value, remembered for leak checks
     */
    public static String value(String prefix) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String value = prefix + "cnry" + HexFormat.of().formatHex(random);
        ISSUED.add(value);
        ISSUED.add(value.substring(prefix.length()));
        return value;
    }

    /**
     * A fresh fake value as a {@link Secret}.
     *
     * @param prefix a known, non-secret prefix, or empty
     * @return the secret
     */
    public static Secret secret(String prefix) {
        return Secret.of(value(prefix));
    }

    /**
     * Registers a value made elsewhere (by a fake server, say) so that leak checks look for it too.
     *
     * @param value the value
     * @return the value
     */
    public static String remember(String value) {
        if (value.length() >= 8) {
            ISSUED.add(value);
        }
        return value;
    }

    /**
     * Returns whether {@code text} contains any value issued so far.
     *
     * @param text the text to scan, or {@code null} (an exception's missing message, say), which holds none
     * @return {@code true} if a canary is in it
     */
    public static boolean leaksIn(CharSequence text) {
        if (text == null || text.length() == 0) {
            return false;
        }
        String haystack = text.toString();
        for (String value : ISSUED) {
            if (haystack.contains(value)) {
                return true;
            }
        }
        return false;
    }
}
