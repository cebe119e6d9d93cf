package com.bigledger.auth;

/**
 * The root of every exception this library throws.
 *
 * <p>Messages name the credential reference, the store or the endpoint involved and never contain a secret
 * value. {@link #retryable()} tells whether trying again later may succeed (a store or endpoint that is down)
 * or not (a missing secret, a refused grant).
 */
public class BigLedgerAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    /**
     * Creates an exception.
     *
     * @param message what failed, naming the reference or endpoint; never a secret
     * @param cause the underlying failure, or {@code null}
     * @param retryable whether a later attempt may succeed
     * @throws NullPointerException if {@code message} is {@code null}
     */
    public BigLedgerAuthException(String message, Throwable cause, boolean retryable) {
        super(java.util.Objects.requireNonNull(message, "message"), cause);
        this.retryable = retryable;
    }

    /**
     * Tells whether a later attempt may succeed.
     *
     * @return {@code true} for temporary failures such as an unreachable store
     */
    public boolean retryable() {
        return retryable;
    }
}
