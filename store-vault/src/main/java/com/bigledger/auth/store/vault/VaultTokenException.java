package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;

/**
 * No Vault token could be had: a login or a token lookup was refused (not retryable), or Vault could not be asked
 * (retryable). Turned into a {@link com.bigledger.auth.CredentialException} of the reference being read.
 */
final class VaultTokenException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    VaultTokenException(String message, Throwable cause, boolean retryable) {
        super(message, cause, retryable);
    }
}
