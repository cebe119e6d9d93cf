/**
 * The service provider interface of the secret stores, which depends on the JDK alone: a store implements
 * {@link com.bigledger.auth.spi.CredentialSource} (and {@link com.bigledger.auth.spi.WritableCredentialSource} if
 * it can write, compare-and-set), and registers a {@link com.bigledger.auth.spi.CredentialSourceProvider} with
 * {@link java.util.ServiceLoader} (a {@code provides} clause on the module path, a {@code META-INF/services} file on
 * the class path) so that {@link com.bigledger.auth.CredentialVault} finds it by its scheme.
 *
 * <p>Helpers for store authors: {@link com.bigledger.auth.spi.SecretFields} picks a field of a JSON object secret, and
 * {@link com.bigledger.auth.spi.EnvironmentSettings} reads a store's environment variables as every other part of the
 * library does (values, {@code _REF} references, renamed variables with a deprecation warning, typed errors naming
 * the variable).
 */
package com.bigledger.auth.spi;
