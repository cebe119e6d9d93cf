package com.bigledger.auth.bigledger;

import java.util.Objects;
import java.util.Optional;

/**
 * Offline check of a BigLedger company id, the value of the {@code X-Company-Id} header.
 *
 * <p>A company id is {@code company_} followed by one or more ASCII letters, digits and underscores, at most
 * {@value #MAX_LENGTH} characters in all, such as {@code company_abc123}. A malformed id would be refused by the API with a 422
 * {@code INVALID_COMPANY}; the check says which rule it breaks. A malformed value is never quoted in the message,
 * since a value in the wrong variable may be a key. Thread-safe.
 */
public final class CompanyIds {

    /** The longest company id accepted, prefix included. */
    public static final int MAX_LENGTH = 64;

    private static final String PREFIX = "company_";

    private CompanyIds() {
    }

    /**
     * Checks the form of a company id.
     *
     * @param companyId the id, such as {@code company_abc123}
     * @return the problem found, or empty when the id is well formed; whether the company exists and the key may
     *     act for it only the API can tell
     * @throws NullPointerException if {@code companyId} is {@code null}
     */
    public static Optional<ConfigProblem> check(String companyId) {
        Objects.requireNonNull(companyId, "companyId");
        if (companyId.isEmpty()) {
            return malformed("the company id is empty");
        }
        if (companyId.regionMatches(true, 0, "blg_", 0, 4)) {
            return malformed("the company id looks like an API key or token (it starts with blg_), not like "
                    + "company_abc123");
        }
        if (!companyId.startsWith(PREFIX)) {
            return malformed("the company id does not start with " + PREFIX + " (expected the form "
                    + "company_abc123)");
        }
        if (companyId.length() == PREFIX.length()) {
            return malformed("the company id has nothing after " + PREFIX);
        }
        if (companyId.length() > MAX_LENGTH) {
            return malformed("the company id is " + companyId.length() + " characters long, more than "
                    + MAX_LENGTH);
        }
        for (int i = PREFIX.length(); i < companyId.length(); i++) {
            char c = companyId.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_';
            if (!allowed) {
                return malformed("character " + (i + 1) + " of the company id is not a letter, digit or '_'");
            }
        }
        return Optional.empty();
    }

    /**
     * Tells whether a company id is well formed, as {@link #check} defines it.
     *
     * @param companyId the id
     * @return {@code true} when {@link #check} finds no problem
     */
    public static boolean isWellFormed(String companyId) {
        return check(companyId).isEmpty();
    }

    private static Optional<ConfigProblem> malformed(String message) {
        return Optional.of(new ConfigProblem(ConfigProblem.Kind.COMPANY_ID_MALFORMED, message));
    }
}
