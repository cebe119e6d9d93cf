package com.bigledger.auth;

/**
 * The store answered, and it holds no secret (or no such field, or no such version) at the reference: the
 * {@link CredentialException.Kind#NOT_FOUND} kind, which is always thrown as this class. Not retryable.
 */
public class CredentialNotFoundException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception of kind {@link CredentialException.Kind#NOT_FOUND}.
     *
     * @param ref the reference that was looked up
     * @param detail what is missing, naming no secret value
     * @throws NullPointerException if {@code ref} or {@code detail} is {@code null}
     */
    public CredentialNotFoundException(CredentialRef ref, String detail) {
        super(Kind.NOT_FOUND, ref, detail, null);
    }
}
