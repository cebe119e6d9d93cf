package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BigLedgerSettingsTest {

    private static final String COMPANY = "company_abc123";

    private final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
    private final CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();

    @AfterEach
    void close() {
        vault.close();
    }

    @Test
    void theVaultIsAskedForOnlyWhenAReferenceIsSet() {
        AtomicInteger asked = new AtomicInteger();

        BigLedgerSettings settings = BigLedgerSettings.read(Map.of("BIGLEDGER_API_KEY", Canary.value("blg_live_sk_"),
                "BIGLEDGER_COMPANY_ID", COMPANY), () -> {
                    asked.incrementAndGet();
                    return vault;
                });

        assertThat(asked).hasValue(0);
        assertThat(settings.problems()).isEmpty();
        assertThat(settings.environmentSetting()).isEmpty();
        assertThat(settings.environment()).isEqualTo(BigLedgerEnvironment.PRODUCTION);
        assertThat(settings.apiKey().orElseThrow().origin()).isEqualTo("from BIGLEDGER_API_KEY");
    }

    @Test
    void aReferenceThatCannotBeLoadedIsAProblemAndItsExceptionIsKept() {
        BigLedgerSettings settings = BigLedgerSettings.read(Map.of("BIGLEDGER_API_KEY_REF", "mem:missing",
                "BIGLEDGER_COMPANY_ID", COMPANY), () -> vault);

        assertThat(settings.loadFailures()).singleElement().isInstanceOf(CredentialNotFoundException.class);
        assertThat(settings.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(ConfigProblem.Kind.SETTING_UNAVAILABLE);
            assertThat(p.message()).startsWith("BIGLEDGER_API_KEY_REF: mem:missing");
        });
        assertThat(settings.apiKey().orElseThrow().value()).isEmpty();
    }

    @Test
    void aSettingShowsWhereItCameFromAndNeverItsValue() {
        String key = Canary.value("blg_test_sk_");
        store.put("bigledger/key", Secret.of(key));

        BigLedgerSettings settings = BigLedgerSettings.read(Map.of("BIGLEDGER_API_KEY_REF", "mem:bigledger/key",
                "BIGLEDGER_COMPANY_ID", COMPANY, "BIGLEDGER_ENVIRONMENT", "sandbox"), () -> vault);

        BigLedgerSettings.Setting setting = settings.apiKey().orElseThrow();
        assertThat(settings.problems()).isEmpty();
        assertThat(setting.value().orElseThrow().reveal()).isEqualTo(key);
        assertThat(setting.origin()).startsWith("from BIGLEDGER_API_KEY_REF=mem:bigledger/key");
        assertThat(setting.toString()).doesNotContain(key);
    }
}
