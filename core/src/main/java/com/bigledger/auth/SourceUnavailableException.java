package com.bigledger.auth;

/**
 * The store could not be asked, did not answer, or answered with a temporary failure: it is down, slow, throttling or
 * unreachable, or a write kept meeting other writers' changes. The {@link CredentialException.Kind#UNAVAILABLE} kind,
 * which is always thrown as this class.
 *
 * <p>Retryable: the vault keeps serving the last good value while this lasts, up to its bound.
 */
public class SourceUnavailableException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception of kind {@link CredentialException.Kind#UNAVAILABLE}.
     *
     * @param ref the reference that was being loaded or written
     * @param detail what failed, naming no secret value
     * @param cause the underlying failure, or {@code null}
     * @throws NullPointerException if {@code ref} or {@code detail} is {@code null}
     */
    public SourceUnavailableException(CredentialRef ref, String detail, Throwable cause) {
        super(Kind.UNAVAILABLE, ref, detail, cause);
    }
}
