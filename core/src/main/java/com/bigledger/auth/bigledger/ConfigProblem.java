package com.bigledger.auth.bigledger;

import java.util.Objects;

/**
 * One problem found in a BigLedger configuration by an offline check, such as a sandbox key used against
 * production.
 *
 * <p>A problem is a result, not an exception, so that a caller can collect every problem of a configuration and
 * report them together. The message is one line that names the prefix or the rule involved and never a
 * character of a secret. Immutable and thread-safe.
 *
 * @param kind what is wrong, for callers that react to it
 * @param message a one-line explanation for a person, with a hint at the fix; never a secret
 */
public record ConfigProblem(Kind kind, String message) {

    /** What is wrong. */
    public enum Kind {
        /** The API key is empty or holds whitespace or control characters (often a stray newline). */
        API_KEY_BLANK,
        /** The API key is a key of the other environment: {@code blg_test_sk_} against production or the reverse. */
        API_KEY_WRONG_ENVIRONMENT,
        /** The API key starts with no known BigLedger key prefix. */
        API_KEY_UNKNOWN_PREFIX,
        /** The API key is its prefix alone, with nothing after it. */
        API_KEY_TRUNCATED,
        /**
         * The company id cannot be sent as a header value (empty, whitespace, control or non-ASCII characters), or
         * is a key or token ({@code blg_…}) in the wrong setting.
         */
        COMPANY_ID_MALFORMED,
        /**
         * A warning, never a refusal: the company id is not shaped like the document's example
         * {@code company_abc123}; BigLedger documents no rule, so it is sent as it is.
         */
        COMPANY_ID_UNUSUAL,
        /** A required setting is missing, such as {@code BIGLEDGER_API_KEY} and its {@code _REF} form. */
        SETTING_MISSING,
        /** A setting is given twice, such as both {@code BIGLEDGER_API_KEY} and {@code BIGLEDGER_API_KEY_REF}. */
        SETTING_CONFLICT,
        /** A setting's value is unusable: an unknown environment name, a malformed reference. */
        SETTING_INVALID,
        /** A setting's reference could not be loaded: no such secret, access refused, the store unavailable. */
        SETTING_UNAVAILABLE
    }

    /**
     * Creates a problem.
     *
     * @param kind what is wrong
     * @param message the problem in words, naming the setting and never a secret
     * @throws NullPointerException if an argument is {@code null}
     */
    public ConfigProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
