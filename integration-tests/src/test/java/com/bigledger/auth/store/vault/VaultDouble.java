package com.bigledger.auth.store.vault;

import java.time.Clock;

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
        return vault.root().put("secret", path, TestVaults.fields(field, value));
    }

    /**
     * A new source logged in with a fresh token (itself a {@link com.bigledger.auth.testing.Canary}); the caller
     * closes it.
     */
    public VaultCredentialSource source() {
        return TestVaults.withToken(vault).build();
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
