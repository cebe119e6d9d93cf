package com.bigledger.auth;

/** No {@link com.bigledger.auth.spi.CredentialSource} is registered for a reference's scheme. */
public class NoSuchSourceException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference whose scheme has no source
     * @param detail the schemes that are available and how to add one
     */
    public NoSuchSourceException(CredentialRef ref, String detail) {
        super(ref, detail, null, false);
    }
}
