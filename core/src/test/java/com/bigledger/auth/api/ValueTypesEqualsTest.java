package com.bigledger.auth.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CircuitBreakerSettings;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.RetrySettings;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.bigledger.VerifyResult;
import com.bigledger.auth.oauth.Pkce;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.testing.Canary;
import com.google.common.testing.EqualsTester;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The equals/hashCode contracts of core's value types, and toStrings that never show a secret. */
class ValueTypesEqualsTest {

    @Test
    void secretsAreEqualByValueHoweverTheyWereMade() {
        String one = Canary.value("blg_live_sk_");
        String other = Canary.value("blg_live_sk_");

        new EqualsTester()
                .addEqualityGroup(Secret.of(one), Secret.of(one.toCharArray()),
                        Secret.ofBytes(one.getBytes(StandardCharsets.UTF_8)))
                .addEqualityGroup(Secret.of(other))
                .addEqualityGroup(Secret.of(one + "x"))
                .testEquals();
    }

    @Test
    void secretToStringShowsTheKnownPrefixAtMost() {
        String value = Canary.value("blg_live_sk_");
        Secret secret = Secret.of(value);
        String unprefixed = Canary.value("");

        assertThat(secret.toString()).isEqualTo("Secret[blg_live_sk_…redacted]");
        assertThat(Secret.of(unprefixed).toString()).isEqualTo("Secret[redacted]");
        assertThat(Canary.leaksIn(secret.toString() + Secret.of(unprefixed))).isFalse();
    }

    @Test
    void credentialRefsAreEqualBySchemePathOptionsAndField() {
        new EqualsTester()
                .addEqualityGroup(CredentialRef.parse("env:BIGLEDGER_API_KEY"), CredentialRef.of("env",
                        "BIGLEDGER_API_KEY"), CredentialRef.parse("env:BIGLEDGER_API_KEY#f").withoutField())
                .addEqualityGroup(CredentialRef.parse("env:OTHER_KEY"))
                .addEqualityGroup(CredentialRef.parse("mem:tenants/a"), CredentialRef.parse("mem:tenants%2Fa"))
                .addEqualityGroup(CredentialRef.parse("mem:tenants/a#token"),
                        CredentialRef.parse("mem:tenants/a").withField("token"))
                .addEqualityGroup(CredentialRef.parse("mem:tenants/a#other"))
                .testEquals();
    }

    @Test
    void equalCredentialRefsHaveOneCanonicalText() {
        CredentialRef ref = CredentialRef.parse("mem:tenants/a#token");

        assertThat(CredentialRef.parse(ref.toString())).isEqualTo(ref);
        assertThat(CredentialRef.parse(ref.toString()).toString()).isEqualTo(ref.toString());
    }

    @Test
    void versionedSecretsAreEqualBySecretAndVersion() {
        String value = Canary.value("blg_oauth_rt_");

        new EqualsTester()
                .addEqualityGroup(VersionedSecret.of(Secret.of(value), "v1"), VersionedSecret.of(Secret.of(value), "v1"))
                .addEqualityGroup(VersionedSecret.of(Secret.of(value), "v2"))
                .addEqualityGroup(VersionedSecret.unversioned(Secret.of(value)),
                        VersionedSecret.unversioned(Secret.of(value)))
                .addEqualityGroup(VersionedSecret.of(Secret.of(Canary.value("blg_oauth_rt_")), "v1"))
                .testEquals();
        assertThat(Canary.leaksIn(VersionedSecret.of(Secret.of(value), "v1").toString())).isFalse();
    }

    @Test
    void writeResultsAreEqualByOutcomeAndVersion() {
        new EqualsTester()
                .addEqualityGroup(WriteResult.written("7"), WriteResult.written("7"))
                .addEqualityGroup(WriteResult.written("8"))
                .addEqualityGroup(WriteResult.written(null), WriteResult.written(null))
                .addEqualityGroup(WriteResult.conflict("7"), WriteResult.conflict("7"))
                .addEqualityGroup(WriteResult.conflict(null))
                .testEquals();
    }

    @Test
    void companiesAreEqualByIdNameAndPlan() {
        new EqualsTester()
                .addEqualityGroup(new VerifyResult.Company("company_a", Optional.of("Acme"), Optional.empty()),
                        new VerifyResult.Company("company_a", Optional.of("Acme"), Optional.empty()))
                .addEqualityGroup(new VerifyResult.Company("company_b", Optional.of("Acme"), Optional.empty()))
                .addEqualityGroup(new VerifyResult.Company("company_a", Optional.empty(), Optional.empty()))
                .addEqualityGroup(new VerifyResult.Company("company_a", Optional.of("Acme"), Optional.of("pro")))
                .testEquals();
    }

    @Test
    void holdersOfTokensAndVerifiersNeverShowThem() {
        String access = Canary.value("blg_oauth_at_");
        String refresh = Canary.value("blg_oauth_rt_");
        Pkce pkce = Pkce.create();
        Canary.remember(pkce.verifier().reveal());

        String shown = new AccessToken(Secret.of(access), Instant.EPOCH, Set.of("read:accounts")) + " "
                + TokenResponse.builder().accessToken(Secret.of(access)).expiresIn(Duration.ofHours(1))
                        .refreshToken(Secret.of(refresh)).build()
                + " " + pkce;

        assertThat(Canary.leaksIn(shown)).isFalse();
        assertThat(shown).contains("blg_oauth_at_");
    }

    @Test
    void retrySettingsAreEqualByEveryComponent() {
        RetrySettings base = new RetrySettings(4, Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(30));
        new EqualsTester()
                .addEqualityGroup(base, RetrySettings.defaults(),
                        new RetrySettings(4, Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(30)))
                .addEqualityGroup(base.withMaxAttempts(5))
                .addEqualityGroup(base.withBackoff(Duration.ofMillis(400), 2.0, Duration.ofSeconds(30)))
                .addEqualityGroup(base.withBackoff(Duration.ofMillis(500), 3.0, Duration.ofSeconds(30)))
                .addEqualityGroup(base.withBackoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(31)))
                .addEqualityGroup(base.withRandomization(0.0))
                .addEqualityGroup(base.withRandomization(0.25))
                .testEquals();
    }

    @Test
    void circuitBreakerSettingsAreEqualByEveryComponent() {
        CircuitBreakerSettings base = new CircuitBreakerSettings(10, 5, 50f, Duration.ofSeconds(20), 1, true);
        new EqualsTester()
                .addEqualityGroup(base, CircuitBreakerSettings.defaults(),
                        new CircuitBreakerSettings(10, 5, 50f, Duration.ofSeconds(20), 1, true))
                .addEqualityGroup(base.withWindow(11, 5, 50f))
                .addEqualityGroup(base.withWindow(10, 6, 50f))
                .addEqualityGroup(base.withWindow(10, 5, 60f))
                .addEqualityGroup(base.withOpenDuration(Duration.ofSeconds(21), 1))
                .addEqualityGroup(base.withOpenDuration(Duration.ofSeconds(20), 2))
                .addEqualityGroup(new CircuitBreakerSettings(10, 5, 50f, Duration.ofSeconds(20), 1, false))
                .testEquals();
    }
}
