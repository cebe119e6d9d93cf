package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeClock;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The double answers as the reference document says real Vault does, checked over raw HTTP: the envelope's keys,
 * the content type, error bodies and statuses, KV version 2 and 1, metadata, logins and token endpoints.
 */
class VaultHttpDoubleTest {

    private static final List<String> ENVELOPE = List.of("request_id", "lease_id", "renewable", "lease_duration",
            "data", "wrap_info", "warnings", "auth", "mount_type");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final VaultHttpDouble vault = VaultHttpDouble.start(Clock.systemUTC());
    private final String token = vault.root().issueToken(Duration.ofHours(1), Duration.ofHours(2), true, "app");

    @AfterEach
    void stop() {
        vault.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String withToken, String namespace)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(vault.address().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (withToken != null) {
            request.header("X-Vault-Token", withToken);
        }
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return send(method, path, body, token, null);
    }

    private static JsonObject json(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return Json.parse(response.body()).asObject();
    }

    private static void assertEnvelope(JsonObject body) {
        assertThat(body.names()).containsAll(ENVELOPE);
    }

    @Test
    void kv2ReadAndWriteWithCasReturnTheFullEnvelopeAndVaultsErrors() throws Exception {
        HttpResponse<String> missing = send("GET", "/v1/secret/data/app", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).toString()).isEqualTo("{\"errors\":[]}");

        HttpResponse<String> written = send("POST", "/v1/secret/data/app",
                "{\"options\":{\"cas\":0},\"data\":{\"api_key\":\"k1\"}}");
        assertThat(written.statusCode()).isEqualTo(200);
        JsonObject writeBody = json(written);
        assertEnvelope(writeBody);
        assertThat(writeBody.get("data").asObject().names()).containsExactlyInAnyOrder("created_time",
                "custom_metadata", "deletion_time", "destroyed", "version");

        JsonObject read = json(send("GET", "/v1/secret/data/app", null));
        assertEnvelope(read);
        assertThat(read.get("renewable").asBoolean()).isFalse();
        assertThat(read.get("data").asObject().get("data").asObject().get("api_key").asString()).isEqualTo("k1");
        assertThat(read.get("data").asObject().get("metadata").asObject().get("version").asInt()).isEqualTo(1);

        HttpResponse<String> stale = send("POST", "/v1/secret/data/app", "{\"options\":{\"cas\":0},\"data\":{}}");
        assertThat(stale.statusCode()).isEqualTo(400);
        assertThat(json(stale).get("errors").asArray().get(0).asString())
                .isEqualTo("check-and-set parameter did not match the current version");
        assertThat(send("POST", "/v1/secret/data/app", "{\"options\":{\"cas\":\"x\"},\"data\":{}}").body())
                .contains("error parsing check-and-set parameter");
        assertThat(send("POST", "/v1/secret/data/app", "{}").body()).contains("no data provided");

        assertThat(send("POST", "/v1/secret/metadata/app", "{\"cas_required\":true}").statusCode()).isEqualTo(204);
        assertThat(send("POST", "/v1/secret/data/app", "{\"data\":{}}").body())
                .contains("check-and-set parameter required for this call");
    }

    @Test
    void deletedVersionIs404WithTheEnvelopeAndMetadataListsVersions() throws Exception {
        vault.root().put("secret", "app", TestVaults.fields("a", "1"));
        vault.root().put("secret", "app", TestVaults.fields("a", "2"));
        assertThat(send("DELETE", "/v1/secret/data/app", null).statusCode()).isEqualTo(204);

        HttpResponse<String> deleted = send("GET", "/v1/secret/data/app", null);
        assertThat(deleted.statusCode()).isEqualTo(404);
        JsonObject body = json(deleted);
        assertEnvelope(body);
        assertThat(body.get("data").asObject().get("data").isNull()).isTrue();
        assertThat(body.get("data").asObject().get("metadata").asObject().get("deletion_time").asString()).isNotEmpty();

        JsonObject metadata = json(send("GET", "/v1/secret/metadata/app", null)).get("data").asObject();
        assertThat(metadata.get("current_version").asInt()).isEqualTo(2);
        assertThat(metadata.get("versions").asObject().names()).containsExactly("1", "2");
        assertThat(metadata.names()).contains("cas_required", "max_versions", "oldest_version", "updated_time");
    }

    @Test
    void appRoleLoginRenewAndLookupAnswerAsVaultDoes() throws Exception {
        String secretId = Canary.value("");
        vault.root().appRole("approle", "role-1", secretId, Duration.ofHours(1), Duration.ofHours(4), "app");

        HttpResponse<String> refused = send("POST", "/v1/auth/approle/login",
                "{\"role_id\":\"role-1\",\"secret_id\":\"wrong\"}", null, null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).get("errors").asArray().get(0).asString()).isEqualTo("invalid role or secret ID");

        JsonObject login = json(send("POST", "/v1/auth/approle/login",
                "{\"role_id\":\"role-1\",\"secret_id\":\"" + secretId + "\"}", null, null));
        assertEnvelope(login);
        assertThat(login.get("data").isNull()).isTrue();
        assertThat(login.get("lease_duration").asInt()).isZero();
        JsonObject auth = login.get("auth").asObject();
        assertThat(auth.get("lease_duration").asInt()).isEqualTo(3600);
        assertThat(auth.get("renewable").asBoolean()).isTrue();
        assertThat(auth.get("policies").asArray().get(0).asString()).isEqualTo("app");
        String issued = auth.get("client_token").asString();

        JsonObject renewed = json(send("POST", "/v1/auth/token/renew-self", null, issued, null));
        assertEnvelope(renewed);
        assertThat(renewed.get("auth").asObject().names()).contains("client_token", "policies", "lease_duration");

        JsonObject lookup = json(send("GET", "/v1/auth/token/lookup-self", null, issued, null));
        assertEnvelope(lookup);
        assertThat(lookup.get("data").asObject().names()).contains("accessor", "creation_ttl", "expire_time",
                "policies", "renewable", "ttl", "type");

        HttpResponse<String> noToken = send("GET", "/v1/auth/token/lookup-self", null, null, null);
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(json(noToken).get("errors").asArray().get(0).asString()).contains("permission denied");
    }

    @Test
    void kv1AndNamespacesKeepTheirOwnSecrets() throws Exception {
        assertThat(send("PUT", "/v1/kv/app", "{\"a\":\"1\"}").statusCode()).isEqualTo(204);
        JsonObject kv1 = json(send("GET", "/v1/kv/app", null));
        assertEnvelope(kv1);
        assertThat(kv1.get("lease_duration").asInt()).isEqualTo(2764800);
        assertThat(kv1.get("data").asObject().get("a").asString()).isEqualTo("1");

        String inTeam = vault.namespace("team-a").issueToken(Duration.ofHours(1), Duration.ZERO, false, "app");
        assertThat(send("GET", "/v1/kv/app", null, inTeam, "team-a").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v1/kv/app", null, token, "team-a").statusCode()).isEqualTo(403);
        assertThat(send("GET", "/v1/nomount/app", null).statusCode()).isEqualTo(404);
        vault.seal(true);
        assertThat(send("GET", "/v1/kv/app", null).statusCode()).isEqualTo(503);
    }

    private HttpResponse<String> login(String roleId, String secretId) throws Exception {
        return send("POST", "/v1/auth/approle/login", "{\"role_id\":\"" + roleId + "\",\"secret_id\":\"" + secretId
                + "\"}", null, null);
    }

    @Test
    void appRoleLocksARoleIdOutAfterFiveFailedLoginsEvenForTheRightSecretId() throws Exception {
        String secretId = Canary.value("");
        vault.root().appRole("approle", "role-1", secretId, Duration.ofHours(1), Duration.ofHours(4), "app");
        for (int i = 0; i < 5; i++) {
            assertThat(login("role-1", Canary.value("")).statusCode()).isEqualTo(400);
        }

        assertThat(login("role-1", secretId).statusCode()).isEqualTo(403);
        assertThat(vault.root().lockedOut("approle", "role-1")).isTrue();
    }

    @Test
    void lockoutCounterRestartsAfterAPauseAndASuccessfulLogin() throws Exception {
        FakeClock clock = new FakeClock();
        try (VaultHttpDouble timed = VaultHttpDouble.start(clock)) {
            String secretId = Canary.value("");
            timed.root().appRole("approle", "role-1", secretId, Duration.ofHours(1), Duration.ofHours(4), "app");
            timed.userLockout(2, Duration.ofMinutes(30), Duration.ofMinutes(15));
            HttpRequest bad = HttpRequest.newBuilder(timed.address().resolve("/v1/auth/approle/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"role_id\":\"role-1\",\"secret_id\":\"x\"}"))
                    .build();
            assertThat(HTTP.send(bad, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
            clock.advance(Duration.ofMinutes(15));
            assertThat(HTTP.send(bad, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
            assertThat(timed.root().failedLogins("approle", "role-1")).isEqualTo(1);
            assertThat(HTTP.send(bad, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
            assertThat(timed.root().lockedOut("approle", "role-1")).isTrue();
            clock.advance(Duration.ofMinutes(30));
            assertThat(timed.root().lockedOut("approle", "role-1")).isFalse();
        }
    }

    @Test
    void boundedSecretIdsAreRefusedOnceUsedUpOrExpired() throws Exception {
        vault.root().appRole("approle", "role-1", Canary.value(""), Duration.ofHours(1), Duration.ofHours(4), "app");
        String once = Canary.value("");
        vault.root().secretId("approle", "role-1", once, 1, Duration.ZERO);
        assertThat(login("role-1", once).statusCode()).isEqualTo(200);
        assertThat(login("role-1", once).statusCode()).isEqualTo(400);

        FakeClock clock = new FakeClock();
        try (VaultHttpDouble timed = VaultHttpDouble.start(clock)) {
            timed.root().appRole("approle", "role-1", Canary.value(""), Duration.ofHours(1), Duration.ofHours(4));
            String shortLived = Canary.value("");
            timed.root().secretId("approle", "role-1", shortLived, 0, Duration.ofMinutes(10));
            clock.advance(Duration.ofMinutes(10));
            HttpRequest request = HttpRequest.newBuilder(timed.address().resolve("/v1/auth/approle/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"role_id\":\"role-1\",\"secret_id\":\""
                            + shortLived + "\"}"))
                    .build();
            assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
        }
    }

    @Test
    void tokensGetTheDefaultPolicyAndWithoutItLookupSelfAndRenewSelfAre403() throws Exception {
        JsonObject self = json(send("GET", "/v1/auth/token/lookup-self", null)).get("data").asObject();
        assertThat(self.get("policies").asArray().values()).extracting(v -> v.asString())
                .containsExactly("app", "default");

        String bare = vault.root().issueTokenWithoutDefaultPolicy(Duration.ofHours(1), Duration.ofHours(2), true,
                "app");
        vault.root().put("secret", "app", TestVaults.fields("a", "1"));
        assertThat(send("GET", "/v1/secret/data/app", null, bare, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v1/auth/token/lookup-self", null, bare, null).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/v1/auth/token/renew-self", "{}", bare, null).statusCode()).isEqualTo(403);
    }

    @Test
    void renewalAfterTheRoleWasDeletedIs500() throws Exception {
        String secretId = Canary.value("");
        vault.root().appRole("approle", "role-1", secretId, Duration.ofHours(1), Duration.ofHours(4), "app");
        String client = json(login("role-1", secretId)).get("auth").asObject().get("client_token").asString();
        vault.root().deleteRole("approle", "role-1");

        assertThat(send("POST", "/v1/auth/token/renew-self", "{}", client, null).statusCode()).isEqualTo(500);
        assertThat(login("role-1", secretId).statusCode()).isEqualTo(400);
    }

    @Test
    void quotaAnswers429WithRetryAfterAndAStandbyRedirectsWith307() throws Exception {
        vault.rateLimit(1, 7, "secret/");
        HttpResponse<String> limited = send("GET", "/v1/secret/data/app", null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("7");
        assertThat(json(limited).get("errors").asArray().size()).isEqualTo(1);

        vault.standby(java.net.URI.create("http://127.0.0.1:1"));
        HttpResponse<String> redirected = send("GET", "/v1/secret/data/app?version=2", null);
        assertThat(redirected.statusCode()).isEqualTo(307);
        assertThat(redirected.headers().firstValue("Location")).contains("http://127.0.0.1:1/v1/secret/data/app"
                + "?version=2");
    }

    @Test
    void nestedMountsAreRoutedAndNamedBySysInternalUiMounts() throws Exception {
        vault.root().mount("team/kv", 2);
        vault.root().put("team/kv", "app", TestVaults.fields("a", "1"));
        assertThat(json(send("GET", "/v1/team/kv/data/app", null)).get("data").asObject().get("data").asObject()
                .get("a").asString()).isEqualTo("1");

        JsonObject mount = json(send("GET", "/v1/sys/internal/ui/mounts/team/kv/app", null)).get("data").asObject();
        assertThat(mount.get("path").asString()).isEqualTo("team/kv/");
        assertThat(mount.get("type").asString()).isEqualTo("kv");
        assertThat(mount.get("options").asObject().get("version").asString()).isEqualTo("2");
        assertThat(json(send("GET", "/v1/sys/internal/ui/mounts/kv/app", null)).get("data").asObject()
                .get("options").asObject().get("version").asString()).isEqualTo("1");
        assertThat(send("GET", "/v1/sys/internal/ui/mounts/nowhere/app", null).statusCode()).isEqualTo(403);
        vault.root().deny("team/kv/data/app");
        assertThat(send("GET", "/v1/sys/internal/ui/mounts/team/kv/app", null).statusCode()).isEqualTo(403);
    }

    @Test
    void staleReadsShowTheVersionsAsTheyWereWhileWritesCheckTheRealOnes() throws Exception {
        vault.root().put("secret", "app", TestVaults.fields("a", "1"));
        vault.staleReads(true);
        vault.root().put("secret", "app", TestVaults.fields("a", "2"));

        assertThat(json(send("GET", "/v1/secret/data/app", null)).get("data").asObject().get("metadata").asObject()
                .get("version").asInt()).isEqualTo(1);
        assertThat(send("POST", "/v1/secret/data/app", "{\"options\":{\"cas\":1},\"data\":{\"a\":\"3\"}}")
                .statusCode()).isEqualTo(400);
        vault.staleReads(false);
        assertThat(json(send("GET", "/v1/secret/data/app", null)).get("data").asObject().get("metadata").asObject()
                .get("version").asInt()).isEqualTo(2);
    }

    @Test
    void upgradingMountAnswers400UpgradingToEveryRequest() throws Exception {
        vault.root().upgrading("secret", true);

        HttpResponse<String> read = send("GET", "/v1/secret/data/app", null);
        assertThat(read.statusCode()).isEqualTo(400);
        assertThat(json(read).get("errors").asArray().get(0).asString()).startsWith("Upgrading from non-versioned");
        assertThat(send("POST", "/v1/secret/data/app", "{\"data\":{\"a\":\"1\"}}").statusCode()).isEqualTo(400);
    }
}
