package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RotatingIssuer;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.file.KdfParameters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code token} and {@code login} on the token record that fleet-mode managers share, against a fake token endpoint
 * that rotates refresh tokens, with the record in a secrets file.
 */
class TokenRecordCommandTest {

    private static final String PASSPHRASE = "token record test passphrase, not a secret";
    private static final String CLIENT_ID = "cli-app";
    private static final CredentialRef RECORD = CredentialRef.parse("file:bigledger/token_record");
    /** The variables' and the earlier default's names, spelled out: the documented interface. */
    private static final String TOKEN_RECORD_REF = "BIGLEDGER_TOKEN_RECORD_REF";
    private static final String REFRESH_TOKEN_REF = "BIGLEDGER_REFRESH_TOKEN_REF";
    private static final String EARLIER_REFRESH_TOKEN_REF = "file:bigledger/refresh_token";
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern GENERATION = Pattern.compile("\"generation\"\\s*:\\s*(\\d+)");

    @TempDir
    Path folder;

    private FakeTokenEndpoint endpoint;
    private RotatingIssuer issuer;
    private Map<String, String> environment;
    private FileCredentialSource file;
    private CredentialVault vault;

    @BeforeEach
    void startEndpointAndCreateVault() {
        String clientSecret = FakeKeys.clientSecret();
        endpoint = FakeTokenEndpoint.start();
        issuer = new RotatingIssuer(CLIENT_ID, clientSecret, 3600);
        endpoint.dispatcher(issuer);
        environment = new HashMap<>(Map.of(FileCredentialSource.FILE_VARIABLE, folder.resolve("vault.blgv").toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, PASSPHRASE,
                FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true",
                TokenCommand.TOKEN_ENDPOINT, endpoint.uri().toString(),
                LoginCommand.AUTHORIZATION_ENDPOINT, endpoint.baseUri().resolve("/oauth/authorize").toString(),
                TokenCommand.CLIENT_ID, CLIENT_ID,
                TokenCommand.CLIENT_SECRET, clientSecret));
        // Cheap key derivation: the commands use the parameters in the file's header.
        file = FileCredentialSource.builder().environment(environment).kdfParameters(KdfParameters.argon2id(64, 1, 1))
                .build();
        file.write(CredentialRef.parse("file:seed"), Secret.of("seed"), Optional.empty());
        vault = CredentialVault.builder().source(file).build();
    }

    @AfterEach
    void stopEndpoint() {
        vault.close();
        endpoint.close();
    }

    @Test
    void tokenRefreshesWithTheRecordsRefreshTokenAndWritesTheRotatedOneToTheRecord() {
        String first = issuer.issueRefreshToken();
        TokenManager.storeRefreshToken(vault, RECORD, Secret.of(first));

        CliRun run = token("--verbose");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.err()).contains("the token endpoint (stored in the token record)");
        assertThat(issuer.accessTokens()).hasSize(1);
        assertThat(run.out()).isEqualTo(issuer.accessTokens().get(0) + "\n");
        assertThat(endpoint.takeRequest().params()).containsEntry("grant_type", "refresh_token")
                .containsEntry("refresh_token", first);
        String rotated = issuer.refreshTokens().get(1);
        assertThat(issuer.isLive(rotated)).isTrue();
        assertThat(field(REFRESH_TOKEN)).isEqualTo(rotated);
        assertThat(field(GENERATION)).isEqualTo("2");
    }

    @Test
    void aStillValidAccessTokenInTheRecordIsPrintedWithoutARequest() {
        TokenManager.storeRefreshToken(vault, RECORD, Secret.of(issuer.issueRefreshToken()));
        CliRun first = token();
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.OK);
        assertThat(endpoint.requestCount()).isEqualTo(1);

        List<CliRun> later = List.of(token(), token("--verbose"), token("--token-record", RECORD.toString()));

        assertThat(later).allSatisfy(run -> {
            assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).isEqualTo(first.out());
        });
        assertThat(endpoint.requestCount()).as("token requests").isEqualTo(1);
        assertThat(field(ACCESS_TOKEN)).isEqualTo(first.out().strip());
        assertThat(later.get(1).err()).contains("refresh_token in the token record at " + RECORD,
                "the token record (no request)");
    }

    @Test
    void theTokenRecordAndAPlainRefreshTokenTogetherAreAUsageErrorNamingBoth() {
        CliRun options = token("--token-record", "file:bigledger/other_record", "--refresh-token-ref",
                "file:bigledger/refresh_token");
        Map<String, String> bothVariables = new HashMap<>(environment);
        bothVariables.put(TOKEN_RECORD_REF, "file:bigledger/other_record");
        bothVariables.put(REFRESH_TOKEN_REF, "file:bigledger/refresh_token");
        CliRun variables = CliRun.of(bothVariables, "token", "--refresh-token", "--allow-insecure-loopback");

        assertThat(options.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(options.errLines()).first().asString().contains("--token-record and --refresh-token-ref conflict");
        assertThat(variables.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(variables.errLines()).first().asString().contains(TOKEN_RECORD_REF + " and "
                + REFRESH_TOKEN_REF + " are both set");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void aPlainRefreshTokenIsStillUsedWithRefreshTokenRef() {
        CredentialRef plain = CredentialRef.parse("file:bigledger/refresh_token");
        String first = issuer.issueRefreshToken();
        file.write(plain, Secret.of(first), Optional.empty());

        CliRun run = token("--refresh-token-ref", plain.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(endpoint.takeRequest().params()).containsEntry("refresh_token", first);
        assertThat(file.load(plain).secret().reveal()).isEqualTo(issuer.refreshTokens().get(1));
        assertThat(file.names()).doesNotContain("bigledger/token_record");
    }

    @Test
    void aTokenRecordInAStoreWithoutCompareAndSetIsRefusedNamingIt() {
        CliRun run = token("--token-record", "env:SOME_RECORD");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("env:SOME_RECORD", "compare-and-set");
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void aMissingDefaultRecordPointsAtTheRefreshTokenAnEarlierLoginStored() {
        file.write(CredentialRef.parse(EARLIER_REFRESH_TOKEN_REF), Secret.of(issuer.issueRefreshToken()),
                Optional.empty());

        CliRun run = token();

        assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
        assertThat(run.errLines()).singleElement().asString().contains("no token record is stored at " + RECORD,
                "--refresh-token-ref " + EARLIER_REFRESH_TOKEN_REF);
        assertThat(endpoint.requestCount()).isZero();
    }

    @Test
    void loginWritesTheRefreshTokenAsANewGenerationOfTheRecordThatTokenThenUses() {
        CliRun login = CliRun.withBrowser(environment, browser(), "login", "--allow-insecure-loopback",
                "--profile", "oauth2");

        assertThat(login.exitCode()).as(login.err()).isEqualTo(ExitCodes.OK);
        assertThat(login.err()).contains("token record at " + RECORD, "generation 1");
        String loggedIn = issuer.refreshTokens().get(0);
        assertThat(field(REFRESH_TOKEN)).isEqualTo(loggedIn);
        assertThat(field(GENERATION)).isEqualTo("1");
        assertThat(file.names()).doesNotContain("bigledger/refresh_token");

        CliRun token = token();

        assertThat(token.exitCode()).as(token.err()).isEqualTo(ExitCodes.OK);
        assertThat(endpoint.requests().get(1).params()).containsEntry("refresh_token", loggedIn);
        assertThat(field(REFRESH_TOKEN)).isEqualTo(issuer.refreshTokens().get(1));
        assertThat(field(GENERATION)).isEqualTo("2");
    }

    @Test
    void loginWithStoreStillWritesAPlainRefreshToken() {
        CliRun login = CliRun.withBrowser(environment, browser(), "login", "--allow-insecure-loopback",
                "--profile", "oauth2", "--store", EARLIER_REFRESH_TOKEN_REF);

        assertThat(login.exitCode()).as(login.err()).isEqualTo(ExitCodes.OK);
        assertThat(file.load(CredentialRef.parse(EARLIER_REFRESH_TOKEN_REF)).secret().reveal())
                .isEqualTo(issuer.refreshTokens().get(0));
        assertThat(file.names()).doesNotContain("bigledger/token_record");
    }

    @Test
    void loginWithBothDestinationsIsAUsageErrorBeforeAnyBrowser() {
        List<URI> opened = new java.util.ArrayList<>();

        CliRun run = CliRun.withBrowser(environment, opened::add, "login", "--allow-insecure-loopback",
                "--token-record", "file:a", "--store", "file:b");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--token-record and --store conflict");
        assertThat(opened).isEmpty();
    }

    private CliRun token(String... extra) {
        String[] args = new String[extra.length + 3];
        args[0] = "token";
        args[1] = "--refresh-token";
        args[2] = "--allow-insecure-loopback";
        System.arraycopy(extra, 0, args, 3, extra.length);
        return CliRun.of(environment, args);
    }

    /** A member of the stored record, read as the store holds it. */
    private String field(Pattern member) {
        String record = file.load(RECORD).secret().reveal();
        Matcher matcher = member.matcher(record);
        assertThat(matcher.find()).as("the record has %s", member).isTrue();
        return matcher.group(1);
    }

    /**
     * A browser whose authorization server approves at once: the callback gets a code, which the fake token
     * endpoint's issuer answers like an authorization code grant with a first refresh token.
     */
    private Consumer<URI> browser() {
        endpoint.dispatcher(request -> {
            if ("authorization_code".equals(request.params().get("grant_type"))) {
                return FakeTokenEndpoint.Response.token(Canary.value("blg_oauth_at_"), 3600,
                        issuer.issueRefreshToken());
            }
            return issuer.apply(request);
        });
        return authorize -> {
            Map<String, String> params = new HashMap<>();
            for (String pair : authorize.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            URI callback = URI.create(params.get("redirect_uri") + "?code=the-code&state="
                    + URLEncoder.encode(params.get("state"), StandardCharsets.UTF_8));
            try {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(callback).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }
}
