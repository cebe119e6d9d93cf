package com.bigledger.auth;

/**
 * The tenant keys of {@link TokenManagers} and the reference patterns they are put into: a key is an identifier, so
 * that it cannot add segments to the path it replaces {@code {tenant}} in, and it is shown in a message only when
 * that cannot print a credential. Pure functions.
 */
final class TenantKeys {

    /** What a reference pattern holds once in its path, replaced by the tenant key. */
    static final String PLACEHOLDER = "{tenant}";
    private static final int MAX_KEY_LENGTH = 128;
    /** Invalid keys up to this length, printable and not looking like a credential, are shown in messages. */
    private static final int SHOWN_KEY_LENGTH = 40;

    private TenantKeys() {
    }

    /**
     * Refuses a key that is not an identifier, showing it only when that cannot print a credential.
     *
     * @param tenant the key
     * @throws IllegalArgumentException if the key is not 1 to 128 letters, digits, '.', '_' or '-', starting with
     *     a letter or a digit, without '..'
     */
    static void check(String tenant) {
        int length = tenant.length();
        boolean valid = length > 0 && length <= MAX_KEY_LENGTH && isAlphanumeric(tenant.charAt(0))
                && !tenant.contains("..");
        for (int i = 0; valid && i < length; i++) {
            char c = tenant.charAt(i);
            valid = isAlphanumeric(c) || c == '.' || c == '_' || c == '-';
        }
        if (!valid) {
            throw new IllegalArgumentException("A tenant key must be 1 to " + MAX_KEY_LENGTH + " letters, digits, "
                    + "'.', '_' or '-', starting with a letter or a digit, without '..'; got " + shown(tenant));
        }
    }

    /**
     * Refuses a reference pattern that does not hold {@link #PLACEHOLDER} exactly once in its path (after the
     * scheme's {@code :}, before any {@code ?} or {@code #}), or that is not a reference once a key is put in.
     *
     * @param pattern the pattern
     * @throws IllegalArgumentException if the pattern is refused
     */
    static void checkPattern(String pattern) {
        int at = pattern.indexOf(PLACEHOLDER);
        int end = pattern.length();
        for (char c : new char[] {'?', '#'}) {
            int i = pattern.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        // In the path: after the scheme's colon, so that a key cannot choose the store.
        if (at <= pattern.indexOf(':') || at + PLACEHOLDER.length() > end
                || pattern.indexOf(PLACEHOLDER, at + 1) >= 0) {
            throw new IllegalArgumentException("TokenManagers reference pattern " + pattern + " must hold "
                    + PLACEHOLDER + " once, in its path (before any '?' or '#')");
        }
        // Fails here, not at the first tenant, when the rest of the pattern is not a reference.
        CredentialRef.parse(pattern.replace(PLACEHOLDER, "tenant"));
    }

    /**
     * The tenant's reference: the pattern with the key put in.
     *
     * @param pattern a pattern that {@link #checkPattern} accepted
     * @param tenant a key that {@link #check} accepted
     * @return the reference
     * @throws IllegalArgumentException if the result is not a reference
     */
    static CredentialRef resolve(String pattern, String tenant) {
        try {
            return CredentialRef.parse(pattern.replace(PLACEHOLDER, tenant));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the reference pattern " + pattern + " gives no valid reference for "
                    + "tenant '" + tenant + "': " + e.getMessage());
        }
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static String shown(String key) {
        boolean printable = key.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        boolean credentialLike = Secret.of(key).knownPrefix().isPresent() || key.startsWith("blg_")
                || key.startsWith("Bearer ") || key.startsWith("eyJ");
        if (key.isEmpty()) {
            return "an empty key";
        }
        if (key.length() <= SHOWN_KEY_LENGTH && printable && !credentialLike) {
            return "'" + key + "'";
        }
        return "a key of " + key.length() + " characters (not shown)";
    }
}
