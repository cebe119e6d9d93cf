package com.bigledger.auth;

/**
 * Where a {@link TokenManager}'s refresh token lives: in memory only ({@code vault} and {@code ref} {@code null},
 * {@code initial} set), in a store ({@code refreshToken(vault, ref)}), or in a token record that a fleet shares
 * ({@code record}).
 */
record RefreshTokenStorage(CredentialVault vault, CredentialRef ref, Secret initial, boolean record) {

    /** The storage's name, as the builder's messages and the manager's {@code toString} show it. */
    String name() {
        return record ? "RECORD" : "REFRESH_TOKEN";
    }

    /** Shows where, never the token. */
    @Override
    public String toString() {
        return name() + (ref == null ? "[in memory]" : "[" + ref + "]");
    }
}
