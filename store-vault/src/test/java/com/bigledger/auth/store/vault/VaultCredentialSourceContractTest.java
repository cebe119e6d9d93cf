package com.bigledger.auth.store.vault;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.CredentialSourceContract;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;

/** The contract, over the Vault double: values seeded as KV version 2 secrets of mount {@code secret}. */
class VaultCredentialSourceContractTest extends CredentialSourceContract {

    private final VaultHttpDouble vault = VaultHttpDouble.start(Clock.systemUTC());
    private VaultCredentialSource source;

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        vault.close();
    }

    @Override
    protected CredentialSource source() {
        if (source == null) {
            source = TestVaults.withToken(vault, "app").build();
        }
        return source;
    }

    @Override
    protected CredentialRef seed(String name, Secret value) {
        vault.root().put("secret", name, TestVaults.data(value));
        return CredentialRef.of(VaultCredentialSource.SCHEME, "secret/" + name);
    }

    @Override
    protected CredentialRef missing() {
        return CredentialRef.of(VaultCredentialSource.SCHEME, "secret/contract_not_written");
    }
}
