package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.testing.Canary;
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
}
