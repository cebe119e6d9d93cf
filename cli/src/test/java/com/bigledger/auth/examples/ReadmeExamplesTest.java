package com.bigledger.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerConfigurationException;
import com.bigledger.auth.bigledger.BigLedgerHeaders;
import com.bigledger.auth.bigledger.BigLedgerOAuth;
import com.bigledger.auth.bigledger.BigLedgerScopes;
import com.bigledger.auth.bigledger.UnauthorizedException;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.RequestFormat;
import com.bigledger.auth.store.env.EnvCredentialSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Keeps the README's examples true: the README shows exactly the lines of {@link ReadmeExamples}, which run. */
class ReadmeExamplesTest {

    private static final String COMPANY = "company_abc123";
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "com", "bigledger", "auth", "examples",
            "ReadmeExamples.java");
    /** The adapter modules' examples, compiled and run by their own tests: their libraries stay out of this one. */
    private static final List<Path> ADAPTER_SOURCES = List.of(
            Path.of("..", "okhttp", "src", "test", "java", "com", "bigledger", "auth", "okhttp", "ReadmeExample.java"),
            Path.of("..", "micrometer", "src", "test", "java", "com", "bigledger", "auth", "micrometer",
                    "ReadmeExample.java"),
            Path.of("..", "spring-boot-starter", "src", "test", "java", "com", "bigledger", "auth", "spring",
                    "ReadmeExample.java"));

    @Test
    void readmeShowsExactlyTheCompiledExamples() throws IOException {
        Map<String, String> compiled = regions(Files.readString(SOURCE, StandardCharsets.UTF_8));
        for (Path adapter : ADAPTER_SOURCES) {
            compiled.putAll(regions(Files.readString(adapter, StandardCharsets.UTF_8)));
        }
        Map<String, String> shown = readmeBlocks(Files.readString(README, StandardCharsets.UTF_8));
        assertThat(shown.keySet()).containsExactlyInAnyOrderElementsOf(compiled.keySet());
        compiled.forEach((name, code) -> assertThat(shown.get(name)).as("README example %s", name).isEqualTo(code));
    }

    @Test
    void apiKeyExampleBuildsTheDocumentedHeaders() {
        String key = Canary.value("blg_live_sk_");
        EnvCredentialSource environment = EnvCredentialSource.builder()
                .environment(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", "company_abc123"))
                .build();
        HttpRequest request = ReadmeExamples.apiKeyRequest(environment);
        assertThat(request.headers().firstValue("Authorization")).contains("Bearer " + key);
        assertThat(request.headers().firstValue("X-Company-Id")).contains("company_abc123");
    }

    @Test
    void oauthClientExampleTargetsTheBigLedgerTokenEndpointWithJson() {
        InMemoryCredentialSource awsStandIn = new InMemoryCredentialSource("aws-sm");
        awsStandIn.put("prod/bigledger", Secret.of("{\"client_secret\":\"" + Canary.value("") + "\"}"));
        try (CredentialVault vault = CredentialVault.builder().source(awsStandIn).discoverSources(false).build()) {
            OAuthClient client = ReadmeExamples.bigLedgerClient(vault);
            assertThat(client.tokenEndpoint()).hasToString("https://auth.bigledger.com/oauth/token");
            assertThat(client.requestFormat()).isEqualTo(RequestFormat.JSON);
        }
    }

    @Test
    void clientCredentialsExampleGetsAToken() {
        String token = Canary.value("blg_oauth_at_");
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.enqueue(Response.token(token, 3600));
            OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("my-service")
                    .clientSecret(Canary.secret("")).requestFormat(RequestFormat.JSON).allowInsecureLoopback(true)
                    .build();
            assertThat(ReadmeExamples.clientCredentials(client)).isEqualTo(token);
            assertThat(endpoint.takeRequest().body()).contains("\"grant_type\":\"client_credentials\"");
        }
    }

    @Test
    void rotationExampleWritesEachRotatedRefreshTokenBack() {
        InMemoryCredentialSource store = new InMemoryCredentialSource("mem");
        CredentialRef ref = store.put("bigledger", Secret.of("{\"refresh_token\":\"" + Canary.value("blg_oauth_rt_")
                + "\"}")).withField("refresh_token");
        List<String> issued = new ArrayList<>();
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
             CredentialVault vault = CredentialVault.builder().source(store).discoverSources(false).build()) {
            endpoint.dispatcher(request -> {
                issued.add(Canary.value("blg_oauth_rt_"));
                return Response.token(Canary.value("blg_oauth_at_"), 3600, issued.get(issued.size() - 1));
            });
            OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("app")
                    .clientSecret(Canary.secret("")).allowInsecureLoopback(true).build();
            AccessToken token = ReadmeExamples.refreshTokenRotation(vault, client, ref);
            assertThat(token).isNotNull();
            assertThat(issued).hasSize(2);
            assertThat(store.load(ref).secret().reveal()).isEqualTo(issued.get(1));
        }
    }

    @Test
    void bigLedgerEnvironmentExampleReadsTheDocumentedVariables() {
        Assumptions.assumeTrue(System.getenv("BIGLEDGER_API_KEY") == null
                && System.getenv("BIGLEDGER_API_KEY_REF") == null, "the test process has BigLedger settings");

        assertThatThrownBy(ReadmeExamples::bigLedgerFromEnvironment)
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("BIGLEDGER_API_KEY is not set");
    }

    @Test
    void bigLedgerRequestsExampleVerifiesAndReadsAccounts() throws Exception {
        try (FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional")) {
            String key = api.issueApiKey(COMPANY, "read:accounts");
            BigLedgerAuth auth = BigLedgerAuth.builder().apiKey(Secret.of(key)).companyId(COMPANY)
                    .baseUrl(api.baseUrl()).allowInsecureLoopback(true).build();

            String accounts = ReadmeExamples.bigLedgerRequests(auth);

            assertThat(accounts).contains("\"success\":true");
            assertThat(api.requests()).extracting(r -> r.path()).containsExactly("/v1/auth/verify", "/v1/accounts");

            api.revokeApiKey(key);
            assertThatThrownBy(() -> ReadmeExamples.bigLedgerRequests(auth)).isInstanceOf(UnauthorizedException.class);
        }
    }

    @Test
    void bigLedgerOAuthExamplesRunTheDocumentedFlow() throws Exception {
        InMemoryCredentialSource awsStandIn = new InMemoryCredentialSource("aws-sm");
        String clientSecret = Canary.value("");
        awsStandIn.put("prod/bigledger", Secret.of("{\"client_secret\":\"" + clientSecret + "\"}"));
        InMemoryCredentialSource vaultStandIn = new InMemoryCredentialSource("vault");
        URI callback = URI.create("https://yourapp.com/callback");
        try (FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional");
             CredentialVault vault = CredentialVault.builder().source(awsStandIn).source(vaultStandIn)
                     .discoverSources(false).build()) {
            AuthorizationRequest documented = ReadmeExamples.bigLedgerAuthorize(vault);
            assertThat(documented.uri().toString()).startsWith("https://auth.bigledger.com/oauth/authorize?"
                    + "response_type=code&client_id=YOUR_CLIENT_ID&redirect_uri=https%3A%2F%2Fyourapp.com%2Fcallback"
                    + "&scope=read%3Aaccounts%20write%3Ainvoices&state=").contains("&code_challenge_method=S256");

            // The same flow against the double: the user's browser follows the URL and comes back with a code.
            api.client("YOUR_CLIENT_ID", clientSecret, callback);
            BigLedgerOAuth oauth = BigLedgerOAuth.builder().authorizationServer(api.authorizationServer())
                    .allowInsecureLoopback(true).clientId("YOUR_CLIENT_ID").clientSecret(Secret.of(clientSecret))
                    .redirectUri(callback).build();
            AuthorizationRequest request = oauth.authorizationRequest(Set.of(BigLedgerScopes.READ_ACCOUNTS));
            HttpResponse<Void> approved = HttpClient.newHttpClient().send(HttpRequest.newBuilder(request.uri()).build(),
                    HttpResponse.BodyHandlers.discarding());
            URI callbackUri = URI.create(approved.headers().firstValue("Location").orElseThrow());

            ReadmeExamples.OAuthSession session = ReadmeExamples.bigLedgerCallback(oauth, request, callbackUri, vault);
            try (TokenManager tokens = session.tokens()) {
                BigLedgerHeaders headers = session.auth().headers();

                assertThat(headers.authorization()).isEqualTo("Bearer " + api.accessTokens().get(1));
                CredentialRef stored = CredentialRef.parse("vault:secret/users/42/bigledger#refresh_token");
                assertThat(vaultStandIn.load(stored).secret().reveal()).isEqualTo(api.refreshTokens().get(1));
                assertThat(tokens.tokenEndpoint()).isEqualTo(URI.create(api.authorizationServer() + "/oauth/token"));
            }
        }
    }

    @Test
    void bigLedgerSandboxExampleTakesTestKeysOnly() {
        String testKey = Canary.value("blg_test_sk_");
        String liveKey = Canary.value("blg_live_sk_");
        for (String key : List.of(testKey, liveKey)) {
            EnvCredentialSource environment = EnvCredentialSource.builder()
                    .environment(Map.of("BIGLEDGER_SANDBOX_API_KEY", key)).build();
            try (CredentialVault vault = CredentialVault.builder().source(environment).discoverSources(false).build()) {
                if (key.equals(testKey)) {
                    BigLedgerAuth sandbox = ReadmeExamples.bigLedgerSandbox(vault);
                    assertThat(sandbox.baseUrl()).hasToString("https://api-sandbox.bigledger.com/v1");
                    assertThat(sandbox.headers().authorization()).isEqualTo("Bearer " + testKey);
                } else {
                    assertThatThrownBy(() -> ReadmeExamples.bigLedgerSandbox(vault))
                            .isInstanceOf(BigLedgerConfigurationException.class)
                            .hasMessageContaining("blg_live_sk_")
                            .hasMessageContaining("sandbox");
                }
            }
        }
    }

    private static Map<String, String> regions(String source) {
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?s)// example:([a-z-]+)\\n(.*?)\\n\\s*// end").matcher(source);
        while (m.find()) {
            regions.put(m.group(1), dedent(m.group(2)));
        }
        return regions;
    }

    private static Map<String, String> readmeBlocks(String readme) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?s)<!-- example:([a-z-]+) -->\\s*```java\\n(.*?)\\n```").matcher(readme);
        while (m.find()) {
            blocks.put(m.group(1), dedent(m.group(2)));
        }
        return blocks;
    }

    private static String dedent(String code) {
        String[] lines = code.split("\\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
        }
        return out.toString().strip();
    }
}
