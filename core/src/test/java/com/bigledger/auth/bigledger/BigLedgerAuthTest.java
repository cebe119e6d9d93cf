package com.bigledger.auth.bigledger;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BigLedgerAuthTest {

    private static final String COMPANY = "company_abc123";
    private static final String VERSION = System.getProperty("bigledger.expectedVersion");

    private static BigLedgerAuth.Builder live(String key) {
        return BigLedgerAuth.builder().apiKey(Secret.of(key)).companyId(COMPANY);
    }

    @Test
    void headersAreTheDocumentedOnesInOrder() {
        String key = Canary.value("blg_live_sk_");
        BigLedgerAuth auth = live(key).userAgent("MyApp/1.0.0 (https://myapp.com)").build();

        BigLedgerHeaders headers = auth.headers();

        assertThat(headers.asMap()).containsExactly(
                Map.entry("Authorization", "Bearer " + key),
                Map.entry("Content-Type", "application/json"),
                Map.entry("X-Company-Id", COMPANY),
                Map.entry("User-Agent", "MyApp/1.0.0 (https://myapp.com) bigledger-auth-java/" + VERSION));
        assertThat(headers.authorization()).isEqualTo("Bearer " + key);
        assertThat(headers.companyId()).contains(COMPANY);
        assertThat(auth.mode()).isEqualTo(BigLedgerAuth.Mode.API_KEY);
    }

    @Test
    void userAgentIsTheLibraryAloneWhenTheApplicationSetsNone() {
        BigLedgerAuth auth = live(Canary.value("blg_live_sk_")).build();

        assertThat(VERSION).as("the build passes the project version").isNotBlank();
        assertThat(auth.userAgent()).isEqualTo("bigledger-auth-java/" + VERSION);
        assertThat(BigLedgerAuth.libraryProduct()).isEqualTo("bigledger-auth-java/" + VERSION);
    }

    @Test
    void cachedHeadersAreTheSameObjectEveryTime() {
        BigLedgerAuth auth = live(Canary.value("blg_live_sk_")).build();

        BigLedgerHeaders first = auth.headers();
        for (int i = 0; i < 1000; i++) {
            assertThat(auth.headers()).isSameAs(first);
        }
    }

    @Test
    void toStringsShowThePrefixAtMost() {
        String key = Canary.value("blg_live_sk_");
        BigLedgerAuth auth = live(key).build();

        assertThat(auth.headers().toString())
                .contains("Bearer Secret[blg_live_sk_…redacted]", "X-Company-Id=" + COMPANY)
                .doesNotContain(key);
        assertThat(auth.toString()).contains("production", COMPANY).doesNotContain(key);
    }

    @Test
    void productionIsTheDefaultEnvironment() {
        BigLedgerAuth auth = live(Canary.value("blg_live_sk_")).build();

        assertThat(auth.environment()).isEqualTo(BigLedgerEnvironment.PRODUCTION);
        assertThat(auth.baseUrl()).hasToString("https://api.bigledger.com/v1");
        assertThat(auth.resolve("/accounts")).hasToString("https://api.bigledger.com/v1/accounts");
    }

    @Test
    void sandboxKeyIsAcceptedInTheSandbox() {
        BigLedgerAuth auth = BigLedgerAuth.builder().environment(BigLedgerEnvironment.SANDBOX)
                .apiKey(Canary.secret("blg_test_sk_")).companyId(COMPANY).build();

        assertThat(auth.baseUrl()).hasToString("https://api-sandbox.bigledger.com/v1");
        assertThat(auth.resolve("/auth/verify")).hasToString("https://api-sandbox.bigledger.com/v1/auth/verify");
    }

    @Test
    void sandboxKeyIsRefusedInProductionNamingThePrefixAndEnvironmentOnly() {
        String key = Canary.value("blg_test_sk_");

        assertThatThrownBy(() -> live(key).build())
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("apiKey: ")
                .hasMessageContaining("blg_test_sk_")
                .hasMessageContaining("production")
                .satisfies(e -> assertThat(((BigLedgerConfigurationException) e).problems()).singleElement()
                        .extracting(ConfigProblem::kind).isEqualTo(ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT));
    }

    @Test
    void productionKeyIsRefusedInTheSandbox() {
        String key = Canary.value("blg_live_sk_");

        assertThatThrownBy(() -> BigLedgerAuth.builder().environment(BigLedgerEnvironment.SANDBOX)
                .apiKey(Secret.of(key)).companyId(COMPANY).build())
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("blg_live_sk_")
                .hasMessageContaining("sandbox");
    }

    @Test
    void keyOfAnUnknownPrefixIsRefused() {
        assertThatThrownBy(() -> live(Canary.value("sk_live_")).build())
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("does not start with blg_live_sk_");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "blg_live_sk_ab cd", "blg_live_sk_abcd\n", "\tblg_live_sk_abcd"})
    void emptyKeysAndKeysWithWhitespaceAreRefused(String key) {
        assertThatThrownBy(() -> live(key).build())
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("empty or contains whitespace")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("abcd"));
    }

    @Test
    void bareKeyPrefixIsRefused() {
        assertThatThrownBy(() -> live("blg_live_sk_").build())
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("nothing after the prefix");
    }

    @Test
    void anApiKeyNeedsACompanyId() {
        assertThatThrownBy(() -> BigLedgerAuth.builder().apiKey(Canary.secret("blg_live_sk_")).build())
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("company id is required with an API key");
    }

    @Test
    void problemsAreReportedTogether() {
        assertThatThrownBy(() -> BigLedgerAuth.builder().apiKey(Canary.secret("blg_test_sk_"))
                .companyId("acme corp").build())
                .isInstanceOf(BigLedgerConfigurationException.class)
                .satisfies(e -> assertThat(((BigLedgerConfigurationException) e).problems())
                        .extracting(ConfigProblem::kind)
                        .containsExactly(ConfigProblem.Kind.API_KEY_WRONG_ENVIRONMENT,
                                ConfigProblem.Kind.COMPANY_ID_MALFORMED));
    }

    @Test
    void theKeyIsCopiedSoDestroyingTheCallersSecretChangesNothing() {
        String key = Canary.value("blg_live_sk_");
        Secret given = Secret.of(key);
        BigLedgerAuth auth = BigLedgerAuth.builder().apiKey(given).companyId(COMPANY).build();

        given.destroy();

        assertThat(auth.headers().authorization()).isEqualTo("Bearer " + key);
    }

    @Test
    void baseUrlCanBeOverriddenWithHttps() {
        BigLedgerAuth auth = live(Canary.value("blg_live_sk_")).baseUrl(URI.create("https://ledger.example.com/v1/"))
                .build();

        assertThat(auth.baseUrl()).hasToString("https://ledger.example.com/v1");
        assertThat(auth.resolve("/accounts?page=2")).hasToString("https://ledger.example.com/v1/accounts?page=2");
        assertThat(auth.environment()).isEqualTo(BigLedgerEnvironment.PRODUCTION);
    }

    @Test
    void plainHttpIsRefusedForANonLoopbackHostEvenWhenLoopbackIsAllowed() {
        assertThatThrownBy(() -> live(Canary.value("blg_live_sk_")).baseUrl(URI.create("http://api.bigledger.com/v1"))
                .allowInsecureLoopback(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must use https");
    }

    @Test
    void plainHttpToLoopbackNeedsToBeAllowed() {
        URI local = URI.create("http://127.0.0.1:8080/v1");

        assertThatThrownBy(() -> live(Canary.value("blg_live_sk_")).baseUrl(local).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allowInsecureLoopback(true)");
        assertThat(live(Canary.value("blg_live_sk_")).baseUrl(local).allowInsecureLoopback(true).build().baseUrl())
                .isEqualTo(local);
    }

    @Test
    void baseUrlWithCredentialsOrQueryIsRefused() {
        assertThatThrownBy(() -> BigLedgerAuth.builder().baseUrl(URI.create("https://user:pw@example.com/v1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("pw");
        assertThatThrownBy(() -> BigLedgerAuth.builder().baseUrl(URI.create("https://example.com/v1?x=1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"accounts", "//evil.example.com/x", "/../admin", "/accounts/../../admin", "/a#b"})
    void pathsThatLeaveTheBaseUrlAreRefused(String path) {
        BigLedgerAuth auth = live(Canary.value("blg_live_sk_")).build();

        assertThatThrownBy(() -> auth.resolve(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoCredentialsAreRefused() {
        BigLedgerAuth.Builder builder = BigLedgerAuth.builder().apiKey(Canary.secret("blg_live_sk_"));

        assertThatThrownBy(() -> builder.fromEnvironment(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two credentials");
    }

    @Test
    void anOptionSetTwiceIsRefused() {
        assertThatThrownBy(() -> BigLedgerAuth.builder().companyId(COMPANY).companyId("company_other"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("companyId is already set");
    }

    @Test
    void aCredentialIsRequired() {
        assertThatThrownBy(() -> BigLedgerAuth.builder().companyId(COMPANY).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs a credential");
    }

    @Test
    void userAgentMustBePrintableAscii() {
        assertThatThrownBy(() -> BigLedgerAuth.builder().userAgent("MyApp\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyFromAStoreIsInvalidatedOnceForManyRejections() {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("bigledger/api-key", Canary.secret("blg_live_sk_"));
        try (CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build()) {
            BigLedgerAuth auth = BigLedgerAuth.builder().apiKey(vault, ref).companyId(COMPANY).build();
            BigLedgerHeaders rejected = auth.headers();
            int loads = store.loads();

            assertThat(auth.invalidate(rejected)).isTrue();
            assertThat(auth.invalidate(rejected)).isFalse();
            BigLedgerHeaders reloaded = auth.headers();
            assertThat(auth.invalidate(rejected)).isFalse();

            assertThat(store.loads()).isEqualTo(loads + 1);
            assertThat(reloaded).isNotSameAs(rejected);
            assertThat(reloaded.authorization()).isEqualTo(rejected.authorization());
        }
    }

    @Test
    void aKeyGivenAsAValueCannotBeInvalidated() {
        BigLedgerAuth auth = live(Canary.value("blg_live_sk_")).build();

        assertThat(auth.invalidate(auth.headers())).isFalse();
    }

    @Test
    void aRotatedKeyOfTheWrongEnvironmentIsRefusedBeforeUse() {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("bigledger/api-key", Canary.secret("blg_live_sk_"));
        try (CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build()) {
            BigLedgerAuth auth = BigLedgerAuth.builder().apiKey(vault, ref).companyId(COMPANY).build();
            String sandboxKey = Canary.value("blg_test_sk_");
            store.put("bigledger/api-key", Secret.of(sandboxKey));

            auth.invalidate(auth.headers());

            assertThatThrownBy(auth::headers)
                    .isInstanceOf(BigLedgerConfigurationException.class)
                    .hasMessageContaining("mem:bigledger/api-key")
                    .hasMessageContaining("blg_test_sk_");
        }
    }
}
