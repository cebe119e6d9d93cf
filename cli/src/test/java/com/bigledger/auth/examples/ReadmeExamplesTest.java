package com.bigledger.auth.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.assertThatThrownBy;

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
import com.bigledger.auth.testing.ExtensionGrantIssuer;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.InMemoryCredentialSource;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the README's Java examples true. Each is a whole compilation unit: a file of the {@code examples} package of
 * this module or of an adapter module, shown in the README after its {@code <!-- example:PATH -->} marker without
 * its package line. The test checks that the README shows each file exactly, compiles each block here as written
 * (imports included, each in a package of its own, so that it needs nothing but the library), and runs them.
 */
class ReadmeExamplesTest {

    private static final String COMPANY = "company_abc123";
    private static final Path ROOT = Path.of("..");
    private static final Path README = ROOT.resolve("README.md");
    /** Where the examples live; the adapters' are compiled and run by their own module's tests. */
    private static final List<Path> EXAMPLE_DIRECTORIES = List.of(
            Path.of("cli", "src", "test", "java", "com", "bigledger", "auth", "examples"),
            Path.of("okhttp", "src", "test", "java", "com", "bigledger", "auth", "examples"),
            Path.of("micrometer", "src", "test", "java", "com", "bigledger", "auth", "examples"),
            Path.of("spring-boot-starter", "src", "test", "java", "com", "bigledger", "auth", "examples"));
    private static final Pattern PACKAGE_LINE = Pattern.compile("\\Apackage [a-z.]+;\\n");

    @Test
    void readmeShowsEachExampleFileWhole() throws IOException {
        Map<String, String> shown = readmeBlocks();
        assertThat(shown.keySet()).as("the README's examples").containsExactlyInAnyOrderElementsOf(exampleFiles());
        for (Map.Entry<String, String> example : shown.entrySet()) {
            String source = Files.readString(ROOT.resolve(example.getKey()), StandardCharsets.UTF_8);
            Matcher packageLine = PACKAGE_LINE.matcher(source);
            assertThat(packageLine.lookingAt()).as("%s starts with its package line", example.getKey()).isTrue();
            assertThat(example.getValue()).as("README example %s", example.getKey())
                    .isEqualTo(source.substring(packageLine.end()).strip());
            assertThat(example.getValue()).as("README example %s", example.getKey()).startsWith("import ");
        }
    }

    @Test
    void eachExampleOfThisModuleCompilesAsShown(@TempDir Path work) throws IOException {
        Optional<ToolProvider> javac = ToolProvider.findFirst("javac");
        Assumptions.assumeTrue(javac.isPresent(), "no Java compiler in this runtime (a JRE)");
        Map<String, String> shown = readmeBlocks();
        shown.keySet().removeIf(path -> !path.startsWith("cli/"));
        assertThat(shown).isNotEmpty();
        // Each in a package of its own, so that an example leaning on a class beside it without an import (which
        // compiles in the examples package here, but not in a user's code) fails; otherwise exactly as shown.
        List<String> arguments = new ArrayList<>(List.of("--release", "17", "-Xlint:all", "-Werror", "-proc:none",
                "-encoding", "UTF-8", "-classpath", mainClassPath(), "-d", work.resolve("classes").toString()));
        int index = 0;
        for (Map.Entry<String, String> example : shown.entrySet()) {
            String packageName = "readme" + index++;
            Path file = Files.createDirectories(work.resolve(packageName))
                    .resolve(Path.of(example.getKey()).getFileName());
            Files.writeString(file, "package " + packageName + ";\n\n" + example.getValue() + "\n",
                    StandardCharsets.UTF_8);
            arguments.add(file.toString());
        }
        StringWriter diagnostics = new StringWriter();
        PrintWriter writer = new PrintWriter(diagnostics);
        int status = javac.get().run(writer, writer, arguments.toArray(String[]::new));
        writer.flush();
        assertThat(status).as("the README's examples compile as shown:%n%s", diagnostics).isZero();
    }

    @Test
    void apiKeyExampleBuildsTheDocumentedHeaders() {
        String key = Canary.value("blg_live_sk_");
        EnvCredentialSource environment = EnvCredentialSource.builder()
                .environment(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", "company_abc123"))
                .build();
        HttpRequest request;
        try (CredentialVault vault = CredentialVault.builder().source(environment).discoverSources(false).build()) {
            request = new AccountsRequests(vault).listAccounts();
        }
        assertThat(request.headers().firstValue("Authorization")).contains("Bearer " + key);
        assertThat(request.headers().firstValue("X-Company-Id")).contains("company_abc123");
    }

    @Test
    void oauthClientExampleTargetsTheBigLedgerTokenEndpointWithJson() {
        InMemoryCredentialSource awsStandIn = new InMemoryCredentialSource("aws-sm");
        awsStandIn.put("prod/bigledger", Secret.of("{\"client_secret\":\"" + Canary.value("") + "\"}"));
        try (CredentialVault vault = CredentialVault.builder().source(awsStandIn).discoverSources(false).build()) {
            OAuthClient client = TokenClients.bigLedger(vault);
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
            assertThat(ServiceTokens.bearer(client)).isEqualTo(token);
            assertThat(endpoint.takeRequest().body()).contains("\"grant_type\":\"client_credentials\"");
        }
    }

    @Test
    void otherGrantsExamplesGetTokensWithASignedAssertionAndByExchange() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair key = generator.generateKeyPair();
        ExtensionGrantIssuer issuer = new ExtensionGrantIssuer(3600).jwtBearerKey(key.getPublic());
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.dispatcher(issuer);
            OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).clientId("my-service")
                    .clientSecret(Canary.secret("")).allowInsecureLoopback(true).build();
            try (TokenManager signed = OtherGrants.jwtBearer(client, key.getPrivate());
                 TokenManager exchanged = OtherGrants.exchange(client, signed)) {
                String upstream = signed.bearerToken();
                assertThat(exchanged.bearerToken()).isNotEqualTo(upstream);
                assertThat(issuer.accessTokens()).hasSize(2);
                assertThat(issuer.assertionClaims().get(0)).containsEntry("iss", "my-service")
                        .containsEntry("sub", "my-service");
                FakeTokenEndpoint.RecordedRequest exchange = endpoint.requests().get(1);
                assertThat(exchange.values("subject_token")).containsExactly(upstream);
                assertThat(exchange.values("audience")).containsExactly("ledger-api");
            }
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
            AccessToken token = RotatingTokens.afterUnauthorized(client, vault, ref);
            assertThat(token).isNotNull();
            assertThat(issued).hasSize(2);
            assertThat(store.load(ref).secret().reveal()).isEqualTo(issued.get(1));
        }
    }

    @Test
    void bigLedgerEnvironmentExampleReadsTheDocumentedVariables() {
        Assumptions.assumeTrue(System.getenv("BIGLEDGER_API_KEY") == null
                && System.getenv("BIGLEDGER_API_KEY_REF") == null, "the test process has BigLedger settings");

        assertThatThrownBy(BigLedgerSetup::fromEnvironment)
                .isInstanceOf(BigLedgerConfigurationException.class)
                .hasMessageContaining("BIGLEDGER_API_KEY is not set");
    }

    @Test
    void bigLedgerRequestsExampleVerifiesAndReadsAccounts() throws Exception {
        try (FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional")) {
            String key = api.issueApiKey(COMPANY, "read:accounts");
            BigLedgerAuth auth = BigLedgerAuth.builder().apiKey(Secret.of(key)).companyId(COMPANY)
                    .baseUrl(api.baseUrl()).allowInsecureLoopback(true).build();

            String accounts = Accounts.list(auth);

            assertThat(accounts).contains("\"success\":true");
            assertThat(api.requests()).extracting(r -> r.path()).containsExactly("/v1/auth/verify", "/v1/accounts");

            api.revokeApiKey(key);
            assertThatThrownBy(() -> Accounts.list(auth)).isInstanceOf(UnauthorizedException.class);
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
            AuthorizationRequest documented = new UserLogin(UserLogin.client(vault), vault).start();
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

            try (TokenManager tokens = new UserLogin(oauth, vault).callback(callbackUri, request)) {
                BigLedgerHeaders headers = UserLogin.auth(tokens).headers();

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
                    BigLedgerAuth sandbox = Sandbox.auth(vault);
                    assertThat(sandbox.baseUrl()).hasToString("https://api-sandbox.bigledger.com/v1");
                    assertThat(sandbox.headers().authorization()).isEqualTo("Bearer " + testKey);
                } else {
                    assertThatThrownBy(() -> Sandbox.auth(vault))
                            .isInstanceOf(BigLedgerConfigurationException.class)
                            .hasMessageContaining("blg_live_sk_")
                            .hasMessageContaining("sandbox");
                }
            }
        }
    }

    /** The README's Java blocks by the path in their marker. */
    private static Map<String, String> readmeBlocks() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Map<String, String> blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?s)<!-- example:(\\S+) -->\\s*```java\\n(.*?)\\n```").matcher(readme);
        while (m.find()) {
            assertThat(blocks.put(m.group(1), dedent(m.group(2)))).as("README example %s shown twice", m.group(1))
                    .isNull();
        }
        return blocks;
    }

    /** Every example file, as a path from the checkout's root with forward slashes. */
    private static List<String> exampleFiles() throws IOException {
        List<String> files = new ArrayList<>();
        for (Path directory : EXAMPLE_DIRECTORIES) {
            try (Stream<Path> listing = Files.list(ROOT.resolve(directory))) {
                listing.map(file -> file.getFileName().toString())
                        .filter(name -> name.endsWith(".java") && !name.endsWith("Test.java"))
                        .forEach(name -> files.add(directory.resolve(name).toString().replace('\\', '/')));
            }
        }
        return files;
    }

    /** This test's class path without its own compiled test classes, where the examples themselves are. */
    private static String mainClassPath() {
        Path testClasses = Path.of("target", "test-classes").toAbsolutePath();
        // Surefire starts the JVM with a manifest-only jar and gives the real class path in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(classPath.split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().equals(testClasses))
                .collect(Collectors.joining(File.pathSeparator));
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
