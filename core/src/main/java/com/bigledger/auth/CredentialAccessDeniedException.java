package com.bigledger.auth;

/**
 * The store refused access: the caller's identity lacks a permission, or a key needed to decrypt is not
 * usable. Not retryable: the message says which permission or key is involved.
 */
public class CredentialAccessDeniedException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference that was refused
     * @param detail which permission or key is involved
     * @param cause the underlying failure, or {@code null}
     */
    public CredentialAccessDeniedException(CredentialRef ref, String detail, Throwable cause) {
        super(ref, detail, cause, false);
    }
}
