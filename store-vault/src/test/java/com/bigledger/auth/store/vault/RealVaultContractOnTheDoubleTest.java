package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The opt-in real-Vault contract test run against the double, in the default build, so that its own seeding and
 * clean-up stay right between the runs against a real Vault; with a nested mount, as a real Vault may have.
 */
class RealVaultContractOnTheDoubleTest extends RealVaultContractTest {

    private final VaultHttpDouble vault = VaultHttpDouble.start(Clock.systemUTC());

    @Override
    Map<String, String> environment() {
        vault.root().mount("team/kv", 2);
        return Map.of(OPT_IN, "true",
                VaultCredentialSource.ADDRESS_VARIABLE, vault.address().toString(),
                VaultCredentialSource.TOKEN_VARIABLE, vault.root().issueToken(Duration.ofHours(1), Duration.ofHours(2),
                        true, "contract"),
                "BIGLEDGER_TEST_VAULT_MOUNT", "team/kv");
    }

    @Override
    @AfterEach
    void cleanUp() throws Exception {
        try {
            super.cleanUp();
            assertThat(vault.requests()).noneMatch(line -> line.startsWith("DELETE ") && !line.contains("/metadata/"));
        } finally {
            vault.close();
        }
    }
}
