package com.bigledger.auth.store.file;

import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;

/**
 * Provides the {@code file} source to {@link java.util.ServiceLoader}, configured with
 * {@link FileCredentialSource#create()} from the process environment.
 *
 * <p>Stateless and thread-safe.
 */
public final class FileCredentialSourceProvider implements CredentialSourceProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
    public FileCredentialSourceProvider() {
    }

    /**
     * Returns {@value FileCredentialSource#SCHEME}.
     *
     * @return the scheme
     */
    @Override
    public String scheme() {
        return FileCredentialSource.SCHEME;
    }

    /**
     * Creates the source from the process environment; nothing is read until the first load.
     *
     * @return a new source
     */
    @Override
    public CredentialSource create() {
        return FileCredentialSource.create();
    }
}
