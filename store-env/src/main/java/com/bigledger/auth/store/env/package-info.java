/**
 * The {@code env} credential source: environment variables, and an optional {@code .env} file for local
 * development. Found by {@link java.util.ServiceLoader} through {@link EnvCredentialSourceProvider}, or built
 * with {@link EnvCredentialSource#builder()}.
 */
package com.bigledger.auth.store.env;
