package com.bigledger.auth;

import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a {@link TokenManager}'s refresh token lives: in memory only ({@code vault} and {@code ref} {@code null},
 * {@code initial} set), in a store ({@code refreshToken(vault, ref)}), or in a token record that a fleet shares
 * ({@code record}); and the reading of a stored one, for any grant that is given a refresh token.
 */
record RefreshTokenStorage(CredentialVault vault, CredentialRef ref, Secret initial, boolean record) {

    private static final Logger LOG = LoggerFactory.getLogger(TokenManager.class);

    /** The storage's name, as the builder's messages and the manager's {@code toString} show it. */
    String name() {
        return record ? "RECORD" : "REFRESH_TOKEN";
    }

    /**
     * The refresh token to present: the one held in memory, else the store's.
     *
     * @throws ReauthenticationRequiredException if the store holds none
     * @throws TokenRefreshException if the store could not be read
     */
    Secret current(RefreshTokenWriteBack held, URI endpoint) {
        Secret inMemory = held.held();
        if (inMemory != null) {
            return inMemory;
        }
        VersionedSecret stored;
        try {
            stored = vault.resolve(ref);
        } catch (CredentialNotFoundException e) {
            throw new ReauthenticationRequiredException(endpoint, "no refresh token is stored at " + ref, e);
        } catch (CredentialException e) {
            throw new TokenRefreshException(endpoint, "the refresh token at " + ref + " could not be read", e,
                    e.retryable());
        }
        return held.adopt(stored);
    }

    /** After a refusal, reads the store past the vault's cache; returns a refresh token other than {@code used}. */
    Secret newerStored(RefreshTokenWriteBack held, Secret used, String manager) {
        if (ref == null) {
            return null;
        }
        if (held.unwritten()) {
            // The token held in memory is newer than the store's.
            return null;
        }
        try {
            vault.invalidate(ref);
            VersionedSecret stored = vault.resolve(ref);
            if (stored.secret().equals(used)) {
                return null;
            }
            held.useStored(stored);
            LOG.info("{}: the refresh token was refused; the store at {} holds a newer one, using it", manager, ref);
            return stored.secret();
        } catch (BigLedgerAuthException e) {
            return null;
        }
    }

    /** Shows where, never the token. */
    @Override
    public String toString() {
        return name() + (ref == null ? "[in memory]" : "[" + ref + "]");
    }
}
