/**
 * The {@code vault} credential source: HashiCorp Vault KV version 1 and 2, read and compare-and-set write, with
 * token, AppRole and Kubernetes authentication and token renewal. Found by {@link java.util.ServiceLoader} through
 * {@link VaultCredentialSourceProvider}, or built with {@link VaultCredentialSource#builder()}.
 */
package com.bigledger.auth.store.vault;
