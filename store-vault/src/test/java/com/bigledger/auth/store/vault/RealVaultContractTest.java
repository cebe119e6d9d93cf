package com.bigledger.auth.store.vault;

import static org.junit.jupiter.api.Assumptions.abort;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.testing.CredentialSourceContract;
import io.github.jopenlibs.vault.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract against a real Vault, opt-in: run only with {@code BIGLEDGER_TEST_REAL_VAULT=true} and Vault's own
 * {@code VAULT_ADDR} and {@code VAULT_TOKEN} set (for example against {@code vault server -dev}), otherwise every
 * test is reported as skipped with the reason. Never part of the default build: a developer's {@code VAULT_ADDR}
 * alone does not send it there. See {@code docs/store-fidelity.md}.
 *
 * <p>Secrets are written under {@code <mount>/bigledger-auth-contract/<random>/} of the KV version 2 mount named by
 * {@code BIGLEDGER_TEST_VAULT_MOUNT} ({@code secret} by default; nested mounts such as {@code team/kv} work), with
 * fake values made at run time, and their metadata is deleted after each test. {@code VAULT_NAMESPACE} is honoured.
 * The token needs {@code create}, {@code read}, {@code update} on {@code <mount>/data/bigledger-auth-contract/*} and
 * {@code delete} on {@code <mount>/metadata/bigledger-auth-contract/*}.
 */
class RealVaultContractTest extends CredentialSourceContract {

    /** The variable that opts in. */
    static final String OPT_IN = "BIGLEDGER_TEST_REAL_VAULT";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final List<String> written = new ArrayList<>();
    private String address;
    private String token;
    private String namespace;
    private String mount;
    private String prefix;
    private VaultCredentialSource source;

    /** The variables the test reads: the process environment. */
    Map<String, String> environment() {
        return System.getenv();
    }

    @BeforeEach
    void requireARealVault() {
        Map<String, String> env = environment();
        if (!"true".equalsIgnoreCase(env.get(OPT_IN))) {
            abort("opt-in test against a real Vault: set " + OPT_IN + "=true with VAULT_ADDR and VAULT_TOKEN (for "
                    + "example of `vault server -dev`) to run it; see docs/store-fidelity.md");
        }
        address = env.get(VaultCredentialSource.ADDRESS_VARIABLE);
        token = env.get(VaultCredentialSource.TOKEN_VARIABLE);
        if (address == null || address.isEmpty() || token == null || token.isEmpty()) {
            abort(OPT_IN + " is set, but VAULT_ADDR or VAULT_TOKEN is not: both are needed");
        }
        namespace = env.get(VaultCredentialSource.NAMESPACE_VARIABLE);
        mount = env.getOrDefault("BIGLEDGER_TEST_VAULT_MOUNT", "secret");
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        prefix = "bigledger-auth-contract/" + HexFormat.of().formatHex(random);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (source != null) {
            source.close();
        }
        for (String path : written) {
            int status = send("DELETE", mount + "/metadata/" + path, null);
            if (status != 204 && status != 404) {
                throw new IllegalStateException("deleting " + mount + "/metadata/" + path + " answered HTTP " + status
                        + "; delete it by hand");
            }
        }
    }

    @Override
    protected CredentialSource source() {
        if (source == null) {
            URI uri = URI.create(address);
            VaultCredentialSource.Builder builder = VaultCredentialSource.builder()
                    .environment(Map.of())
                    .address(uri)
                    .allowInsecureLoopback("http".equals(uri.getScheme()))
                    .authentication(VaultAuthentication.token(Secret.of(token)));
            if (namespace != null && !namespace.isEmpty()) {
                builder.namespace(namespace);
            }
            source = builder.build();
        }
        return source;
    }

    @Override
    protected CredentialRef seed(String name, Secret value) {
        String path = prefix + "/" + name;
        written.add(path);
        try {
            int status = send("POST", mount + "/data/" + path,
                    Json.object().add("data", TestVaults.data(value)).toString());
            if (status != 200) {
                throw new IllegalStateException("seeding " + mount + "/data/" + path + " answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("seeding " + mount + "/data/" + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return CredentialRef.of(VaultCredentialSource.SCHEME, mount + "/" + path);
    }

    @Override
    protected CredentialRef missing() {
        return CredentialRef.of(VaultCredentialSource.SCHEME, mount + "/" + prefix + "/not-written");
    }

    /** A raw request with the token; the body of the answer is not read, so no secret reaches the output. */
    private int send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(address.replaceAll("/+$", "") + "/v1/"
                        + path))
                .timeout(Duration.ofSeconds(30))
                .header("X-Vault-Token", token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (namespace != null && !namespace.isEmpty()) {
            request.header("X-Vault-Namespace", namespace);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
