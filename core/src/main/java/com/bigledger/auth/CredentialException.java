package com.bigledger.auth;

import java.util.Objects;

/**
 * A failure to load or write the secret at one {@link CredentialRef}.
 *
 * <p>The message starts with the reference, which is not secret, and never quotes the value.
 */
public class CredentialException extends BigLedgerAuthException {

    private static final long serialVersionUID = 1L;

    private final transient CredentialRef ref;

    /**
     * Creates an exception.
     *
     * @param ref the reference involved
     * @param detail what failed, naming no secret value
     * @param cause the underlying failure, or {@code null}; its message must not hold a secret either
     * @param retryable whether a later attempt may succeed
     * @throws NullPointerException if {@code ref} or {@code detail} is {@code null}
     */
    public CredentialException(CredentialRef ref, String detail, Throwable cause, boolean retryable) {
        super(Objects.requireNonNull(ref, "ref") + ": " + Objects.requireNonNull(detail, "detail"), cause, retryable);
        this.ref = ref;
    }

    /**
     * Returns the reference involved.
     *
     * @return the reference
     */
    public CredentialRef ref() {
        return ref;
    }
}
