package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.CredentialSource;
import java.time.Clock;
import java.time.Duration;

/**
 * Opens store-vault's {@link VaultHttpDouble} (package-private in its test-jar) to the integration tests: the
 * documented Vault HTTP API on 127.0.0.1, with a KV version 2 mount {@code secret}.
 */
public final class VaultDouble implements AutoCloseable {

    private final VaultHttpDouble vault;

    private VaultDouble(VaultHttpDouble vault) {
        this.vault = vault;
    }

    /** Starts a double whose token leases run on {@code clock}. */
    public static VaultDouble start(Clock clock) {
        return new VaultDouble(VaultHttpDouble.start(clock));
    }

    /** Writes a KV 2 secret of one field at {@code secret/path}, as another client would. */
    public int put(String path, String field, String value) {
        return vault.root().put("secret", path, TestSecretsFiles.fields(field, value));
    }

    /**
     * A new source logged in with a fresh token (itself a {@link com.bigledger.auth.testing.Canary}); the caller
     * closes it.
     */
    public VaultCredentialSource source() {
        return TestSecretsFiles.withToken(vault).build();
    }

    /** The double's address, {@code http://127.0.0.1:PORT}, for other processes. */
    public java.net.URI address() {
        return vault.address();
    }

    /** A fresh renewable root-namespace token valid for a day, for a source in another process. */
    public Secret issueToken() {
        return Secret.of(vault.root().issueToken(Duration.ofDays(1), Duration.ofDays(30), true));
    }

    /**
     * A new source for the double at {@code address} with {@code token}, in any process (the fleet members of
     * {@code FleetIT}); the caller closes it.
     */
    public static VaultCredentialSource source(java.net.URI address, Secret token) {
        return VaultCredentialSource.builder()
                .environment(java.util.Map.of())
                .address(address)
                .allowInsecureLoopback(true)
                .requestTimeout(Duration.ofSeconds(10))
                .authentication(VaultAuthentication.token(token))
                .build();
    }

    /** Registers an AppRole role at mount {@code approle} with one secret id, whose logins get a 1-hour token. */
    public void appRole(String roleId, Secret secretId) {
        vault.root().appRole("approle", roleId, secretId.reveal(), Duration.ofHours(1), Duration.ofHours(4),
                "default");
    }

    /** A new source that logs in with AppRole, reading the secret id from {@code secretIds}; the caller closes it. */
    public VaultCredentialSource appRoleSource(String roleId, CredentialRef secretId, CredentialSource secretIds) {
        return TestSecretsFiles.builder(vault).authentication(VaultAuthentication.appRole(roleId, secretId, secretIds))
                .build();
    }

    /** Makes the next {@code count} requests whose API path starts with {@code pathPrefix} fail with {@code status}. */
    public void failNext(int status, int count, String pathPrefix) {
        vault.failNext(status, count, pathPrefix);
    }

    @Override
    public void close() {
        vault.close();
    }
}
