package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.file.KdfParameters;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code login} against a fake token endpoint, with a scripted browser that follows the authorize URL's redirect. */
class LoginCommandTest {

    private static final String PASSPHRASE = "login test passphrase, not a secret";
    private static final CredentialRef STORED = CredentialRef.parse("file:bigledger/refresh_token");

    @TempDir
    Path folder;

    private FakeTokenEndpoint endpoint;
    private Map<String, String> environment;
    private FileCredentialSource vault;

    @BeforeEach
    void startEndpointAndCreateVault() {
        endpoint = FakeTokenEndpoint.start();
        Path file = folder.resolve("vault.blgv");
        environment = Map.of(FileCredentialSource.FILE_VARIABLE, file.toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, PASSPHRASE,
                TokenCommand.TOKEN_ENDPOINT, endpoint.uri().toString(),
                LoginCommand.AUTHORIZATION_ENDPOINT, endpoint.baseUri().resolve("/oauth/authorize").toString(),
                TokenCommand.CLIENT_ID, "cli-app");
        // Cheap key derivation: the commands use the parameters in the file's header.
        vault = FileCredentialSource.builder().environment(environment).kdfParameters(KdfParameters.argon2id(64, 1, 1))
                .build();
        vault.write(CredentialRef.parse("file:seed"), Secret.of("seed"), Optional.empty());
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.close();
    }

    @Test
    void loginExchangesTheCodeWithTheVerifierAndStoresTheRefreshToken() {
        String refreshToken = Canary.value("blg_oauth_rt_");
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600, refreshToken));
        Map<String, String> seen = new HashMap<>();

        CliRun run = CliRun.withBrowser(environment, browser(params -> {
            seen.putAll(params);
            return Map.of("code", "the-code", "state", params.get("state"));
        }), "login", "--allow-insecure-loopback", "--scope", "read:accounts");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).contains("Logged in").contains(STORED.toString()).doesNotContain(refreshToken);
        assertThat(run.out()).isEmpty();
        assertThat(seen).containsEntry("response_type", "code").containsEntry("client_id", "cli-app")
                .containsEntry("code_challenge_method", "S256").containsEntry("scope", "read:accounts");
        assertThat(URI.create(seen.get("redirect_uri")).getHost()).isEqualTo("127.0.0.1");
        Map<String, String> exchange = endpoint.takeRequest().params();
        assertThat(exchange).containsEntry("grant_type", "authorization_code").containsEntry("code", "the-code")
                .containsEntry("redirect_uri", seen.get("redirect_uri")).containsKey("code_verifier");
        assertThat(vault.load(STORED).secret().reveal()).isEqualTo(refreshToken);
    }

    @Test
    void callbackWithAnotherStateIsRefusedAndNoCodeIsExchanged() {
        CliRun run = CliRun.withBrowser(environment, browser(params -> Map.of("code", "the-code", "state",
                "forged")), "login", "--allow-insecure-loopback");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("state does not match");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void deniedLoginIsAnErrorThatSaysSo() {
        CliRun run = CliRun.withBrowser(environment, browser(params -> Map.of("error", "access_denied", "state",
                params.get("state"))), "login", "--allow-insecure-loopback");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("denied");
    }

    @Test
    void noCallbackEndsWithATimeout() {
        CliRun run = CliRun.withBrowser(environment, uri -> { }, "login", "--allow-insecure-loopback",
                "--login-timeout=200ms");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("no callback came from the browser");
    }

    @Test
    void tokenWithTheStoredRefreshTokenRotatesIt() {
        String first = Canary.value("blg_oauth_rt_");
        String rotated = Canary.value("blg_oauth_rt_");
        String accessToken = Canary.value("blg_oauth_at_");
        vault.write(STORED, Secret.of(first), Optional.empty());
        endpoint.enqueue(Response.token(accessToken, 3600, rotated));

        CliRun run = CliRun.of(environment, "token", "--refresh-token", "--allow-insecure-loopback");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo(accessToken + "\n");
        Map<String, String> request = endpoint.takeRequest().params();
        assertThat(request).containsEntry("grant_type", "refresh_token").containsEntry("client_id", "cli-app");
        assertThat(request.get("refresh_token")).isEqualTo(first);
        assertThat(vault.load(STORED).secret().reveal()).isEqualTo(rotated);
    }

    /** A browser that reads the authorize URL and follows the server's redirect back to the listener at once. */
    private static Consumer<URI> browser(UnaryOperator<Map<String, String>> authorizationServer) {
        return authorize -> {
            Map<String, String> params = new HashMap<>();
            for (String pair : authorize.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            StringBuilder query = new StringBuilder();
            authorizationServer.apply(params).forEach((k, v) -> query.append(query.length() == 0 ? "" : "&")
                    .append(k).append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
            try {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(params.get("redirect_uri") + "?"
                        + query)).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }
}
