package com.bigledger.auth;

import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import com.bigledger.auth.testing.FakeScheduler;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenManagerOptions} through the builder: each option is set once, its range is checked with a message that
 * names it, the edges of each range are accepted, the checks that need every option are made at build, and the
 * defaults are the documented ones. No request is sent.
 */
class TokenManagerOptionsTest {

    private static final URI ENDPOINT = URI.create("https://auth.example.test/oauth/token");

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
    private final CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build();
    private final OAuthClient client = client(Duration.ofSeconds(5));

    @AfterEach
    void closeVault() {
        vault.close();
    }

    private static OAuthClient client(Duration requestTimeout) {
        return OAuthClient.builder().tokenEndpoint(ENDPOINT).clientId("options-test").clientSecret(Canary.secret("cs_"))
                .requestTimeout(requestTimeout).build();
    }

    /** Each option's setter, with a value it accepts. */
    private Map<String, Consumer<TokenManagerBuilder>> options() {
        Map<String, Consumer<TokenManagerBuilder>> options = new LinkedHashMap<>();
        options.put("client", b -> b.client(client));
        options.put("scopes", b -> b.scopes(Set.of("read")));
        options.put("name", b -> b.name("options"));
        options.put("refreshAhead", b -> b.refreshAhead(Duration.ofMinutes(1), 0.2));
        options.put("expirySkew", b -> b.expirySkew(Duration.ofSeconds(5)));
        options.put("jitter", b -> b.jitter(0.2));
        options.put("timeout", b -> b.timeout(Duration.ofSeconds(5)));
        options.put("maxStaleness", b -> b.maxStaleness(Duration.ofSeconds(2)));
        options.put("retry", b -> b.retry(RetrySettings.none()));
        options.put("retryCooldown", b -> b.retryCooldown(Duration.ofMinutes(1)));
        options.put("closeTimeout", b -> b.closeTimeout(Duration.ofSeconds(1)));
        options.put("circuitBreaker", b -> b.circuitBreaker(CircuitBreakerSettings.disabled()));
        options.put("clock", b -> b.clock(clock));
        options.put("scheduler", b -> b.scheduler(scheduler));
        options.put("leaseTtl", b -> b.leaseTtl(Duration.ofSeconds(30)));
        options.put("recordPollInterval", b -> b.recordPollInterval(Duration.ofSeconds(1)));
        options.put("shareAccessTokens", b -> b.shareAccessTokens(false));
        return options;
    }

    @Test
    void everyOptionSetTwiceIsRefusedNamingIt() {
        options().forEach((option, set) -> {
            TokenManagerBuilder builder = TokenManager.builder();
            set.accept(builder);
            assertThatThrownBy(() -> set.accept(builder)).as(option).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("TokenManager option '" + option + "' is set twice");
        });
    }

    @Test
    void valuesOutsideTheirRangeAreRefusedNamingTheOption() {
        List<Map.Entry<String, Consumer<TokenManagerBuilder>>> refused = List.of(
                Map.entry("refreshAhead", b -> b.refreshAhead(Duration.ofSeconds(-1), 0.1)),
                Map.entry("refreshAhead", b -> b.refreshAhead(Duration.ZERO, 1.0)),
                Map.entry("refreshAhead", b -> b.refreshAhead(Duration.ZERO, -0.01)),
                Map.entry("refreshAhead", b -> b.refreshAhead(Duration.ZERO, Double.NaN)),
                Map.entry("expirySkew", b -> b.expirySkew(Duration.ofMillis(-1))),
                Map.entry("jitter", b -> b.jitter(1.0)),
                Map.entry("jitter", b -> b.jitter(-0.01)),
                Map.entry("jitter", b -> b.jitter(Double.NaN)),
                Map.entry("timeout", b -> b.timeout(Duration.ZERO)),
                Map.entry("maxStaleness", b -> b.maxStaleness(Duration.ofMillis(-1))),
                Map.entry("retryCooldown", b -> b.retryCooldown(Duration.ZERO)),
                Map.entry("closeTimeout", b -> b.closeTimeout(Duration.ZERO)),
                Map.entry("leaseTtl", b -> b.leaseTtl(Duration.ZERO)),
                Map.entry("recordPollInterval", b -> b.recordPollInterval(Duration.ZERO)));
        for (Map.Entry<String, Consumer<TokenManagerBuilder>> option : refused) {
            assertThatThrownBy(() -> option.getValue().accept(TokenManager.builder())).as(option.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("option '" + option.getKey() + "'");
        }
    }

    @Test
    void theEdgesOfEachRangeAreAcceptedAndReachTheSchedule() {
        double belowOne = Math.nextDown(1.0);
        assertThat(TokenManager.builder().refreshAhead(Duration.ZERO, 0).refreshSchedule()
                .sameAs(Duration.ZERO, 0, Duration.ofSeconds(30), 0.1)).isTrue();
        assertThat(TokenManager.builder().refreshAhead(Duration.ZERO, belowOne).refreshSchedule()
                .sameAs(Duration.ZERO, belowOne, Duration.ofSeconds(30), 0.1)).isTrue();
        assertThat(TokenManager.builder().jitter(0).refreshSchedule()
                .sameAs(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(30), 0)).isTrue();
        assertThat(TokenManager.builder().jitter(belowOne).refreshSchedule()
                .sameAs(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(30), belowOne)).isTrue();
        assertThat(TokenManager.builder().expirySkew(Duration.ZERO).refreshSchedule()
                .sameAs(Duration.ofMinutes(5), 0.1, Duration.ZERO, 0.1)).isTrue();
        TokenManager.builder().maxStaleness(Duration.ZERO);
    }

    @Test
    void withoutAGrantTheBuildIsRefused() {
        assertThatThrownBy(() -> TokenManager.builder().client(client).build())
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("TokenManager needs a grant");
    }

    @Test
    void eachFleetOptionWithoutATokenRecordIsRefusedAtBuild() {
        Map<String, Consumer<TokenManagerBuilder>> fleetOptions = options();
        fleetOptions.keySet().retainAll(Set.of("leaseTtl", "recordPollInterval", "shareAccessTokens"));
        assertThat(fleetOptions).hasSize(3);
        fleetOptions.forEach((option, set) -> {
            TokenManagerBuilder builder = TokenManager.builder().client(client).clientCredentials();
            set.accept(builder);
            assertThatThrownBy(builder::build).as(option).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("need tokenRecord(...)");
        });
    }

    @Test
    void aLeaseNoLongerThanTheClientsRequestTimeoutIsRefusedAndALongerOneAccepted() {
        CredentialRef record = CredentialRef.of("mem", "token_record");
        assertThatThrownBy(() -> TokenManager.builder().client(client).tokenRecord(vault, record)
                .leaseTtl(Duration.ofSeconds(5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'leaseTtl' (PT5S) must be longer than the client's request timeout (PT5S)");

        TokenManager manager = TokenManager.builder().client(client).tokenRecord(vault, record).clock(clock)
                .scheduler(scheduler).leaseTtl(Duration.ofSeconds(5).plusMillis(1)).build();
        manager.close();
        assertThat(manager.state()).isEqualTo(TokenManager.State.CLOSED);
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        TokenManagerOptions defaults = new TokenManagerOptions();

        assertThat(defaults.timeout).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.maxStaleness).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.retryCooldown).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.closeTimeout).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.leaseTtl).isNull();
        assertThat(defaults.recordPollInterval).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.shareAccessTokens).isTrue();
        assertThat(defaults.retry).isEqualTo(RetrySettings.defaults());
        assertThat(defaults.circuitBreaker).isEqualTo(CircuitBreakerSettings.defaults());
        assertThat(defaults.clock).isEqualTo(Clock.systemUTC());
        assertThat(defaults.scheduler).isSameAs(Scheduler.systemDefault());
        assertThat(defaults.scopes).isEmpty();
        assertThat(defaults.name).isNull();
        assertThat(defaults.refreshSchedule().sameAs(Duration.ofMinutes(5), 0.1, Duration.ofSeconds(30), 0.1))
                .isTrue();
    }
}
