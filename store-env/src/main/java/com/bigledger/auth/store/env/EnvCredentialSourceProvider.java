package com.bigledger.auth.store.env;

import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;

/**
 * Provides the {@code env} source to {@link java.util.ServiceLoader}, configured with
 * {@link EnvCredentialSource#create()}: the process environment and the {@code .env} file named by
 * {@value EnvCredentialSource#DOTENV_VARIABLE}, if set.
 *
 * <p>Stateless and thread-safe.
 */
public final class EnvCredentialSourceProvider implements CredentialSourceProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
    public EnvCredentialSourceProvider() {
    }

    /**
     * Returns {@value EnvCredentialSource#SCHEME}.
     *
     * @return the scheme
     */
    @Override
    public String scheme() {
        return EnvCredentialSource.SCHEME;
    }

    /**
     * Creates the source from the process environment.
     *
     * @return a new source
     * @throws DotenvFileException if {@value EnvCredentialSource#DOTENV_VARIABLE} names a file that cannot be read
     * @throws DotenvFormatException if that file is malformed
     */
    @Override
    public CredentialSource create() {
        return EnvCredentialSource.create();
    }
}
