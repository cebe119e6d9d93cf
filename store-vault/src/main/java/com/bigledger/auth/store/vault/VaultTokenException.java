package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;
import java.time.Duration;

/**
 * No Vault token could be had: a login or a token lookup was refused (not retryable), or Vault could not be asked
 * (retryable). Turned into a {@link com.bigledger.auth.CredentialException} of the reference being read.
 */
final class VaultTokenException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    /** The {@code Retry-After} Vault sent with the failure, or {@code null}. */
    private final transient Duration retryAfter;
    /** Whether Vault refused an AppRole login's credentials (or the role id is locked out). */
    private final boolean refusedAppRoleLogin;

    VaultTokenException(String message, Throwable cause, boolean retryable) {
        this(message, cause, retryable, null, false);
    }

    VaultTokenException(String message, Throwable cause, boolean retryable, Duration retryAfter,
            boolean refusedAppRoleLogin) {
        super(message, cause, retryable);
        this.retryAfter = retryAfter;
        this.refusedAppRoleLogin = refusedAppRoleLogin;
    }

    Duration retryAfter() {
        return retryAfter;
    }

    boolean refusedAppRoleLogin() {
        return refusedAppRoleLogin;
    }
}
