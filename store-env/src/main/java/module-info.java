/**
 * The {@code env} credential source: environment variables, and an optional {@code .env} file for local
 * development.
 *
 * <p>Found by {@link java.util.ServiceLoader} through {@link com.bigledger.auth.store.env.EnvCredentialSourceProvider},
 * or built explicitly with {@link com.bigledger.auth.store.env.EnvCredentialSource#builder()}.
 */
module com.bigledger.auth.store.env {
    // Transitive: the public API of this module is made of core's types (CredentialSource, CredentialRef, …).
    requires transitive com.bigledger.auth;

    exports com.bigledger.auth.store.env;

    provides com.bigledger.auth.spi.CredentialSourceProvider
            with com.bigledger.auth.store.env.EnvCredentialSourceProvider;
}
