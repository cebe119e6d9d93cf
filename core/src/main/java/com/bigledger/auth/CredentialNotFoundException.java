package com.bigledger.auth;

/** The store answered, and it holds no secret (or no such field, or no such version) at the reference. */
public class CredentialNotFoundException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference that was looked up
     * @param detail what is missing, naming no secret value
     */
    public CredentialNotFoundException(CredentialRef ref, String detail) {
        super(ref, detail, null, false);
    }
}
