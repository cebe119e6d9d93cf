package com.bigledger.auth;

/**
 * The store is not configured to serve the reference: a setting it needs is missing or unusable, such as the
 * passphrase of an encrypted secrets file. Not retryable: the same call fails the same way until the configuration
 * changes. The message names the setting, never its value.
 */
public class CredentialConfigurationException extends CredentialException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param ref the reference the store could not serve
     * @param detail which setting is missing or wrong, naming no secret value
     */
    public CredentialConfigurationException(CredentialRef ref, String detail) {
        super(ref, detail, null, false);
    }
}
