package com.bigledger.auth.store.vault;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.spi.ReferenceOptions;

/**
 * Provides the {@code vault} source to {@link java.util.ServiceLoader}, configured from the process environment
 * with {@link VaultCredentialSource#create()}: {@value VaultCredentialSource#ADDRESS_VARIABLE} and one method of
 * authentication ({@value VaultCredentialSource#TOKEN_VARIABLE}, a token file, AppRole or Kubernetes).
 *
 * <p>Stateless and thread-safe.
 */
public final class VaultCredentialSourceProvider implements CredentialSourceProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
    public VaultCredentialSourceProvider() {
    }

    /**
     * Returns {@value VaultCredentialSource#SCHEME}.
     *
     * @return the scheme
     */
    @Override
    public String scheme() {
        return VaultCredentialSource.SCHEME;
    }

    /**
     * Returns the options of a {@code vault:} reference: {@code kv} ({@code 1} or {@code 2}, the KV version of the
     * mount; by default 2) and {@code version} (a positive whole number, a pinned KV version 2 version, which
     * {@code kv=1} refuses).
     *
     * @return the declaration
     */
    @Override
    public ReferenceOptions options() {
        return VaultPath.OPTIONS;
    }

    /**
     * Creates the source from the process environment.
     *
     * @return a new source
     * @throws BigLedgerAuthException if the environment sets no Vault address or no authentication (or two), or a
     *     TLS file it names cannot be read; the message says which variable to set
     */
    @Override
    public CredentialSource create() {
        try {
            return VaultCredentialSource.create();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new BigLedgerAuthException("Cannot configure the vault: store from the environment: "
                    + e.getMessage(), e, false);
        }
    }
}
