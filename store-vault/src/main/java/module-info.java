/**
 * The {@code vault} credential source: HashiCorp Vault KV version 1 and 2, read and compare-and-set write, with
 * token, AppRole and Kubernetes authentication and token renewal.
 *
 * <p>Found by {@link java.util.ServiceLoader} through
 * {@link com.bigledger.auth.store.vault.VaultCredentialSourceProvider}, or built explicitly with
 * {@link com.bigledger.auth.store.vault.VaultCredentialSource#builder()}.
 */
module com.bigledger.auth.store.vault {
    // Transitive: the public API of this module is made of core's types (CredentialSource, CredentialRef, …).
    requires transitive com.bigledger.auth;
    requires vault.java.driver;
    requires java.net.http;
    requires org.slf4j;

    exports com.bigledger.auth.store.vault;

    provides com.bigledger.auth.spi.CredentialSourceProvider
            with com.bigledger.auth.store.vault.VaultCredentialSourceProvider;
}
