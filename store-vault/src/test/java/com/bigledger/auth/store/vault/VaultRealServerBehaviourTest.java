package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.testing.Canary;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * How the source copes with what real Vault does and the double models since the store-fidelity review (see
 * {@code docs/store-fidelity.md}): AppRole user lockout, bounded secret ids, tokens without the {@code default}
 * policy, renewal after the role was deleted, rate-limit quotas, a standby's redirect, nested mounts, stale reads and
 * a KV upgrade in progress. Time is moved by a fake clock and the token's background work run by a fake scheduler.
 */
class VaultRealServerBehaviourTest extends VaultTokenFixture {

    private static final String ROLE = "bigledger-role";
    private static final Duration DAY = Duration.ofDays(1);

    /** An AppRole source whose secret id, under {@code mem:secret-id}, is {@code secretId}. */
    private VaultCredentialSource appRoleWith(Secret secretId) {
        return build(VaultAuthentication.appRole(ROLE, secretIds.put("secret-id", secretId), secretIds));
    }

    private void advanceMinutes(int minutes) {
        for (int i = 0; i < minutes; i++) {
            scheduler.advance(Duration.ofMinutes(1));
        }
    }

    /** Makes the role with a new secret id (tokens of an hour, a day at most) and returns the secret id. */
    private Secret roleWithASecretId() {
        Secret secretId = Canary.secret("");
        vault.root().appRole("approle", ROLE, secretId.reveal(), HOUR, DAY, "bigledger-read");
        return secretId;
    }

    /**
     * An AppRole source whose first login Vault answers 429 with a Retry-After of {@code retryAfterSeconds}: the read
     * waiting for it fails as the source being unavailable; returns the assertion on that failure.
     */
    private AbstractThrowableAssert<?, ? extends Throwable> firstLoginAnswered429(int retryAfterSeconds)
            throws InterruptedException {
        Secret secretId = roleWithASecretId();
        vault.rateLimit(1, retryAfterSeconds, "auth/approle/login");
        appRoleWith(secretId);
        return assertThatThrownBy(() -> startLoadWaitingForAToken().get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(SourceUnavailableException.class);
    }

    /** The AppRole login requests Vault got, answered or not. */
    private long loginRequests() {
        return vault.requests().stream().filter(line -> line.startsWith("POST /v1/auth/approle/login ")).count();
    }

    /** A failed AppRole login sent by another client of the same role id. */
    private int failedLoginElsewhere() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(vault.address().resolve("/v1/auth/approle/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"role_id\":\"" + ROLE + "\",\"secret_id\":\""
                        + Canary.value("") + "\"}"))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // --- AppRole user lockout and bounded secret ids -------------------------------------------------------------

    @Test
    void refusedAppRoleLoginIsRetriedTooSlowlyToLockTheRoleOut() throws Exception {
        vault.root().appRole("approle", ROLE, Canary.value(""), HOUR, DAY, "bigledger-read");
        appRoleWith(Canary.secret(""));

        assertThatThrownBy(() -> startLoadWaitingForAToken().get(30, TimeUnit.SECONDS))
                .cause().isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED));
        advanceMinutes(90);

        assertThat(vault.root().lockedOut("approle", ROLE)).as("the role id is locked out").isFalse();
        assertThat(vault.logins()).as("refused logins in 90 minutes").isBetween(2, 6);
        assertThat(vault.root().failedLogins("approle", ROLE)).isLessThan(5);

        // The operator issues a new secret id: the next attempt logs in.
        Secret fresh = Canary.secret("");
        vault.root().secretId("approle", ROLE, fresh.reveal(), 0, Duration.ZERO);
        secretIds.put("secret-id", fresh);
        advanceMinutes(16);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    @Test
    void lockedOutRoleIdIsNamedAsLockedOutNotAsABadSecretId() throws Exception {
        Secret secretId = roleWithASecretId();
        for (int i = 0; i < 5; i++) {
            assertThat(failedLoginElsewhere()).isEqualTo(400);
        }
        assertThat(vault.root().lockedOut("approle", ROLE)).isTrue();
        appRoleWith(secretId);

        assertThatThrownBy(() -> startLoadWaitingForAToken().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("HTTP 403")
                .hasMessageContaining("locked out")
                .hasMessageNotContaining(ROLE);
    }

    @Test
    void singleUseSecretIdLogsInOnceAndTheReLoginAfterTheMaxTtlNeedsANewOne() throws Exception {
        Secret first = Canary.secret("");
        vault.root().appRole("approle", ROLE, Canary.value(""), HOUR, HOUR, "bigledger-read");
        vault.root().secretId("approle", ROLE, first.reveal(), 1, Duration.ZERO);
        appRoleWith(first);
        assertThat(loadWaitingForAToken().secret()).isEqualTo(apiKey);

        // The renewal at 40 min is capped by the 1 h max TTL; the login that follows finds the secret id used up.
        advanceMinutes(60);
        assertThat(vault.logins()).isEqualTo(2);
        assertThatThrownBy(() -> source.load(REF)).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("mem:secret-id");

        Secret second = Canary.secret("");
        vault.root().secretId("approle", ROLE, second.reveal(), 1, Duration.ZERO);
        secretIds.put("secret-id", second);
        advanceMinutes(16);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
        assertThat(vault.root().lockedOut("approle", ROLE)).isFalse();
    }

    @Test
    void expiredSecretIdIsRefusedAtTheReLoginAfterTheMaxTtl() throws Exception {
        Secret secretId = Canary.secret("");
        vault.root().appRole("approle", ROLE, Canary.value(""), HOUR, HOUR, "bigledger-read");
        vault.root().secretId("approle", ROLE, secretId.reveal(), 0, Duration.ofMinutes(30));
        appRoleWith(secretId);
        assertThat(loadWaitingForAToken().secret()).isEqualTo(apiKey);

        advanceMinutes(60);

        assertThat(vault.logins()).isEqualTo(2);
        assertThatThrownBy(() -> source.load(REF)).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("secret id");
    }

    // --- Tokens without the default policy ------------------------------------------------------------------------

    @Test
    void deniedReadWithALiveTokenWithoutTheDefaultPolicyDoesNotLogInAgain() throws Exception {
        Secret secretId = Canary.secret("");
        vault.root().appRole("approle", ROLE, secretId.reveal(), DAY, DAY, "bigledger-read");
        vault.root().noDefaultPolicy("approle", ROLE);
        vault.root().put("secret", "forbidden", TestVaults.fields("api_key", apiKey.reveal()));
        vault.root().deny("secret/data/forbidden");
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal()));
        // The real scheduler: a mistaken re-login would run at once rather than wait for this thread.
        source = TestVaults.builder(vault).authentication(VaultAuthentication.appRole(ROLE,
                secretIds.put("secret-id", secretId), secretIds)).build();
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/forbidden#api_key")))
                    .isInstanceOf(CredentialException.class)
                    .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                    .hasMessageContaining("secret/data/forbidden (HTTP 403)")
                    .hasMessageContaining("'default' policy");
        }

        assertThat(vault.logins()).isEqualTo(1);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    // --- Renewal after the role was deleted --------------------------------------------------------------------

    @Test
    void renewalAnswered500AfterTheRoleWasDeletedIsFollowedByANewLogin() throws Exception {
        Secret secretId = roleWithASecretId();
        appRoleWith(secretId);
        loadWaitingForAToken();
        // Infrastructure code deletes and re-creates the role: live tokens' renewals now answer 500.
        vault.root().deleteRole("approle", ROLE);
        vault.root().appRole("approle", ROLE, secretId.reveal(), HOUR, DAY, "bigledger-read");

        scheduler.advance(Duration.ofMinutes(40));
        scheduler.advance(Duration.ofSeconds(5));

        assertThat(vault.renewals()).isEqualTo(1);
        assertThat(vault.logins()).isEqualTo(2);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    // --- Rate-limit quotas ---------------------------------------------------------------------------------------

    @Test
    void loginAnswered429IsTriedAgainNoSoonerThanItsRetryAfter() throws Exception {
        firstLoginAnswered429(30).hasMessageContaining("HTTP 429");
        scheduler.advance(Duration.ofSeconds(29));
        assertThat(loginRequests()).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(1));
        assertThat(loginRequests()).isEqualTo(2);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    @Test
    void retryAfterOfALoginIsCappedAtFiveMinutes() throws Exception {
        firstLoginAnswered429(86_400);
        scheduler.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(loginRequests()).isEqualTo(1);
        scheduler.advance(Duration.ofSeconds(1));

        assertThat(loginRequests()).isEqualTo(2);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    @Test
    void readAnswered429SendsNothingToVaultUntilItsRetryAfterHasPassed() {
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal()));
        source = TestVaults.withToken(vault, "bigledger-read").clock(clock).build();
        vault.rateLimit(1, 30, "secret/");

        assertThatThrownBy(() -> source.load(REF)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("HTTP 429").hasMessageContaining("30 s");
        int requests = vault.requests().size();
        assertThatThrownBy(() -> source.load(REF)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("Retry-After");
        assertThat(vault.requests()).hasSize(requests);

        clock.advance(Duration.ofSeconds(30));
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    // --- A standby's redirect ------------------------------------------------------------------------------------

    @Test
    void standbyRedirectIsNotFollowedSoTheTokenGoesNowhereElse() {
        try (VaultHttpDouble active = VaultHttpDouble.start(clock)) {
            vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal()));
            String token = vault.root().issueToken(DAY, DAY, true, "bigledger-read");
            source = TestVaults.builder(vault).clock(clock)
                    .authentication(VaultAuthentication.token(Secret.of(token))).build();
            vault.standby(active.address());

            assertThatThrownBy(() -> source.load(REF)).isInstanceOf(SourceUnavailableException.class)
                    .hasMessageContaining("HTTP 307").hasMessageContaining("not followed");
            assertThat(active.requests()).isEmpty();
        }
    }

    // --- Nested mounts -------------------------------------------------------------------------------------------

    @Test
    void nestedMountIsFoundThroughSysInternalUiMountsAndReadAndWritten() {
        vault.root().mount("team/kv", 2);
        vault.root().put("team/kv", "app", TestVaults.fields("api_key", apiKey.reveal(), "other", "kept"));
        source = TestVaults.withToken(vault, "team-read").clock(clock).build();
        CredentialRef ref = CredentialRef.parse("vault:team/kv/app#api_key");

        VersionedSecret read = source.load(ref);
        assertThat(read.secret()).isEqualTo(apiKey);
        assertThat(read.version()).contains("1");
        Secret rotated = Canary.secret("blg_live_sk_");
        assertThat(source.write(ref, rotated, Optional.of("1"))).isEqualTo(WriteResult.written("2"));
        assertThat(source.load(ref).secret()).isEqualTo(rotated);
        assertThat(source.load(CredentialRef.parse("vault:team/kv/app#other")).secret().reveal()).isEqualTo("kept");

        assertThat(vault.requests()).filteredOn(line -> line.startsWith("GET /v1/sys/internal/ui/mounts/"))
                .hasSize(1);
        assertThat(vault.requests()).anyMatch(line -> line.startsWith("GET /v1/team/kv/data/app "));
    }

    @Test
    void withoutSysInternalUiMountsTheFirstSegmentIsTheMount() {
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal()));
        source = TestVaults.withToken(vault, "bigledger-read").clock(clock).build();
        vault.failNext(404, 1, "sys/internal/ui/mounts/");

        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    // --- Stale reads of a performance standby --------------------------------------------------------------------

    @Test
    void staleReReadAfterARefusedCheckAndSetIsAConflict() {
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal()));
        source = TestVaults.withToken(vault, "bigledger-read").clock(clock).build();
        VersionedSecret read = source.load(REF);
        vault.staleReads(true);
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", Canary.value("blg_live_sk_")));

        WriteResult result = source.write(REF, Canary.secret("blg_live_sk_"), Optional.of(read.version().get()));

        assertThat(result.isWritten()).isFalse();
    }

    // --- KV version 1 to 2 upgrade -------------------------------------------------------------------------------

    @Test
    void upgradeInProgressIsRetryableAndSaysSo() {
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal()));
        source = TestVaults.withToken(vault, "bigledger-read").clock(clock).build();
        vault.root().upgrading("secret", true);

        assertThatThrownBy(() -> source.load(REF)).isInstanceOf(SourceUnavailableException.class)
                .hasMessageContaining("upgrad");
        assertThatThrownBy(() -> source.write(REF, Canary.secret(""), Optional.of("1")))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("upgrad");

        vault.root().upgrading("secret", false);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }
}
