package com.bigledger.auth.store.aws;

import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.spi.ReferenceOptions;

/**
 * Provides the {@code aws-sm} source to {@link java.util.ServiceLoader}, configured with
 * {@link AwsSecretsManagerSource#create()}: the default AWS credential, region and endpoint settings of the
 * environment ({@code AWS_REGION}, {@code AWS_PROFILE}, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, …), read when the
 * first reference is resolved, and no write pacing.
 *
 * <p>Stateless and thread-safe.
 */
public final class AwsSecretsManagerSourceProvider implements CredentialSourceProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} needs a public no-argument constructor. */
    public AwsSecretsManagerSourceProvider() {
    }

    /**
     * Returns {@value AwsSecretsManagerSource#SCHEME}.
     *
     * @return the scheme
     */
    @Override
    public String scheme() {
        return AwsSecretsManagerSource.SCHEME;
    }

    /**
     * Returns the options of an {@code aws-sm:} reference: {@code stage} (a staging label) or {@code version} (a
     * version id), which pin a version and cannot be combined, and {@code region}.
     *
     * @return the declaration
     */
    @Override
    public ReferenceOptions options() {
        return SecretsManagerRefs.OPTIONS;
    }

    /**
     * Creates the source. It makes no request and reads no AWS configuration until a reference is resolved, so
     * this does not fail on a machine without AWS settings.
     *
     * @return a new source
     */
    @Override
    public CredentialSource create() {
        return AwsSecretsManagerSource.create();
    }
}
