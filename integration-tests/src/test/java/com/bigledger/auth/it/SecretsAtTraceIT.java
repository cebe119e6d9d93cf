package com.bigledger.auth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.bigledger.UnauthorizedException;
import com.bigledger.auth.bigledger.VerifyResult;
import com.bigledger.auth.store.vault.VaultCredentialSource;
import com.bigledger.auth.store.vault.VaultDouble;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * The secrets the OAuth tests do not handle, used with every client-side logger at TRACE so that
 * {@link TraceLeakScan} sees them go by: an AppRole secret id and the Vault token it logs in for, and BigLedger
 * API keys, accepted and refused.
 */
class SecretsAtTraceIT {

    @Test
    void appRoleLoginAndReadLeaveNoSecretIdTokenOrValueInTheLogs() {
        Secret secretId = Canary.secret("");
        Secret stored = Canary.secret("blg_live_sk_");
        InMemoryCredentialSource secretIds = new InMemoryCredentialSource("mem");
        CredentialRef secretIdRef = secretIds.put("vault-secret-id", secretId);
        try (VaultDouble vault = VaultDouble.start(Clock.systemUTC());
                VaultCredentialSource source = appRole(vault, secretId, secretIdRef, secretIds)) {
            vault.put("it/app", "api_key", stored.reveal());

            Secret read = source.load(CredentialRef.parse("vault:secret/it/app#api_key")).secret();

            assertThat(read).isEqualTo(stored);
            assertThat(Canary.leaksIn(source.toString())).isFalse();
        }
    }

    @Test
    void apiKeysAcceptedAndRefusedLeaveNoKeyInTheLogsOrMessages() {
        try (FakeBigLedgerApi api = FakeBigLedgerApi.start()) {
            api.company("company_it", "Acme Corporation", "professional");
            String key = Canary.remember(api.issueApiKey("company_it", "read:accounts"));
            BigLedgerHttpClient client = BigLedgerHttpClient.create(BigLedgerAuth.builder()
                    .baseUrl(api.baseUrl())
                    .allowInsecureLoopback(true)
                    .apiKey(Secret.of(key))
                    .companyId("company_it")
                    .build());

            VerifyResult verified = client.verify();
            api.revokeApiKey(key);
            UnauthorizedException refused = catchThrowableOfType(UnauthorizedException.class, client::verify);

            assertThat(verified.company().orElseThrow().id()).isEqualTo("company_it");
            assertThat(refused).isNotNull();
            assertThat(Canary.leaksIn(refused.getMessage())).isFalse();
            assertThat(Canary.leaksIn(refused.toString())).isFalse();
        }
    }

    private static VaultCredentialSource appRole(VaultDouble vault, Secret secretId, CredentialRef secretIdRef,
            InMemoryCredentialSource secretIds) {
        vault.appRole("role-it", secretId);
        return vault.appRoleSource("role-it", secretIdRef, secretIds);
    }
}
