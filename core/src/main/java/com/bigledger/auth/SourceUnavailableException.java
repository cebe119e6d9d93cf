package com.bigledger.auth;

/**
 * The store could not be asked or did not answer: it is down, slow, throttling or unreachable.
 *
 * <p>Retryable: the vault keeps serving the last good value while this lasts, up to its bound.
 */
public class SourceUnavailableException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference that was being loaded or written
     * @param detail what failed, naming no secret value
     * @param cause the underlying failure, or {@code null}
     */
    public SourceUnavailableException(CredentialRef ref, String detail, Throwable cause) {
        super(ref, detail, cause, true);
    }
}
