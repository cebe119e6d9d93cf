/**
 * The service provider interface of the secret stores: the stable surface a store author uses, and the only part
 * of core a store needs ({@code com.bigledger.auth.internal} is exported to no module).
 *
 * <ul>
 *   <li>A store implements {@link com.bigledger.auth.spi.CredentialSource} (and
 *       {@link com.bigledger.auth.spi.WritableCredentialSource} if it can write, compare-and-set).
 *   <li>It registers a {@link com.bigledger.auth.spi.CredentialSourceProvider} with {@link java.util.ServiceLoader}
 *       (a {@code provides} clause on the module path, a {@code META-INF/services} file on the class path), which
 *       names its scheme and declares its references' options as {@link com.bigledger.auth.spi.ReferenceOptions},
 *       so that {@link com.bigledger.auth.CredentialVault} finds it by its scheme and checks references without
 *       core knowing the store.
 *   <li>{@link com.bigledger.auth.spi.SecretFields} reads a {@code #field} and runs the {@code #field}
 *       read-merge-compare-and-set write over the store's plain read and compare-and-set
 *       ({@link com.bigledger.auth.spi.SecretFields.Store}).
 *   <li>{@link com.bigledger.auth.spi.RefreshingCredential} keeps a store's own login token fresh, and
 *       {@link com.bigledger.auth.spi.EndpointChecks} checks and redacts the endpoint a store talks to, and
 *       {@link com.bigledger.auth.spi.BuilderOptions} checks its builder's options as the library's own builders do.
 *   <li>{@link com.bigledger.auth.spi.EnvironmentSettings} reads a store's environment variables as every other
 *       part of the library does (values, {@code _REF} references, renamed variables with a deprecation warning,
 *       typed errors naming the variable).
 * </ul>
 *
 * <p>The SPI depends on the JDK and core's value types alone. Its types change only compatibly within a major
 * version.
 */
package com.bigledger.auth.spi;
