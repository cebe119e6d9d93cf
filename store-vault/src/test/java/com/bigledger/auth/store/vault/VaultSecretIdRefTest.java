package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AppRole secret id pasted in place of its reference is refused without being quoted. */
class VaultSecretIdRefTest {

    @Test
    void secretIdInPlaceOfItsReferenceIsRefusedWithoutQuotingIt() {
        String secretId = Canary.value("5f2b8c1e-3d4a-");

        Throwable thrown = com.bigledger.auth.testing.LeakAssertions.catchThrowable(() -> VaultCredentialSource.builder()
                .environment(Map.of(VaultCredentialSource.ADDRESS_VARIABLE, "https://127.0.0.1:9",
                        VaultCredentialSource.ROLE_ID_VARIABLE, "role",
                        VaultCredentialSource.SECRET_ID_REF_VARIABLE, secretId))
                .build().close());

        assertThat(thrown).isInstanceOf(com.bigledger.auth.spi.EnvironmentSettings.InvalidSettingException.class)
                .hasMessageStartingWith(VaultCredentialSource.SECRET_ID_REF_VARIABLE + " is not a valid reference")
                .hasMessageContaining("position");
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertThat(Canary.leaksIn(t.getMessage())).as("the message quotes the secret id").isFalse();
        }
    }
}
