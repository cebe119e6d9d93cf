package com.bigledger.auth.spi;

/**
 * Creates the {@link CredentialSource} of one scheme, found with {@link java.util.ServiceLoader}.
 *
 * <p>A store module declares its provider in {@code module-info.java} ({@code provides}) and in
 * {@code META-INF/services/com.bigledger.auth.spi.CredentialSourceProvider} for the class path. The source is
 * created only when a reference of its scheme is first resolved, configured from the environment (for example
 * the default AWS credential chain). A source registered explicitly on the vault's builder wins over a discovered
 * one; two discovered providers for one scheme are refused when the vault is built.
 *
 * <p>The provider describes its store's references: {@link #scheme()} and {@link #options()}. The vault checks a
 * reference's options against that declaration when a handle is made, before the source is created, so that core
 * itself knows nothing of any store: adding a store is a module of its own with this registration.
 */
public interface CredentialSourceProvider {

    /**
     * Returns the scheme the created source serves.
     *
     * @return the scheme, such as {@code aws-sm}
     */
    String scheme();

    /**
     * Returns the options the references of this scheme may carry, the values each allows and the combinations
     * refused. By default, none: a provider whose references take options declares them.
     *
     * @return the declaration
     */
    default ReferenceOptions options() {
        return ReferenceOptions.none();
    }

    /**
     * Creates the source, configured from the environment.
     *
     * @return a new source for {@link #scheme()}
     * @throws com.bigledger.auth.BigLedgerAuthException if the environment does not configure the store well
     *     enough to create it; the message says what is missing
     */
    CredentialSource create();
}
