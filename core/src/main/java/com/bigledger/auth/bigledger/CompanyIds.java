package com.bigledger.auth.bigledger;

import java.util.Objects;
import java.util.Optional;

/**
 * Offline check of a BigLedger company id, the value of the {@code X-Company-Id} header.
 *
 * <p>The BigLedger document shows one example, {@code company_abc123}, and states no rule, so a company id of
 * another shape is used as it is: {@link #check} refuses only what cannot be sent as a header value (an empty id,
 * whitespace, control or non-ASCII characters) and an id that starts with {@code blg_}, the prefix of every
 * BigLedger key and token, since such a value is a credential in the wrong setting and a company id is shown in
 * messages. {@link #unusual} says when an id differs from the example's shape ({@code company_} followed by
 * letters, digits and underscores, at most {@value #MAX_LENGTH} characters), for a diagnostic tool to report as a
 * warning. A refused value is never quoted in the message. Thread-safe.
 */
final class CompanyIds {

    /** The length above which a company id is reported as {@linkplain #unusual unusual}; never a refusal. */
    static final int MAX_LENGTH = 64;

    private static final String PREFIX = "company_";

    private CompanyIds() {
    }

    /**
     * Checks that a company id can be sent as the {@code X-Company-Id} header.
     *
     * @param companyId the id, such as {@code company_abc123}
     * @return the problem found, or empty when the id can be sent; whether the company exists and the key may act
     *     for it only the API can tell
     * @throws NullPointerException if {@code companyId} is {@code null}
     */
    static Optional<ConfigProblem> check(String companyId) {
        Objects.requireNonNull(companyId, "companyId");
        if (companyId.isEmpty()) {
            return malformed("the company id is empty");
        }
        if (companyId.regionMatches(true, 0, "blg_", 0, 4)) {
            return malformed("the company id looks like an API key or token (it starts with blg_), not like "
                    + "company_abc123");
        }
        for (int i = 0; i < companyId.length(); i++) {
            char c = companyId.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                String what = Character.isWhitespace(c) || Character.isSpaceChar(c) ? "whitespace"
                        : Character.isISOControl(c) ? "a control character" : "not ASCII";
                return malformed("character " + (i + 1) + " of the company id is " + what + ", which cannot be "
                        + "sent in the X-Company-Id header");
            }
        }
        return Optional.empty();
    }

    /**
     * Tells whether a company id differs from the shape of the document's example, {@code company_abc123}. The
     * document states no rule, so this is a hint for a person (a value from the wrong setting, say), never a
     * reason to refuse the id.
     *
     * @param companyId an id that passes {@link #check}
     * @return a {@link ConfigProblem.Kind#COMPANY_ID_UNUSUAL} warning, or empty when the id looks like the example
     * @throws NullPointerException if {@code companyId} is {@code null}
     */
    static Optional<ConfigProblem> unusual(String companyId) {
        Objects.requireNonNull(companyId, "companyId");
        boolean likeTheExample = companyId.startsWith(PREFIX) && companyId.length() > PREFIX.length()
                && companyId.length() <= MAX_LENGTH && companyId.chars().skip(PREFIX.length())
                .allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
        if (likeTheExample) {
            return Optional.empty();
        }
        return Optional.of(new ConfigProblem(ConfigProblem.Kind.COMPANY_ID_UNUSUAL, "the company id does not look "
                + "like the document's example company_abc123 (company_, then up to " + (MAX_LENGTH - PREFIX.length())
                + " letters, digits or _); BigLedger documents no rule, so it is sent as it is: check it against "
                + "Settings > Company Profile in the dashboard"));
    }

    /**
     * Tells whether a company id can be sent, as {@link #check} defines it.
     *
     * @param companyId the id
     * @return {@code true} when {@link #check} finds no problem
     */
    static boolean isWellFormed(String companyId) {
        return check(companyId).isEmpty();
    }

    private static Optional<ConfigProblem> malformed(String message) {
        return Optional.of(new ConfigProblem(ConfigProblem.Kind.COMPANY_ID_MALFORMED, message));
    }
}
