package com.bigledger.auth;

/**
 * The store returned a value that cannot be used as asked: a {@code #field} was requested and the value is not a
 * JSON object, or the field is not a string. The message names the reference and field, never the value.
 */
public class InvalidCredentialException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference whose value is unusable
     * @param detail what is wrong with it, naming no secret value
     */
    public InvalidCredentialException(CredentialRef ref, String detail) {
        super(ref, detail, null, false);
    }
}
