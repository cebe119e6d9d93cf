package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;

/**
 * A request to Vault got no HTTP answer (connection refused, timeout, TLS failure), or an answer the driver could
 * not read. Retryable. The message is this module's own: the driver's messages may quote response bodies.
 */
final class VaultUnreachableException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    VaultUnreachableException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
