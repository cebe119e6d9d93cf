/**
 * The service provider interface of the secret stores, which depends on the JDK alone: a store implements
 * {@link com.bigledger.auth.spi.CredentialSource} (and {@link com.bigledger.auth.spi.WritableCredentialSource} if
 * it can write, compare-and-set), and registers a {@link com.bigledger.auth.spi.CredentialSourceProvider} with
 * {@link java.util.ServiceLoader} (a {@code provides} clause on the module path, a {@code META-INF/services} file on
 * the class path) so that {@link com.bigledger.auth.CredentialVault} finds it by its scheme.
 */
package com.bigledger.auth.spi;
