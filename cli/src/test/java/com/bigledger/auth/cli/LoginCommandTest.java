package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.file.KdfParameters;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** A plain refresh token, as earlier versions' login stored it by default. */
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
                FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true",
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
        assertThat(run.err()).contains("Logged in").contains(TokenRecords.DEFAULT.toString())
                .doesNotContain(refreshToken);
        assertThat(run.out()).isEmpty();
        assertThat(seen).containsEntry("response_type", "code").containsEntry("client_id", "cli-app")
                .containsEntry("code_challenge_method", "S256").containsEntry("scope", "read:accounts");
        assertThat(URI.create(seen.get("redirect_uri")).getHost()).isEqualTo("127.0.0.1");
        Map<String, String> exchange = endpoint.takeRequest().params();
        assertThat(exchange).containsEntry("grant_type", "authorization_code").containsEntry("code", "the-code")
                .containsEntry("redirect_uri", seen.get("redirect_uri")).containsKey("code_verifier");
        assertThat(TokenRecords.refreshToken(vault)).isEqualTo(refreshToken);
    }

    @Test
    void callbackWithAnotherStateIsAnsweredWith400AndIgnoredUntilTheTimeout() {
        List<Integer> statuses = new ArrayList<>();

        CliRun run = CliRun.withBrowser(environment, authorize -> statuses.add(get(callback(authorize,
                Map.of("code", "forged-code", "state", "forged")))), "login", "--allow-insecure-loopback",
                "--login-timeout=500ms");

        assertThat(statuses).containsExactly(400);
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("no callback came from the browser");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void requestsThatDoNotAnswerThisLoginAreIgnoredAndTheRightOneCompletesIt() {
        String refreshToken = Canary.value("blg_oauth_rt_");
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600, refreshToken));
        Map<String, Integer> statuses = new LinkedHashMap<>();

        CliRun run = CliRun.withBrowser(environment, authorize -> {
            String state = params(authorize).get("state");
            URI redirect = URI.create(params(authorize).get("redirect_uri"));
            statuses.put("wrong state", get(callback(authorize, Map.of("code", "forged-code", "state", "forged"))));
            statuses.put("no state", get(callback(authorize, Map.of("code", "forged-code"))));
            statuses.put("wrong state, error", get(callback(authorize, Map.of("error", "access_denied", "state",
                    "forged"))));
            statuses.put("no code", get(callback(authorize, Map.of("state", state))));
            statuses.put("another path", get(redirect.resolve("/other?code=forged-code&state=" + state)));
            statuses.put("a longer path", get(URI.create(redirect + "/more?code=forged-code&state=" + state)));
            statuses.put("right", get(callback(authorize, Map.of("code", "the-code", "state", state))));
            statuses.put("again", get(callback(authorize, Map.of("code", "the-code", "state", state))));
        }, "login", "--allow-insecure-loopback");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(statuses).containsExactly(entry("wrong state", 400), entry("no state", 400),
                entry("wrong state, error", 400), entry("no code", 400), entry("another path", 400),
                entry("a longer path", 400), entry("right", 200), entry("again", 400));
        assertThat(endpoint.takeRequest().params()).containsEntry("code", "the-code");
        assertThat(endpoint.requestCount()).isEqualTo(1);
        assertThat(TokenRecords.refreshToken(vault)).isEqualTo(refreshToken);
    }

    @Test
    void aConnectionThatSendsNothingDoesNotHoldUpTheCallback() {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600, Canary.value("blg_oauth_rt_")));
        List<Integer> statuses = new ArrayList<>();

        CliRun run = CliRun.withBrowser(environment, authorize -> {
            URI redirect = URI.create(params(authorize).get("redirect_uri"));
            try (Socket idle = new Socket(redirect.getHost(), redirect.getPort())) {
                idle.getOutputStream().write("GET /callback".getBytes(StandardCharsets.US_ASCII));
                idle.getOutputStream().flush();
                statuses.add(get(callback(authorize, Map.of("code", "the-code", "state",
                        params(authorize).get("state")))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "login", "--allow-insecure-loopback", "--login-timeout=20s");

        assertThat(statuses).containsExactly(200);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    }

    /*
     * The three tests below hold the port on the other loopback addresses themselves, listening, while the login
     * binds its own: a listener that bound the wildcard address (and so answered on every address) could not bind
     * next to them, and a probe of a port this test does not hold could reach another process's listener. The port
     * is one the test found free on the login's address too, and held there until the login starts (LoopbackPort):
     * the kernel picks a port free on one address only, and another process may use it on the others.
     */

    @Test
    void theListenerIsNotReachableOnAnotherLoopbackAddress() throws IOException {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600, Canary.value("blg_oauth_rt_")));
        try (LoopbackPort held = LoopbackPort.freeOn("127.0.0.1", "::1", "127.0.0.2")) {
            int port = held.port;
            Map<String, String> seen = new HashMap<>();

            held.releaseForTheLogin();
            CliRun run = CliRun.withBrowser(environment, authorize -> {
                URI redirect = URI.create(params(authorize).get("redirect_uri"));
                seen.put("redirect", redirect.getHost() + ":" + redirect.getPort());
                seen.put("status", String.valueOf(get(callback(authorize, Map.of("code", "the-code", "state",
                        params(authorize).get("state"))))));
            }, "login", "--allow-insecure-loopback", "--redirect-uri", "http://127.0.0.1:" + port + "/callback");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
            assertThat(seen).containsEntry("redirect", "127.0.0.1:" + port).containsEntry("status", "200");
            assertThat(held.heldPorts()).containsOnly(port);
        }
    }

    @Test
    void anIpv6RedirectUriIsServedOnIpv6LoopbackOnly() throws IOException {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600, Canary.value("blg_oauth_rt_")));
        try (LoopbackPort held = LoopbackPort.freeOn("::1", "127.0.0.1")) {
            int port = held.port;
            Map<String, String> seen = new HashMap<>();

            held.releaseForTheLogin();
            CliRun run = CliRun.withBrowser(environment, authorize -> {
                URI redirect = URI.create(params(authorize).get("redirect_uri"));
                seen.put("redirect", redirect.getHost() + ":" + redirect.getPort() + redirect.getPath());
                seen.put("status", String.valueOf(get(callback(authorize, Map.of("code", "the-code", "state",
                        params(authorize).get("state"))))));
            }, "login", "--allow-insecure-loopback", "--redirect-uri", "http://[::1]:" + port + "/back");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
            assertThat(seen).containsEntry("redirect", "[::1]:" + port + "/back").containsEntry("status", "200");
            assertThat(endpoint.takeRequest().params().get("redirect_uri")).isEqualTo("http://[::1]:" + port + "/back");
        }
    }

    @Test
    void localhostIsServedOnIpv4LoopbackOnlyAndKeepsItsPort() throws IOException {
        endpoint.enqueue(Response.token(Canary.value("blg_oauth_at_"), 3600, Canary.value("blg_oauth_rt_")));
        try (LoopbackPort held = LoopbackPort.freeOn("127.0.0.1", "::1")) {
            int port = held.port;
            Map<String, String> seen = new HashMap<>();

            held.releaseForTheLogin();
            CliRun run = CliRun.withBrowser(environment, authorize -> {
                seen.put("redirect", params(authorize).get("redirect_uri"));
                seen.put("status", String.valueOf(get(URI.create("http://127.0.0.1:" + port
                        + "/callback?code=the-code&state=" + params(authorize).get("state")))));
            }, "login", "--allow-insecure-loopback", "--redirect-uri", "http://localhost:" + port + "/callback");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
            assertThat(seen).containsEntry("redirect", "http://localhost:" + port + "/callback")
                    .containsEntry("status", "200");
        }
    }

    @Test
    void aRedirectUriOffThisMachineIsAUsageError() {
        CliRun run = CliRun.withBrowser(environment, uri -> { }, "login", "--allow-insecure-loopback",
                "--redirect-uri", "http://example.com/callback");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--redirect-uri", "127.0.0.1", "[::1]", "localhost");
    }

    @Test
    void urlsWithUserInfoAreRefusedWithoutPrintingIt() {
        String password = Canary.value("");
        String authorize = "https://user:" + password + "@auth.example/authorize";
        String token = "https://user:" + password + "@auth.example/token";
        Map<String, String> withSecret = new HashMap<>(environment);
        withSecret.put(TokenCommand.CLIENT_SECRET, Canary.value("blg_cs_"));
        List<CliRun> runs = List.of(
                CliRun.withBrowser(environment, uri -> { }, "login", "--allow-insecure-loopback", "--redirect-uri",
                        "http://user:" + password + "@127.0.0.1/callback"),
                CliRun.withBrowser(environment, uri -> { }, "login", "--allow-insecure-loopback",
                        "--authorization-endpoint", authorize),
                CliRun.withBrowser(environment, uri -> { }, "login", "--allow-insecure-loopback",
                        "--token-endpoint", token),
                CliRun.of(withSecret, "token", "--token-endpoint", token));

        assertThat(runs).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).containsAnyOf("auth.example", "127.0.0.1").doesNotContain(password);
        });
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

        CliRun run = CliRun.of(environment, "token", "--refresh-token-ref", STORED.toString(),
                "--allow-insecure-loopback");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo(accessToken + "\n");
        Map<String, String> request = endpoint.takeRequest().params();
        assertThat(request).containsEntry("grant_type", "refresh_token").containsEntry("client_id", "cli-app");
        assertThat(request.get("refresh_token")).isEqualTo(first);
        assertThat(vault.load(STORED).secret().reveal()).isEqualTo(rotated);
    }

    /**
     * A loopback port free on the address a login is to listen on and held, listening, on the others: tried until
     * one binds on all of them. The hold on the login's address ends with {@link #releaseForTheLogin()}, just
     * before the login binds it; the others are held until {@link #close()}.
     */
    private static final class LoopbackPort implements AutoCloseable {
        private static final int TRIES = 50;

        final int port;
        private final ServerSocket forTheLogin;
        private final List<ServerSocket> others;

        private LoopbackPort(ServerSocket forTheLogin, List<ServerSocket> others) {
            this.port = forTheLogin.getLocalPort();
            this.forTheLogin = forTheLogin;
            this.others = others;
        }

        static LoopbackPort freeOn(String loginAddress, String... otherAddresses) throws IOException {
            for (int i = 0; i < TRIES; i++) {
                ServerSocket forTheLogin = new ServerSocket(0, 1, InetAddress.getByName(loginAddress));
                List<ServerSocket> others = new ArrayList<>();
                try {
                    for (String other : otherAddresses) {
                        others.add(new ServerSocket(forTheLogin.getLocalPort(), 1, InetAddress.getByName(other)));
                    }
                    return new LoopbackPort(forTheLogin, others);
                } catch (BindException inUseThere) {
                    for (ServerSocket held : others) {
                        held.close();
                    }
                    forTheLogin.close();
                }
            }
            throw new IOException("no port was free on " + loginAddress + " and " + List.of(otherAddresses)
                    + " in " + TRIES + " tries");
        }

        void releaseForTheLogin() throws IOException {
            forTheLogin.close();
        }

        List<Integer> heldPorts() {
            return others.stream().map(ServerSocket::getLocalPort).toList();
        }

        @Override
        public void close() throws IOException {
            forTheLogin.close();
            for (ServerSocket held : others) {
                held.close();
            }
        }
    }

    private static Map<String, String> params(URI uri) {
        Map<String, String> params = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** The redirect URI of an authorize URL with these parameters. */
    private static URI callback(URI authorize, Map<String, String> answer) {
        StringBuilder query = new StringBuilder();
        answer.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return URI.create(params(authorize).get("redirect_uri") + "?" + query);
    }

    /** Sends a GET as a browser would and returns the status; bounded, so a listener that never answers fails. */
    private static int get(URI uri) {
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
