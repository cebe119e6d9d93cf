package com.bigledger.auth;

/**
 * A tenant key given to {@link TokenManagers} is not a valid identifier: it could otherwise change the path of the
 * reference it is put into. The message says what a key must be and shows the key only when it is short and
 * printable and does not look like a credential; never retryable.
 */
public class InvalidTenantKeyException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong; must not hold a secret
     */
    public InvalidTenantKeyException(String message) {
        super(message, null, false);
    }
}
