package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.testing.Canary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token login, renewal and re-login, with time moved by a fake clock and the source's background work run by a
 * fake scheduler. A read that has to wait for a login runs on another thread while this one runs the due work.
 */
class VaultTokenRenewalTest extends VaultTokenFixture {

    @TempDir
    Path dir;

    private VaultCredentialSource appRole(Duration ttl, Duration maxTtl) {
        Secret secretId = Canary.secret("");
        vault.root().appRole("approle", "bigledger-role", secretId.reveal(), ttl, maxTtl, "bigledger-read");
        CredentialRef secretIdRef = secretIds.put("vault-secret-id", secretId);
        return build(VaultAuthentication.appRole("bigledger-role", secretIdRef, secretIds));
    }

    private String lastTokenUsed() {
        List<String> used = vault.tokensUsed();
        return used.get(used.size() - 1);
    }

    @Test
    void appRoleTokenIsRenewedTwoThirdsIntoItsTtlAndKeptInUse() throws Exception {
        appRole(HOUR, Duration.ofHours(24));
        assertThat(loadWaitingForAToken().secret()).isEqualTo(apiKey);
        String token = lastTokenUsed();

        scheduler.advance(Duration.ofMinutes(39));
        assertThat(vault.renewals()).isZero();
        scheduler.advance(Duration.ofMinutes(1));
        assertThat(vault.renewals()).isEqualTo(1);
        scheduler.advance(Duration.ofMinutes(40));
        assertThat(vault.renewals()).isEqualTo(2);

        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
        assertThat(lastTokenUsed().equals(token)).as("the renewed token is still used").isTrue();
        assertThat(vault.logins()).isEqualTo(1);
    }

    @Test
    void renewalCappedByTheMaxTtlIsFollowedByANewLogin() throws Exception {
        appRole(HOUR, Duration.ofMinutes(90));
        loadWaitingForAToken();
        String first = lastTokenUsed();

        // At 40 min the renewal is capped to the 90 min max TTL (50 min left), so the next refresh is a login.
        scheduler.advance(Duration.ofMinutes(40));
        assertThat(vault.renewals()).isEqualTo(1);
        assertThat(vault.logins()).isEqualTo(1);
        scheduler.advance(Duration.ofMinutes(34));
        assertThat(vault.logins()).isEqualTo(2);
        assertThat(vault.renewals()).isEqualTo(1);

        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
        assertThat(lastTokenUsed().equals(first)).as("a new token is used").isFalse();
    }

    @Test
    void refusedRenewalIsFollowedByANewLogin() throws Exception {
        appRole(HOUR, Duration.ofHours(24));
        loadWaitingForAToken();
        vault.root().revokeAll();

        scheduler.advance(Duration.ofMinutes(40));

        assertThat(vault.renewals()).isEqualTo(1);
        assertThat(vault.logins()).isEqualTo(2);
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
        assertThat(lastTokenUsed().equals(vault.root().loginTokens().get(1))).as("the second login's token is used")
                .isTrue();
    }

    @Test
    void oneLoginHoweverManyReadsWait() throws Exception {
        appRole(HOUR, Duration.ofHours(24));
        List<Future<VersionedSecret>> reads = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            reads.add(threads.submit(() -> source.load(REF)));
        }
        counting.awaitImmediate(1);
        scheduler.runDue();

        for (Future<VersionedSecret> read : reads) {
            assertThat(read.get(30, TimeUnit.SECONDS).secret()).isEqualTo(apiKey);
        }
        assertThat(vault.logins()).isEqualTo(1);
    }

    @Test
    void readRefusedWithARevokedTokenLogsInOnceAndTriesOnceMore() throws Exception {
        appRole(HOUR, Duration.ofHours(24));
        loadWaitingForAToken();
        vault.root().revokeAll();

        assertThat(loadWaitingForAToken().secret()).isEqualTo(apiKey);

        assertThat(vault.logins()).isEqualTo(2);
        assertThat(vault.requests()).filteredOn(line -> line.startsWith("GET /v1/secret/data/bigledger ")).hasSize(3);
    }

    @Test
    void refusedLoginIsAccessDeniedNamingTheMethodAndTheSecretIdReference() throws Exception {
        vault.root().appRole("approle", "bigledger-role", Canary.value(""), HOUR, HOUR, "bigledger-read");
        CredentialRef secretIdRef = secretIds.put("stale-secret-id", Canary.secret(""));
        build(VaultAuthentication.appRole("bigledger-role", secretIdRef, secretIds));

        Future<VersionedSecret> read = startLoadWaitingForAToken();

        assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("AppRole login at auth/approle was refused (HTTP 400)")
                .hasMessageContaining("mem:stale-secret-id");
        // Until the next attempt is due, reads get the failure at once instead of logging in again.
        assertThatThrownBy(() -> source.load(REF)).isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED));
        assertThat(vault.logins()).isEqualTo(1);
    }

    @Test
    void givenTokenIsLookedUpOnceAndRenewedAheadOfItsTtl() throws Exception {
        String token = vault.root().issueToken(HOUR, Duration.ofHours(24), true, "bigledger-read");
        build(VaultAuthentication.token(Secret.of(token)));

        assertThat(loadWaitingForAToken().secret()).isEqualTo(apiKey);
        assertThat(vault.lookups()).isEqualTo(1);
        scheduler.advance(Duration.ofMinutes(40));

        assertThat(vault.renewals()).isEqualTo(1);
        assertThat(vault.logins()).isZero();
        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
    }

    @Test
    void expiredGivenTokenIsAccessDeniedSayingSo() throws Exception {
        String token = vault.root().issueToken(Duration.ofMinutes(10), Duration.ZERO, false, "bigledger-read");
        build(VaultAuthentication.token(Secret.of(token)));
        loadWaitingForAToken();

        scheduler.advance(Duration.ofMinutes(10));
        Future<VersionedSecret> read = startLoadWaitingForAToken();

        assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("expired or was revoked");
        assertThat(vault.renewals()).isZero();
    }

    @Test
    void tokenFileIsReadAgainAtRenewalTimeSoARewrittenTokenIsUsed() throws Exception {
        Path file = dir.resolve("vault-token");
        String first = vault.root().issueToken(HOUR, Duration.ofHours(24), true, "bigledger-read");
        Files.writeString(file, first + "\n", StandardCharsets.UTF_8);
        build(VaultAuthentication.tokenFile(file));
        loadWaitingForAToken();
        assertThat(lastTokenUsed().equals(first)).as("the file's first token is used").isTrue();

        String second = vault.root().issueToken(HOUR, Duration.ofHours(24), true, "bigledger-read");
        Files.writeString(file, second, StandardCharsets.UTF_8);
        scheduler.advance(Duration.ofMinutes(40));

        assertThat(source.load(REF).secret()).isEqualTo(apiKey);
        assertThat(lastTokenUsed().equals(second)).as("the file's new token is used").isTrue();
        assertThat(vault.renewals()).isZero();
    }

    @Test
    void kubernetesLoginReadsTheServiceAccountTokenAgainForEachLogin() throws Exception {
        Path jwtFile = dir.resolve("token");
        String firstJwt = Canary.value("eyJ");
        Files.writeString(jwtFile, firstJwt, StandardCharsets.UTF_8);
        vault.root().kubernetesRole("kubernetes", "bigledger", firstJwt, HOUR, "bigledger-read");
        build(VaultAuthentication.kubernetes("bigledger", jwtFile));
        loadWaitingForAToken();

        String rotatedJwt = Canary.value("eyJ");
        Files.writeString(jwtFile, rotatedJwt, StandardCharsets.UTF_8);
        vault.root().kubernetesRole("kubernetes", "bigledger", rotatedJwt, HOUR, "bigledger-read");
        vault.root().revokeAll();

        assertThat(loadWaitingForAToken().secret()).isEqualTo(apiKey);
        assertThat(vault.logins()).isEqualTo(2);
        assertThat(vault.requests()).filteredOn(line -> line.startsWith("POST /v1/auth/kubernetes/login "))
                .hasSize(2);
    }
}
