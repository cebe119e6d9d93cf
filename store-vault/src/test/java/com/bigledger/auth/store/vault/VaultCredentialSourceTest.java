package com.bigledger.auth.store.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialException;
import com.bigledger.auth.CredentialException.Kind;
import com.bigledger.auth.CredentialNotFoundException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.VersionedSecret;
import com.bigledger.auth.WriteResult;
import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.testing.Canary;
import io.github.jopenlibs.vault.json.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reads, writes, error mapping and configuration, against the Vault double with a real clock and scheduler. */
class VaultCredentialSourceTest {

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    private final VaultHttpDouble vault = VaultHttpDouble.start(Clock.systemUTC());
    private final List<VaultCredentialSource> sources = new ArrayList<>();

    @AfterEach
    void stop() {
        sources.forEach(VaultCredentialSource::close);
        vault.close();
    }

    private VaultCredentialSource source() {
        return track(TestVaults.withToken(vault, "app-read").build());
    }

    private VaultCredentialSource track(VaultCredentialSource source) {
        sources.add(source);
        return source;
    }

    private static Secret key() {
        return Canary.secret("blg_test_sk_");
    }

    @Test
    void fieldWholeSecretAndPlainValueAreReadWithTheirKvVersion() {
        Secret apiKey = key();
        Secret clientSecret = key();
        vault.root().put("secret", "bigledger", TestVaults.fields("api_key", apiKey.reveal(),
                "client_secret", clientSecret.reveal()));
        vault.root().put("secret", "plain", TestVaults.fields("value", apiKey.reveal()));
        VaultCredentialSource source = source();

        VersionedSecret field = source.load(CredentialRef.parse("vault:secret/bigledger#client_secret"));
        assertThat(field.secret()).isEqualTo(clientSecret);
        assertThat(field.version()).contains("1");
        Secret whole = source.load(CredentialRef.parse("vault:secret/bigledger")).secret();
        assertThat(TestVaults.data(whole)).isEqualTo(TestVaults.fields("api_key", apiKey.reveal(), "client_secret",
                clientSecret.reveal()));
        assertThat(source.load(CredentialRef.parse("vault:secret/plain")).secret()).isEqualTo(apiKey);
        assertThat(source.load(CredentialRef.parse("vault:secret/plain#value")).secret()).isEqualTo(apiKey);
        assertThat(vault.requests()).allMatch(line -> line.contains("request=true"))
                .anyMatch(line -> line.startsWith("GET /v1/secret/data/bigledger "));
    }

    @Test
    void numberAndBooleanFieldsAreTheirJsonTextAndAnObjectFieldIsRefused() {
        vault.root().put("secret", "typed", Json.object().add("port", 8200).add("tls", true)
                .add("nested", Json.object().add("a", "b")));
        VaultCredentialSource source = source();

        assertThat(source.load(CredentialRef.parse("vault:secret/typed#port")).secret().reveal()).isEqualTo("8200");
        assertThat(source.load(CredentialRef.parse("vault:secret/typed#tls")).secret().reveal()).isEqualTo("true");
        assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/typed#nested")))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.INVALID))
                .hasMessageContaining("'nested'");
    }

    @Test
    void pinnedVersionIsReadAndADeletedOrDestroyedVersionIsNotFound() throws Exception {
        Secret first = key();
        Secret second = key();
        vault.root().put("secret", "rotating", TestVaults.fields("value", first.reveal()));
        vault.root().put("secret", "rotating", TestVaults.fields("value", second.reveal()));
        VaultCredentialSource source = source();

        assertThat(source.load(CredentialRef.parse("vault:secret/rotating?version=1")).secret()).isEqualTo(first);
        VersionedSecret latest = source.load(CredentialRef.parse("vault:secret/rotating"));
        assertThat(latest.secret()).isEqualTo(second);
        assertThat(latest.version()).contains("2");

        raw("POST", "/v1/secret/delete/rotating", "{\"versions\":[1]}");
        assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/rotating?version=1")))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageContaining("version 1 of secret/data/rotating is deleted or destroyed (HTTP 404)");
        raw("POST", "/v1/secret/destroy/rotating", "{\"versions\":[2]}");
        assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/rotating")))
                .isInstanceOf(CredentialNotFoundException.class).hasMessageContaining("version 2")
                .hasMessageContaining("deleted or destroyed");
        assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/rotating?version=7")))
                .isInstanceOf(CredentialNotFoundException.class).hasMessageContaining("has no version 7");
    }

    @Test
    void missingSecretIsNotFoundWithAHintAboutTheKvVersion() {
        VaultCredentialSource source = source();

        assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/nothing#api_key")))
                .isInstanceOf(CredentialNotFoundException.class)
                .hasMessageStartingWith("vault:secret/nothing#api_key: no secret at secret/data/nothing (HTTP 404)")
                .hasMessageContaining("?kv=1");
        assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:nomount/app")))
                .isInstanceOf(CredentialException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void kvVersion1IsReadUnversionedAndWrittenLastWriterWins() {
        Secret apiKey = key();
        vault.root().putKv1("kv", "bigledger", TestVaults.fields("api_key", apiKey.reveal(), "other", "kept"));
        VaultCredentialSource source = source();
        CredentialRef ref = CredentialRef.parse("vault:kv/bigledger?kv=1#api_key");

        VersionedSecret loaded = source.load(ref);
        assertThat(loaded.secret()).isEqualTo(apiKey);
        assertThat(loaded.version()).isEmpty();

        Secret rotated = key();
        assertThatThrownBy(() -> source.write(ref, rotated, Optional.of("1")))
                .isInstanceOf(CredentialException.class).hasMessageContaining("KV version 1 keeps no versions")
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION));
        assertThat(source.write(ref, rotated, Optional.empty())).isEqualTo(WriteResult.written(null));
        assertThat(source.load(ref).secret()).isEqualTo(rotated);
        assertThat(source.load(CredentialRef.parse("vault:kv/bigledger?kv=1#other")).secret().reveal())
                .isEqualTo("kept");
        assertThat(vault.requests()).anyMatch(line -> line.startsWith("POST /v1/kv/bigledger "));
    }

    @Test
    void writeWithCheckAndSetReturnsTheNewVersionAndAStaleOneIsAConflictWithTheCurrentVersion() {
        CredentialRef ref = CredentialRef.parse("vault:secret/rotation#refresh_token");
        vault.root().put("secret", "rotation", TestVaults.fields("refresh_token", key().reveal(), "client_id", "app"));
        VaultCredentialSource source = source();
        String read = source.load(ref).version().orElseThrow();

        Secret rotated = key();
        WriteResult written = source.write(ref, rotated, Optional.of(read));
        assertThat(written).isEqualTo(WriteResult.written("2"));
        assertThat(vault.requests()).anyMatch(line -> line.startsWith("POST /v1/secret/data/rotation "));

        WriteResult stale = source.write(ref, key(), Optional.of(read));
        assertThat(stale).isEqualTo(WriteResult.conflict("2"));
        WriteResult staleWhole = source.write(ref.withoutField(), key(), Optional.of(read));
        assertThat(staleWhole).isEqualTo(WriteResult.conflict("2"));
        assertThat(source.load(ref).secret()).isEqualTo(rotated);
        assertThat(source.load(CredentialRef.parse("vault:secret/rotation#client_id")).secret().reveal())
                .isEqualTo("app");
    }

    @Test
    void versionZeroCreatesOnlyAndNoVersionWritesUnconditionally() {
        CredentialRef ref = CredentialRef.parse("vault:secret/created");
        VaultCredentialSource source = source();
        Secret first = key();

        assertThat(source.write(ref, first, Optional.of("0"))).isEqualTo(WriteResult.written("1"));
        assertThat(source.write(ref, key(), Optional.of("0"))).isEqualTo(WriteResult.conflict("1"));
        Secret json = Secret.of("{\"client_id\":\"app\",\"client_secret\":\"" + key().reveal() + "\"}");
        assertThat(source.write(ref, json, Optional.empty())).isEqualTo(WriteResult.written("2"));
        assertThat(source.load(ref.withField("client_id")).secret().reveal()).isEqualTo("app");
        Secret field = key();
        assertThat(source.write(ref.withField("api_key"), field, Optional.empty()))
                .isEqualTo(WriteResult.written("3"));
        assertThat(source.load(ref.withField("api_key")).secret()).isEqualTo(field);
        assertThat(source.load(ref.withField("client_id")).secret().reveal()).isEqualTo("app");
    }

    @Test
    void checkAndSetRequiredWithoutAnExpectedVersionIsRefusedWithTheFix() throws Exception {
        CredentialRef ref = CredentialRef.parse("vault:secret/strict");
        vault.root().put("secret", "strict", TestVaults.fields("value", key().reveal()));
        raw("POST", "/v1/secret/metadata/strict", "{\"cas_required\":true}");
        VaultCredentialSource source = source();

        assertThatThrownBy(() -> source.write(ref, key(), Optional.empty()))
                .isInstanceOf(CredentialException.class).hasMessageContaining("HTTP 400")
                .hasMessageContaining("cas_required")
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.CONFIGURATION));
        assertThat(source.write(ref, key(), Optional.of("1"))).isEqualTo(WriteResult.written("2"));
        assertThatThrownBy(() -> source.write(CredentialRef.parse("vault:secret/strict?version=2"), key(),
                Optional.of("2"))).isInstanceOf(CredentialException.class).hasMessageContaining("?version");
        assertThatThrownBy(() -> source.write(ref, key(), Optional.of("v2")))
                .isInstanceOf(CredentialException.class).hasMessageContaining("'v2'");
    }

    @Test
    void twoWritersRacingOnOneSecretExactlyOneWins() throws Exception {
        CredentialRef ref = CredentialRef.parse("vault:secret/raced#refresh_token");
        vault.root().put("secret", "raced", TestVaults.fields("refresh_token", key().reveal()));
        VaultCredentialSource first = source();
        VaultCredentialSource second = source();
        String read = first.load(ref).version().orElseThrow();
        second.load(ref);
        Secret a = key();
        Secret b = key();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<WriteResult> fromFirst = threads.submit(writeAfter(go, first, ref, a, read));
            Future<WriteResult> fromSecond = threads.submit(writeAfter(go, second, ref, b, read));
            go.countDown();
            WriteResult one = fromFirst.get(30, TimeUnit.SECONDS);
            WriteResult two = fromSecond.get(30, TimeUnit.SECONDS);

            assertThat(List.of(one, two)).containsExactlyInAnyOrder(WriteResult.written("2"),
                    WriteResult.conflict("2"));
            assertThat(first.load(ref).secret()).isEqualTo(one.isWritten() ? a : b);
        } finally {
            threads.shutdownNow();
        }
    }

    private static Callable<WriteResult> writeAfter(CountDownLatch go, VaultCredentialSource source,
            CredentialRef ref, Secret value, String version) {
        return () -> {
            go.await();
            return source.write(ref, value, Optional.of(version));
        };
    }

    @Test
    void permissionDeniedNamesThePathAndThePoliciesWithoutANewToken() {
        vault.root().put("secret", "forbidden", TestVaults.fields("value", key().reveal()));
        vault.root().deny("secret/data/forbidden");
        VaultCredentialSource source = source();

        CredentialException denied = catchThrowableOfType(CredentialException.class,
                () -> source.load(CredentialRef.parse("vault:secret/forbidden")));

        assertThat(denied.kind()).isEqualTo(Kind.ACCESS_DENIED);
        assertThat(denied).hasMessageContaining("secret/data/forbidden (HTTP 403)")
                .hasMessageContaining("[app-read, default]").hasMessageContaining("'read' capability");
        assertThat(denied.retryable()).isFalse();
        assertThat(vault.lookups()).isEqualTo(2);
        assertThatThrownBy(() -> source.write(CredentialRef.parse("vault:secret/forbidden"), key(), Optional.empty()))
                .isInstanceOf(CredentialException.class)
                .satisfies(e -> assertThat(((CredentialException) e).kind()).isEqualTo(Kind.ACCESS_DENIED))
                .hasMessageContaining("'create' or 'update'");
    }

    @ParameterizedTest
    @ValueSource(ints = {412, 423, 429, 500, 502, 503})
    void temporaryStatusesAreRetryableUnavailabilityWithoutVaultsText(int status) {
        vault.root().put("secret", "app", TestVaults.fields("value", key().reveal()));
        VaultCredentialSource source = source();
        CredentialRef ref = CredentialRef.parse("vault:secret/app");
        source.load(ref);
        vault.failNext(status, 1, "secret/");

        SourceUnavailableException thrown = catchThrowableOfType(SourceUnavailableException.class,
                () -> source.load(ref));

        assertThat(thrown).hasMessageStartingWith("vault:secret/app: reading secret/data/app failed: HTTP " + status)
                .hasMessageNotContaining("injected");
        assertThat(thrown.retryable()).isTrue();
        assertThat(source.load(ref).version()).contains("1");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 405})
    void refusalsAreNotRetryable(int status) {
        VaultCredentialSource source = source();
        vault.failNext(status, 1, "secret/");

        CredentialException thrown = catchThrowableOfType(CredentialException.class,
                () -> source.load(CredentialRef.parse("vault:secret/app")));

        assertThat(thrown).hasMessageContaining("HTTP " + status).hasMessageNotContaining("injected");
        assertThat(thrown.retryable()).isFalse();
    }

    @Test
    void sealedVaultIsUnavailable() {
        VaultCredentialSource source = source();
        vault.seal(true);

        assertThatThrownBy(() -> source.load(CredentialRef.parse("vault:secret/app")))
                .isInstanceOf(SourceUnavailableException.class).hasMessageContaining("HTTP 503")
                .hasMessageContaining("sealed");
    }

    @Test
    void unreachableVaultIsUnavailableAndNamesTheAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port);
        VaultCredentialSource source = track(VaultCredentialSource.builder().environment(Map.of()).address(nowhere)
                .allowInsecureLoopback(true).authentication(VaultAuthentication.token(key())).build());

        SourceUnavailableException thrown = catchThrowableOfType(SourceUnavailableException.class,
                () -> source.load(CredentialRef.parse("vault:secret/app")));

        assertThat(thrown).hasMessageContaining(nowhere.toString()).hasMessageContaining("no answer");
        assertThat(thrown.retryable()).isTrue();
    }

    @Test
    void namespaceIsSentWithTheLoginAndEveryRead() {
        Secret secretId = key();
        Secret inTeam = key();
        vault.namespace("team-a").appRole("approle", "role-1", secretId.reveal(), Duration.ofHours(1),
                Duration.ofHours(4), "team-a-read");
        vault.namespace("team-a").put("secret", "app", TestVaults.fields("value", inTeam.reveal()));
        vault.root().put("secret", "app", TestVaults.fields("value", key().reveal()));
        var secretIds = new com.bigledger.auth.testing.InMemoryCredentialSource("mem");
        CredentialRef secretIdRef = secretIds.put("vault-secret-id", secretId);
        VaultCredentialSource source = track(TestVaults.builder(vault).namespace("team-a")
                .authentication(VaultAuthentication.appRole("role-1", secretIdRef, secretIds)).build());

        assertThat(source.load(CredentialRef.parse("vault:secret/app")).secret()).isEqualTo(inTeam);
        // The login, the question of which mount holds the path, the read.
        assertThat(vault.requests()).hasSize(3).allMatch(line -> line.contains(" ns=team-a "));
        assertThat(vault.requests().get(0)).startsWith("POST /v1/auth/approle/login ").contains("token=no");
        assertThat(source.namespace()).contains("team-a");
    }

    @Test
    void readsReuseOneConnection() {
        vault.root().put("secret", "app", TestVaults.fields("value", key().reveal()));
        VaultCredentialSource source = source();
        for (int i = 0; i < 5; i++) {
            source.load(CredentialRef.parse("vault:secret/app"));
        }

        // The token's lookup, the question of which mount holds the path (once), the five reads.
        assertThat(vault.requests()).hasSize(7);
        assertThat(vault.clientPorts()).hasSize(1);
    }

    @Test
    void plainHttpIsRefusedExceptToALoopbackHostWhenAllowed() {
        VaultAuthentication token = VaultAuthentication.token(key());
        assertThatThrownBy(() -> VaultCredentialSource.builder().environment(Map.of())
                .address(URI.create("http://vault.internal:8200")).allowInsecureLoopback(true).authentication(token)
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("must use https");
        assertThatThrownBy(() -> VaultCredentialSource.builder().environment(Map.of())
                .address(URI.create("http://127.0.0.1:8200")).authentication(token).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowInsecureLoopback(true)");
        assertThatThrownBy(() -> VaultCredentialSource.builder().environment(Map.of())
                .address(URI.create("https://user:pw@vault.internal:8200")).authentication(token).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("pw");
        VaultCredentialSource https = track(VaultCredentialSource.builder().environment(Map.of())
                .address(URI.create("https://vault.internal:8200")).authentication(token).build());
        assertThat(https.toString()).isEqualTo("VaultCredentialSource[address=https://vault.internal:8200, "
                + "authentication=VaultAuthentication[token]]");
    }

    @Test
    void unreadableTlsFilesFailAtBuildNamingTheFileNotItsContent(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path notPem = dir.resolve("ca.pem");
        java.nio.file.Files.writeString(notPem, "not a certificate");
        VaultAuthentication token = VaultAuthentication.token(key());

        assertThatThrownBy(() -> TestVaults.builder(vault).authentication(token).caBundle(notPem).build())
                .isInstanceOf(BigLedgerAuthException.class).hasMessageContaining(notPem.toString())
                .hasMessageNotContaining("not a certificate");
        assertThatThrownBy(() -> TestVaults.builder(vault).authentication(token)
                .caBundle(dir.resolve("missing.pem")).build())
                .isInstanceOf(BigLedgerAuthException.class).hasMessageContaining("missing.pem");
    }

    @Test
    void optionSetTwiceFailsAtOnceWithTheValue() {
        assertThatThrownBy(() -> VaultCredentialSource.builder().requestTimeout(Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(7)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'requestTimeout'")
                .hasMessageContaining("PT7S");
        assertThatThrownBy(() -> VaultCredentialSource.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
    }

    @Test
    void environmentGivesTheAddressNamespaceAndToken() {
        Secret value = key();
        String token = vault.namespace("ns1").issueToken(Duration.ofHours(1), Duration.ofHours(2), true, "p");
        vault.namespace("ns1").put("secret", "app", TestVaults.fields("api_key", value.reveal()));
        VaultCredentialSource source = track(VaultCredentialSource.builder().environment(Map.of(
                "VAULT_ADDR", vault.address().toString(), "VAULT_NAMESPACE", "ns1", "VAULT_TOKEN", token,
                "BIGLEDGER_VAULT_ALLOW_INSECURE_LOOPBACK", "true")).build());

        assertThat(source.load(CredentialRef.parse("vault:secret/app#api_key")).secret()).isEqualTo(value);
        assertThat(source.address()).isEqualTo(vault.address());
    }

    @Test
    void environmentWithoutAddressOrWithTwoAuthenticationsIsRefusedNamingTheVariables() {
        assertThatThrownBy(() -> VaultCredentialSource.builder().environment(Map.of("VAULT_TOKEN", "x")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VAULT_ADDR");
        assertThatThrownBy(() -> VaultCredentialSource.builder().environment(Map.of(
                "VAULT_ADDR", "https://vault.internal", "VAULT_TOKEN", "x",
                "BIGLEDGER_VAULT_KUBERNETES_ROLE", "app")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VAULT_TOKEN")
                .hasMessageContaining("BIGLEDGER_VAULT_KUBERNETES_ROLE");
        assertThatThrownBy(() -> VaultCredentialSource.builder().environment(Map.of(
                "VAULT_ADDR", "https://vault.internal")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No Vault authentication");
        VaultCredentialSource kubernetes = track(VaultCredentialSource.builder().environment(Map.of(
                "VAULT_ADDR", "https://vault.internal", "BIGLEDGER_VAULT_KUBERNETES_ROLE", "app",
                "BIGLEDGER_VAULT_AUTH_MOUNT", "k8s-prod")).build());
        assertThat(kubernetes.toString()).contains("Kubernetes at auth/k8s-prod, role app");
    }

    @Test
    void providerIsFoundByServiceLoaderForTheVaultScheme() {
        List<String> schemes = new ArrayList<>();
        for (CredentialSourceProvider provider : ServiceLoader.load(CredentialSourceProvider.class)) {
            if (provider instanceof VaultCredentialSourceProvider) {
                schemes.add(provider.scheme());
            }
        }
        assertThat(schemes).containsExactly("vault");
    }

    @Test
    void malformedReferencesAreRefusedWhenChecked() {
        VaultCredentialSource source = source();

        assertThatThrownBy(() -> source.check(CredentialRef.parse("vault:secret")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MOUNT/PATH");
        assertThatThrownBy(() -> source.check(CredentialRef.parse("vault:secret//app")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'vault:secret//app'");
        assertThat(source.supportedOptions()).containsExactlyInAnyOrder("kv", "version");
        assertThat(BigLedgerAuthException.class).isAssignableFrom(CredentialException.class);
    }

    private void raw(String method, String path, String body) throws Exception {
        String token = vault.root().issueToken(Duration.ofHours(1), Duration.ZERO, false, "admin");
        java.net.http.HttpResponse<String> response = HTTP.send(
                java.net.http.HttpRequest.newBuilder(vault.address().resolve(path)).header("X-Vault-Token", token)
                        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(204);
    }
}
