package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

    private static final String CLIENT_ID = "my-client";

    private final FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();

    @AfterEach
    void stopTheEndpoint() {
        endpoint.close();
    }

    @Test
    void printsTheTokenAloneFollowedByANewline() {
        String secret = FakeKeys.clientSecret();
        String token = FakeKeys.accessToken();
        endpoint.enqueue(Response.token(token, 3600));

        CliRun run = token(environment(secret));

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo(token + "\n");
        assertThat(run.err()).isEmpty();
        // A loopback host is not BigLedger's: the RFC 6749 form, with the client in the Basic header.
        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(FakeTokenEndpoint.PATH);
        assertThat(request.header("Content-Type")).get().asString()
                .startsWith("application/x-www-form-urlencoded");
        assertThat(request.params()).containsExactly(entry("grant_type", "client_credentials"));
        assertThat(request.basicCredentials()).contains(List.of(CLIENT_ID, secret));
        assertThat(request.header("User-Agent")).get().asString().startsWith("bigledger-auth-cli");
        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void jsonFormatSendsTheClientInTheBodyAsTheBigLedgerEndpointExpects() {
        String secret = FakeKeys.clientSecret();
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));

        CliRun run = token(environment(secret), "--format", "json", "--scope", "read:accounts");

        assertThat(run.exitCode()).isEqualTo(0);
        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.header("Content-Type")).get().asString().startsWith("application/json");
        assertThat(request.params()).containsExactly(entry("grant_type", "client_credentials"),
                entry("client_id", CLIENT_ID), entry("client_secret", secret), entry("scope", "read:accounts"));
        assertThat(request.header("Authorization")).isEmpty();
    }

    @Test
    void authPostWithTheFormSendsTheSecretInTheBody() {
        String secret = FakeKeys.clientSecret();
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));

        CliRun run = token(environment(secret), "--auth", "post");

        assertThat(run.exitCode()).isEqualTo(0);
        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.header("Content-Type")).get().asString()
                .startsWith("application/x-www-form-urlencoded");
        assertThat(request.params()).containsExactly(entry("grant_type", "client_credentials"),
                entry("client_id", CLIENT_ID), entry("client_secret", secret));
        assertThat(request.header("Authorization")).isEmpty();
    }

    @Test
    void authBasicWithJsonKeepsTheSecretOutOfTheBody() {
        String secret = FakeKeys.clientSecret();
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));

        CliRun run = token(environment(secret), "--format", "JSON", "--auth", "basic");

        assertThat(run.exitCode()).isEqualTo(0);
        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.header("Content-Type")).get().asString().startsWith("application/json");
        assertThat(request.params()).containsExactly(entry("grant_type", "client_credentials"));
        assertThat(request.basicCredentials()).contains(List.of(CLIENT_ID, secret));
    }

    @Test
    void repeatedScopesAreSentAsOneSpaceSeparatedParameter() {
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));

        CliRun run = token(environment(FakeKeys.clientSecret()), "--scope", "write:invoices",
                "--scope", "read:accounts read:customers");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(endpoint.takeRequest().params())
                .containsEntry("scope", "read:accounts read:customers write:invoices");
    }

    @Test
    void scopesComeFromBigledgerScopesWhenNoOptionIsGiven() {
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.put("BIGLEDGER_SCOPES", "  write:invoices   read:accounts ");

        CliRun run = token(env);

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(endpoint.takeRequest().params()).containsEntry("scope", "read:accounts write:invoices");
    }

    @Test
    void optionsWinOverTheEnvironment() throws IOException {
        String secret = FakeKeys.clientSecret();
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));
        Map<String, String> env = new HashMap<>();
        env.put("BIGLEDGER_TOKEN_ENDPOINT", "http://127.0.0.1:" + closedPort() + FakeTokenEndpoint.PATH);
        env.put("BIGLEDGER_CLIENT_ID", "client-from-the-environment");
        env.put("BIGLEDGER_CLIENT_SECRET_REF", "env:NOT_SET");
        env.put("BIGLEDGER_SCOPES", "admin");
        env.put("OTHER_SECRET", secret);

        CliRun run = token(env, "--token-endpoint", endpoint.uri().toString(), "--client-id", CLIENT_ID,
                "--client-secret-ref", "env:OTHER_SECRET", "--scope", "read:accounts");

        assertThat(run.exitCode()).isEqualTo(0);
        RecordedRequest request = endpoint.takeRequest();
        assertThat(request.basicCredentials()).contains(List.of(CLIENT_ID, secret));
        assertThat(request.params()).containsEntry("scope", "read:accounts");
    }

    @Test
    void clientSecretIsResolvedThroughTheStoreItsReferenceNames() {
        String secret = FakeKeys.clientSecret();
        FakeStoreProvider.put("token/client-secret", secret, "4");
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));
        Map<String, String> env = environment(secret);
        env.remove("BIGLEDGER_CLIENT_SECRET");
        env.put("BIGLEDGER_CLIENT_SECRET_REF", "fake:token/client-secret");

        CliRun run = token(env);

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(endpoint.takeRequest().basicCredentials()).contains(List.of(CLIENT_ID, secret));
    }

    @Test
    void variablesFromTheDotenvFileNamedByBigledgerDotenvCount(@TempDir Path dir) throws IOException {
        String secret = FakeKeys.clientSecret();
        endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600));
        Path file = dir.resolve(".env");
        Files.writeString(file, "# local development\nBIGLEDGER_CLIENT_ID=" + CLIENT_ID + "\nBIGLEDGER_CLIENT_SECRET="
                + secret + "\n");

        CliRun run = token(Map.of("BIGLEDGER_DOTENV", file.toString()), "--token-endpoint",
                endpoint.uri().toString());

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(endpoint.takeRequest().basicCredentials()).contains(List.of(CLIENT_ID, secret));
    }

    @Test
    void malformedDotenvFileIsExitCode4AndIsNotQuoted(@TempDir Path dir) throws IOException {
        String secret = FakeKeys.clientSecret();
        Path file = dir.resolve(".env");
        Files.writeString(file, "BIGLEDGER_CLIENT_ID=" + CLIENT_ID + "\n" + secret + "\n");

        CliRun run = token(Map.of("BIGLEDGER_DOTENV", file.toString()), "--token-endpoint",
                endpoint.uri().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: the environment cannot be read: ")
                .contains("line 2");
        assertNoSecretIn(run);
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void headerPrintsAnAuthorizationLine() {
        String token = FakeKeys.accessToken();
        endpoint.enqueue(Response.token(token, 3600));

        CliRun run = token(environment(FakeKeys.clientSecret()), "--header");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo("Authorization: Bearer " + token + "\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void verbosePrintsTheSettingsExpiryAndScopesOnStderrButNeverTheToken() {
        String token = FakeKeys.accessToken();
        endpoint.enqueue(Response.json(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":3600,\"scope\":\"write:invoices read:accounts\"}"));
        Instant before = Instant.now();

        CliRun run = token(environment(FakeKeys.clientSecret()), "--verbose", "--scope", "read:accounts");

        Instant after = Instant.now();
        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).isEqualTo(token + "\n");
        List<String> lines = run.errLines();
        assertThat(lines).hasSize(6);
        assertThat(lines.subList(0, 4)).containsExactly(
                "endpoint     " + endpoint.uri() + " (form body)",
                "client id    my-client (client_secret_basic)",
                "secret ref   env:BIGLEDGER_CLIENT_SECRET",
                "scopes asked read:accounts");
        Matcher expiry = Pattern.compile("expires at   (\\S+) \\(in -?\\d+ s\\)").matcher(lines.get(4));
        assertThat(expiry.matches()).as("the expiry line: %s", lines.get(4)).isTrue();
        assertThat(Instant.parse(expiry.group(1)))
                .isBetween(before.plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS), after.plusSeconds(3600));
        assertThat(lines.get(5)).isEqualTo("scopes       read:accounts write:invoices");
        assertThat(FakeKeys.leakIn(run.err())).as("a fake secret is on stderr").isFalse();
    }

    @Test
    void refusedClientIsExitCode5WithOneLineNamingTheEndpointAndTheClient() {
        endpoint.enqueue(Response.oauthError(401, "invalid_client", "Client authentication failed"));

        CliRun run = token(environment(FakeKeys.clientSecret()));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: Token request to " + endpoint.uri()
                        + " failed: HTTP 401, error invalid_client (Client authentication failed)")
                .contains("client " + CLIENT_ID);
        assertNoSecretIn(run);
        // A refusal is not retried.
        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void bigLedgerUnauthorizedEnvelopeIsARefusalToo() {
        endpoint.enqueue(Response.envelopeError(401, "UNAUTHORIZED", "Invalid client credentials"));

        CliRun run = token(environment(FakeKeys.clientSecret()), "--format", "json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: Token request to " + endpoint.uri() + " failed: HTTP 401")
                .contains("UNAUTHORIZED");
        assertNoSecretIn(run);
    }

    @Test
    void unavailableEndpointIsExitCode4OnceTheTimeoutIsOver() {
        endpoint.dispatcher(request -> Response.oauthError(503, "temporarily_unavailable", "down for maintenance"));

        CliRun run = token(environment(FakeKeys.clientSecret()), "--timeout", "300ms");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.out()).isEmpty();
        // The endpoint is retried until the timeout; which attempt the message quotes may vary.
        assertThat(run.errLines()).last().asString()
                .startsWith("bigledger-auth token: Token request to " + endpoint.uri() + " failed: no access token "
                        + "within ");
        assertThat(endpoint.takeRequest().params()).containsEntry("grant_type", "client_credentials");
        assertNoSecretIn(run);
    }

    @Test
    void unreachableEndpointIsExitCode4OnceTheTimeoutIsOver() throws IOException {
        String unreachable = "http://127.0.0.1:" + closedPort() + FakeTokenEndpoint.PATH;
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.put("BIGLEDGER_TOKEN_ENDPOINT", unreachable);

        CliRun run = token(env, "--timeout", "300ms");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).last().asString()
                .startsWith("bigledger-auth token: Token request to " + unreachable + " failed: ");
        assertNoSecretIn(run);
    }

    @Test
    void refusedConnectionIsReportedOnStderrWhileItIsRetried() throws IOException {
        String unreachable = "http://127.0.0.1:" + closedPort() + FakeTokenEndpoint.PATH;
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.put("BIGLEDGER_TOKEN_ENDPOINT", unreachable);

        CliRun run = token(env, "--timeout", "1500ms");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        List<String> lines = run.errLines();
        assertThat(lines).first().asString().startsWith("bigledger-auth token: retrying in ")
                .contains("connection refused", unreachable, "giving up after 1.5s");
        assertThat(lines).last().asString().startsWith("bigledger-auth token: Token request to " + unreachable)
                .contains("within 1.5s").doesNotContain("PT1.5S");
        assertNoSecretIn(run);
    }

    @Test
    void rejectedRequestIsExitCode4AtOnce() {
        endpoint.enqueue(Response.oauthError(400, "invalid_scope", "unknown scope"));

        CliRun run = token(environment(FakeKeys.clientSecret()), "--scope", "admin");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: Token request to " + endpoint.uri() + " failed: HTTP 400, error "
                        + "invalid_scope");
        assertThat(endpoint.requestCount()).isEqualTo(1);
    }

    @Test
    void missingClientIdIsAUsageError() {
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.remove("BIGLEDGER_CLIENT_ID");

        CliRun run = token(env);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly(
                "bigledger-auth token: no client id: pass --client-id ID or set BIGLEDGER_CLIENT_ID");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void missingClientSecretIsAUsageError() {
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.remove("BIGLEDGER_CLIENT_SECRET");

        CliRun run = token(env);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: no client secret: set BIGLEDGER_CLIENT_SECRET, or give its "
                        + "reference with --client-secret-ref REF or BIGLEDGER_CLIENT_SECRET_REF");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void clientSecretMissingFromItsStoreIsExitCode3() {
        CliRun run = token(environment(FakeKeys.clientSecret()), "--client-secret-ref", "env:NOT_SET");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: cannot resolve the client secret at env:NOT_SET: ");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void clientSecretStoreThatRefusesAccessIsExitCode4() {
        CliRun run = token(environment(FakeKeys.clientSecret()), "--client-secret-ref", "fake:denied");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.ERROR);
        assertThat(run.errLines()).containsExactly("bigledger-auth token: cannot resolve the client secret at "
                + "fake:denied: the fake store refused access");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void secretAndItsReferenceBothSetIsAUsageError() {
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.put("BIGLEDGER_CLIENT_SECRET_REF", "env:OTHER");

        CliRun run = token(env);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly("bigledger-auth token: BIGLEDGER_CLIENT_SECRET and "
                + "BIGLEDGER_CLIENT_SECRET_REF are both set; set only one");
    }

    @Test
    void secretOnTheCommandLineIsRefusedWithoutEchoingIt() {
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.remove("BIGLEDGER_CLIENT_SECRET");

        CliRun run = token(env, "--client-secret", FakeKeys.clientSecret());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: --client-secret is not accepted")
                .contains("--client-secret-ref");
        assertNoSecretIn(run);
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void secretPastedInPlaceOfItsReferenceIsAUsageErrorThatDoesNotQuoteIt() {
        CliRun run = token(environment(FakeKeys.clientSecret()), "--client-secret-ref", FakeKeys.clientSecret());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString().startsWith("bigledger-auth token: --client-secret-ref: ");
        assertNoSecretIn(run);
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void httpEndpointWithoutTheFlagIsAUsageErrorThatDoesNotShowItsQuery() {
        Map<String, String> env = environment(FakeKeys.clientSecret());
        env.put("BIGLEDGER_TOKEN_ENDPOINT", endpoint.uri() + "?api_key=" + FakeKeys.live());

        CliRun run = CliRun.of(env, "token");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).containsExactly("bigledger-auth token: the token endpoint " + endpoint.uri()
                + " uses http: only https is allowed, except to a loopback host (127.0.0.1, ::1, localhost) with "
                + "--allow-insecure-loopback, for tests and local servers");
        assertNoSecretIn(run);
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void httpToAnotherHostIsRefusedEvenWithTheFlag() {
        CliRun run = token(environment(FakeKeys.clientSecret()), "--token-endpoint",
                "http://auth.example.com/oauth/token");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: the token endpoint must use https: "
                        + "http://auth.example.com/oauth/token")
                .contains("--allow-insecure-loopback");
    }

    @Test
    void endpointThatIsNotAUrlIsAUsageError() {
        CliRun run = token(environment(FakeKeys.clientSecret()), "--token-endpoint",
                "https://auth.bigledger.com/oauth token");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: the token endpoint is not a valid URL: ");
    }

    @Test
    void invalidScopeIsAUsageError() {
        CliRun run = token(environment(FakeKeys.clientSecret()), "--scope", "read\"accounts");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("bigledger-auth token: --scope: not a valid OAuth scope");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void unknownFormatOrAuthenticationIsAUsageError() {
        CliRun format = token(environment(FakeKeys.clientSecret()), "--format", "xml");
        CliRun auth = token(environment(FakeKeys.clientSecret()), "--auth", "none");

        assertThat(format.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(format.err()).contains("expected form or json");
        assertThat(auth.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(auth.err()).contains("expected basic or post");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void jsonIsTheDefaultFormatForBigLedgerHostsOnly() {
        assertThat(TokenCommand.defaultFormat(URI.create(TokenCommand.DEFAULT_TOKEN_ENDPOINT)))
                .isEqualTo(RequestFormat.JSON);
        assertThat(TokenCommand.defaultFormat(URI.create("https://BigLedger.com/oauth/token")))
                .isEqualTo(RequestFormat.JSON);
        assertThat(TokenCommand.defaultFormat(URI.create("https://auth.example.com/oauth/token")))
                .isEqualTo(RequestFormat.FORM);
        assertThat(TokenCommand.defaultFormat(URI.create("https://notbigledger.com/oauth/token")))
                .isEqualTo(RequestFormat.FORM);
        assertThat(TokenCommand.defaultFormat(URI.create("https://bigledger.com.example.net/oauth/token")))
                .isEqualTo(RequestFormat.FORM);
    }

    @Test
    void helpDocumentsTheVariablesTheDefaultsAndTheExitCodes() {
        CliRun run = CliRun.of(Map.of(), "token", "--help");

        assertThat(run.exitCode()).isEqualTo(0);
        assertThat(run.out()).contains("--token-endpoint=URL", "BIGLEDGER_TOKEN_ENDPOINT",
                "https://auth.bigledger.com/oauth/token", "BIGLEDGER_CLIENT_ID", "--client-secret-ref=REF",
                "BIGLEDGER_CLIENT_SECRET_REF", "BIGLEDGER_SCOPES", "--format=FORMAT", "--auth=METHOD",
                "--allow-insecure-loopback", "--header", "--verbose", "--timeout=DURATION", "Exit codes:",
                "3   the client secret was not found", "5   the token endpoint refused the client")
                .doesNotContain("--client-secret=");
    }

    private CliRun token(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of("token", "--allow-insecure-loopback"));
        command.addAll(List.of(args));
        return CliRun.of(environment, command.toArray(new String[0]));
    }

    private Map<String, String> environment(String clientSecret) {
        Map<String, String> env = new HashMap<>();
        env.put("BIGLEDGER_TOKEN_ENDPOINT", endpoint.uri().toString());
        env.put("BIGLEDGER_CLIENT_ID", CLIENT_ID);
        env.put("BIGLEDGER_CLIENT_SECRET", clientSecret);
        return env;
    }

    /** A port on 127.0.0.1 that nothing listens on: bound, then released. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void assertNoSecretIn(CliRun run) {
        assertThat(FakeKeys.leakIn(run.all())).as("a fake secret is in the output").isFalse();
    }
}
