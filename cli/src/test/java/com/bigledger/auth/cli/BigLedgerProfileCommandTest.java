package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.file.KdfParameters;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code token} and {@code login} against the BigLedger API double, with the BigLedger profile's defaults. */
class BigLedgerProfileCommandTest {

    private static final String PASSPHRASE = "profile test passphrase, not a secret";
    /** A plain refresh token, as earlier versions' login stored it by default. */
    private static final CredentialRef STORED = CredentialRef.parse("file:bigledger/refresh_token");
    private static final String COMPANY = "company_abc123";
    private static final String CLIENT_ID = "cli-app";

    @TempDir
    Path folder;

    private final FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional");
    private final String clientSecret = Canary.value("");
    private Map<String, String> environment;
    private FileCredentialSource vault;

    @BeforeEach
    void createVault() {
        api.client(CLIENT_ID, clientSecret, URI.create("https://yourapp.com/callback"));
        environment = new HashMap<>();
        environment.put(FileCredentialSource.FILE_VARIABLE, folder.resolve("vault.blgv").toString());
        environment.put(FileCredentialSource.PASSPHRASE_VARIABLE, PASSPHRASE);
        // Cheap key derivation, below RFC 9106's floor: the commands read the test-only opt-in too.
        environment.put(FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true");
        environment.put(TokenCommand.TOKEN_ENDPOINT, api.authorizationServer() + "/oauth/token");
        environment.put(LoginCommand.AUTHORIZATION_ENDPOINT, api.authorizationServer() + "/oauth/authorize");
        environment.put(TokenCommand.CLIENT_ID, CLIENT_ID);
        environment.put(TokenCommand.CLIENT_SECRET, clientSecret);
        vault = FileCredentialSource.builder().environment(environment).kdfParameters(KdfParameters.argon2id(64, 1, 1))
                .build();
        vault.write(CredentialRef.parse("file:seed"), Secret.of("seed"), Optional.empty());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private CliRun token(String... args) {
        List<String> command = new ArrayList<>(List.of("token", "--allow-insecure-loopback", "--profile",
                "bigledger"));
        command.addAll(List.of(args));
        return CliRun.of(environment, command.toArray(new String[0]));
    }

    @Test
    void tokenAgainstBigLedgerUsesTheRefreshTokenLoginStoredInTheTokenRecordByDefault() {
        String issued = api.issueRefreshToken(COMPANY, "read:accounts");
        TokenRecords.store(vault, issued);

        CliRun run = token();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo(api.accessTokens().get(0) + "\n");
        RecordedRequest request = api.requests("/oauth/token").get(0);
        assertThat(request.header("Content-Type")).get().asString().startsWith("application/json");
        assertThat(request.params()).containsEntry("grant_type", "refresh_token")
                .containsEntry("client_id", CLIENT_ID).containsEntry("client_secret", clientSecret)
                .containsEntry("refresh_token", issued);
        // The double rotates refresh tokens (an assumption): the new one is written back.
        assertThat(TokenRecords.refreshToken(vault)).isEqualTo(api.refreshTokens().get(1));
        assertNoSecretIn(run);
    }

    @Test
    void tokenAgainstBigLedgerWorksWhenTheServerDoesNotRotateRefreshTokens() {
        api.rotateRefreshTokens(false);
        String issued = api.issueRefreshToken(COMPANY, "read:accounts");
        TokenRecords.store(vault, issued);

        vault.write(STORED, Secret.of(issued), Optional.empty());

        CliRun first = token();
        // The plain refresh token of earlier versions: no access token is kept, so each run asks.
        CliRun second = token("--refresh-token-ref", STORED.toString());
        CliRun third = token("--refresh-token-ref", STORED.toString());

        assertThat(List.of(first, second, third)).allSatisfy(run -> assertThat(run.exitCode()).as(run.err())
                .isEqualTo(ExitCodes.OK));
        assertThat(first.out()).isEqualTo(api.accessTokens().get(0) + "\n");
        assertThat(third.out()).isEqualTo(api.accessTokens().get(2) + "\n");
        assertThat(api.requests("/oauth/token")).hasSize(3).allSatisfy(r -> assertThat(r.params())
                .containsEntry("refresh_token", issued));
        assertThat(vault.load(STORED).secret().reveal()).isEqualTo(issued);
        assertThat(TokenRecords.refreshToken(vault)).isEqualTo(issued);
    }

    @Test
    void theDefaultEndpointIsBigLedgersAndItsDefaultGrantIsTheStoredRefreshToken() {
        Map<String, String> env = new HashMap<>(environment);
        env.remove(TokenCommand.TOKEN_ENDPOINT);
        env.put(FileCredentialSource.FILE_VARIABLE, folder.resolve("empty.blgv").toString());

        // Nothing is stored: the run stops at the store, before any request, and --verbose shows the choices.
        CliRun run = CliRun.of(env, "token", "--verbose", "--timeout", "1s");

        assertThat(run.exitCode()).isNotEqualTo(ExitCodes.OK);
        assertThat(run.err()).contains(
                "endpoint     https://auth.bigledger.com/oauth/token (json body, profile bigledger)",
                "client id    cli-app (client_secret_post)",
                "grant        refresh_token in the token record at file:bigledger/token_record");
        assertNoSecretIn(run);
    }

    @Test
    void clientCredentialsAgainstBigLedgerOnlyWhenAsked() {
        CliRun run = token("--client-credentials");

        // The document names no client_credentials grant; the double refuses it (an assumption of its own).
        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.err()).contains("HTTP 400", "UNSUPPORTED_GRANT_TYPE");
        assertThat(api.requests("/oauth/token").get(0).params()).containsEntry("grant_type", "client_credentials");
        CliRun both = token("--client-credentials", "--refresh-token");
        assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("choose one grant");
    }

    @Test
    void otherServersKeepClientCredentialsAsTheirDefault() {
        Map<String, String> env = new HashMap<>(environment);
        env.remove(TokenCommand.TOKEN_ENDPOINT);
        env.put(FileCredentialSource.FILE_VARIABLE, folder.resolve("empty.blgv").toString());

        CliRun run = CliRun.of(env, "token", "--verbose", "--allow-insecure-loopback", "--token-endpoint",
                "http://127.0.0.1:1/oauth/token", "--timeout", "200ms");

        assertThat(run.err()).contains("(form body, profile oauth2)", "grant        client_credentials");
    }

    @Test
    void aClientWithoutASecretIsRefusedForBigLedgerUnlessDeclaredPublic() {
        String issued = api.issueRefreshToken(COMPANY, "read:accounts");
        TokenRecords.store(vault, issued);
        environment.remove(TokenCommand.CLIENT_SECRET);

        CliRun refused = token();
        CliRun declared = token("--public-client");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("no client secret", "client_secret in every request", "--public-client");
        // Declared public, the request carries no secret; the double, like the document, knows no public client.
        assertThat(declared.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(api.requests("/oauth/token")).singleElement().satisfies(r -> assertThat(r.params())
                .doesNotContainKey("client_secret").containsEntry("refresh_token", issued));
    }

    @Test
    void aTokenResponseWithoutExpiresInLastsAnHourWithTheBigLedgerProfile() {
        TokenRecords.store(vault, api.issueRefreshToken(COMPANY));
        String accessToken = Canary.value("blg_oauth_at_");
        api.enqueue("/oauth/token", Response.json(200, "{\"access_token\":\"" + accessToken
                + "\",\"token_type\":\"Bearer\"}"));

        CliRun run = token("--verbose");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo(accessToken + "\n");
        assertThat(run.err()).containsPattern("expires at   \\S+ \\(in 3[56]\\d\\d s\\)");
    }

    @Test
    void loginAgainstBigLedgerSendsTheClientSecretAndStoresTheRefreshToken() {
        CliRun run = CliRun.withBrowser(environment, browser(), "login", "--allow-insecure-loopback", "--profile",
                "bigledger", "--scope", "read:accounts");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(api.requests("/oauth/token").get(0).params()).containsEntry("grant_type", "authorization_code")
                .containsEntry("client_secret", clientSecret);
        assertThat(TokenRecords.refreshToken(vault)).isEqualTo(api.refreshTokens().get(0));
        assertNoSecretIn(run);
    }

    @Test
    void loginAgainstBigLedgerWithoutASecretIsRefusedUnlessDeclaredPublic() {
        environment.remove(TokenCommand.CLIENT_SECRET);

        CliRun refused = CliRun.withBrowser(environment, browser(), "login", "--allow-insecure-loopback",
                "--profile", "bigledger");
        CliRun declared = CliRun.withBrowser(environment, browser(), "login", "--allow-insecure-loopback",
                "--profile", "bigledger", "--public-client");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("no client secret", "--public-client", "does not describe");
        assertThat(declared.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(api.requests("/oauth/token")).singleElement().satisfies(r -> assertThat(r.params())
                .doesNotContainKey("client_secret"));
    }

    @Test
    void helpSaysWhichGrantIsTheDefaultWhere() {
        CliRun token = CliRun.of(Map.of(), "token", "--help");
        CliRun login = CliRun.of(Map.of(), "login", "--help");

        // Picocli wraps the text: compare it with single spaces.
        assertThat(token.out().replaceAll("\\s+", " ")).contains("--profile=PROFILE", "--client-credentials",
                "--public-client", "(the default; profile bigledger) the grant is refresh_token",
                "client_credentials, which the document does not name, only with --client-credentials",
                "Against other servers (profile oauth2) the grant is client_credentials");
        assertThat(login.out().replaceAll("\\s+", " ")).contains("--profile=PROFILE", "--public-client",
                "does not describe");
    }

    /**
     * A browser that registers the listener's redirect URI with the double (whose redirect URIs are exact), asks
     * its authorize endpoint, and follows the redirect back to the listener.
     */
    private Consumer<URI> browser() {
        return authorize -> {
            String redirect = null;
            for (String pair : authorize.getRawQuery().split("&")) {
                if (pair.startsWith("redirect_uri=")) {
                    redirect = URLDecoder.decode(pair.substring("redirect_uri=".length()), StandardCharsets.UTF_8);
                }
            }
            api.client(CLIENT_ID, clientSecret, URI.create(redirect));
            HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            try {
                HttpResponse<Void> approved = http.send(HttpRequest.newBuilder(authorize).build(),
                        HttpResponse.BodyHandlers.discarding());
                URI back = URI.create(approved.headers().firstValue("Location").orElseThrow());
                http.send(HttpRequest.newBuilder(back).build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }

    /** Stdout holds the access token on success, as it should; nothing else may show a secret. */
    private static void assertNoSecretIn(CliRun run) {
        assertThat(Canary.leaksIn(run.err())).as("a fake secret is on stderr").isFalse();
    }
}
