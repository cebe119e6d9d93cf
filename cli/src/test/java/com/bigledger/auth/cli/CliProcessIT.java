package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.bigledger.auth.spi.CredentialSourceProvider;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar as a user would, as a separate process whose environment holds only what each test sets,
 * and checks exit codes, stdout and stderr. The runs are independent processes, so they run concurrently.
 */
@Execution(ExecutionMode.CONCURRENT)
class CliProcessIT {

    private static final String COMPANY = "company_abc123";

    private static Path jar;

    @TempDir
    Path outputDir;

    @BeforeAll
    static void findTheJar() {
        jar = RunnableJar.fromBuild();
    }

    /**
     * The environment of the file vault {@code fileName} in the output folder, made here with one entry so that the
     * commands find it; with a cheap key derivation for the test, as the jar uses the cost written in the header.
     */
    private Map<String, String> seededFileVault(String fileName) {
        Map<String, String> environment = Map.of("BIGLEDGER_SECRETS_FILE", outputDir.resolve(fileName).toString(),
                "BIGLEDGER_SECRETS_PASSPHRASE", "process test passphrase, not a secret",
                "BIGLEDGER_SECRETS_ALLOW_WEAK_KDF", "true");
        com.bigledger.auth.store.file.FileCredentialSource.builder().environment(environment)
                .kdfParameters(com.bigledger.auth.store.file.KdfParameters.argon2id(64, 1, 1)).build()
                .write(com.bigledger.auth.CredentialRef.parse("file:seed"), com.bigledger.auth.Secret.of("seed"),
                        java.util.Optional.empty());
        return environment;
    }

    @Test
    void theRunnableJarRegistersEveryStoreProvider() throws IOException {
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            JarEntry services = jarFile.getJarEntry("META-INF/services/" + CredentialSourceProvider.class.getName());
            assertThat(services).as("the merged provider registrations").isNotNull();
            String registered = new String(jarFile.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(registered).contains("com.bigledger.auth.store.env.EnvCredentialSourceProvider")
                    .contains("com.bigledger.auth.store.file.FileCredentialSourceProvider");
            assertThat(jarFile.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(Main.class.getName());
        }
    }

    @Test
    void resolvePrintsTheValueRedacted() throws Exception {
        String key = FakeKeys.live();

        Result result = run(Map.of("BIGLEDGER_API_KEY", key), "resolve", "env:BIGLEDGER_API_KEY");

        assertThat(result.exitCode).isEqualTo(0);
        assertThat(result.out).isEqualTo("reference  env:BIGLEDGER_API_KEY\n"
                + "value      Secret[blg_live_sk_…redacted]\n");
        assertThat(result.err).isEmpty();
        result.assertNoSecret();
    }

    @Test
    void resolveRevealPrintsTheValueAlone() throws Exception {
        String key = FakeKeys.live();

        Result result = run(Map.of("BIGLEDGER_API_KEY", key), "resolve", "--reveal", "env:BIGLEDGER_API_KEY");

        assertThat(result.exitCode).isEqualTo(0);
        assertThat(result.out).isEqualTo(key + "\n");
        assertThat(result.err).isEmpty();
    }

    @Test
    void resolveOfAMissingVariableFailsWithExitCode3() throws Exception {
        String key = FakeKeys.live();

        Result result = run(Map.of("BIGLEDGER_API_KEY", key), "resolve", "env:NOT_SET");

        assertThat(result.exitCode).isEqualTo(3);
        assertThat(result.out).isEmpty();
        assertThat(result.err.lines()).singleElement().asString().contains("env:NOT_SET");
        result.assertNoSecret();
    }

    @Test
    void doctorPassesAGoodConfiguration() throws Exception {
        String key = FakeKeys.live();

        Result result = run(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY), "doctor");

        assertThat(result.exitCode).isEqualTo(0);
        assertThat(result.out).contains("Secret[blg_live_sk_…redacted]", COMPANY, "ok: no problem found");
        assertThat(result.err).isEmpty();
        result.assertNoSecret();
    }

    @Test
    void doctorRefusesASandboxKeyInProduction() throws Exception {
        String key = FakeKeys.test();

        Result result = run(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY,
                "BIGLEDGER_ENVIRONMENT", "production"), "doctor");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err.lines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_API_KEY: ")
                .contains("blg_test_sk_", "production");
        result.assertNoSecret();
    }

    @Test
    void doctorReportsAMissingCompanyId() throws Exception {
        String key = FakeKeys.live();

        Result result = run(Map.of("BIGLEDGER_API_KEY", key), "doctor");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err.lines()).singleElement().asString()
                .startsWith("problem: BIGLEDGER_COMPANY_ID is not set");
        result.assertNoSecret();
    }

    @Test
    void doctorReportsAMalformedCompanyId() throws Exception {
        String key = FakeKeys.live();

        Result result = run(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", "company abc"), "doctor");

        assertThat(result.exitCode).isEqualTo(1);
        assertThat(result.err.lines()).singleElement().asString().startsWith("problem: BIGLEDGER_COMPANY_ID: ");
        assertThat(result.out).contains("company id   malformed, not shown");
        result.assertNoSecret();
    }

    @Test
    void doctorResolvesTheKeyThroughAReference() throws Exception {
        String key = FakeKeys.live();

        Result result = run(Map.of("BIGLEDGER_API_KEY_REF", "env:OTHER_VAR", "OTHER_VAR", key,
                "BIGLEDGER_COMPANY_ID", COMPANY), "doctor");

        assertThat(result.exitCode).isEqualTo(0);
        assertThat(result.out).contains("(from BIGLEDGER_API_KEY_REF=env:OTHER_VAR)", "ok: no problem found");
        assertThat(result.err).isEmpty();
        result.assertNoSecret();
    }

    @Test
    void verifyPrintsTheCompanyOrExitsWithTheErrorsCode() throws Exception {
        try (FakeBigLedgerApi api = FakeBigLedgerApi.start().company(COMPANY, "Acme Corporation", "professional")) {
            String key = api.issueApiKey(COMPANY, "read:accounts", "write:invoices");
            String base = api.baseUrl().toString();

            Result accepted = run(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY), "verify",
                    "--base-url", base, "--allow-insecure-loopback");
            api.revokeApiKey(key);
            Result refused = run(Map.of("BIGLEDGER_API_KEY", key, "BIGLEDGER_COMPANY_ID", COMPANY), "verify",
                    "--base-url", base, "--allow-insecure-loopback");

            assertThat(accepted.exitCode).isEqualTo(0);
            assertThat(accepted.out).contains("company      company_abc123 (Acme Corporation)\n",
                    "plan         professional\n", "permissions  read:accounts, write:invoices\n",
                    "ok: the BigLedger API accepted the credentials");
            assertThat(accepted.err).isEmpty();
            assertThat(refused.exitCode).isEqualTo(6);
            assertThat(refused.err.lines()).singleElement().asString()
                    .contains("HTTP 401 UNAUTHORIZED (Invalid or missing API key)");
            assertThat(api.requests("/v1/auth/verify")).hasSize(2).allSatisfy(r ->
                    assertThat(r.header("User-Agent").orElseThrow()).startsWith("bigledger-auth-cli/")
                            .contains(" bigledger-auth-java/"));
            accepted.assertNoSecret();
            refused.assertNoSecret();
        }
    }

    @Test
    void tokenPrintsTheTokenFromTheEndpointAlone() throws Exception {
        String secret = FakeKeys.clientSecret();
        String token = FakeKeys.accessToken();
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.enqueue(Response.token(token, 3600));

            Result result = run(Map.of("BIGLEDGER_TOKEN_ENDPOINT", endpoint.uri().toString(),
                    "BIGLEDGER_CLIENT_ID", "my-client", "BIGLEDGER_CLIENT_SECRET", secret,
                    "BIGLEDGER_SCOPES", "read:accounts"), "token", "--allow-insecure-loopback");

            assertThat(result.exitCode).isEqualTo(0);
            assertThat(result.out).isEqualTo(token + "\n");
            assertThat(result.err).isEmpty();
            RecordedRequest request = endpoint.takeRequest();
            assertThat(request.params()).containsExactly(entry("grant_type", "client_credentials"),
                    entry("scope", "read:accounts"));
            assertThat(request.basicCredentials()).contains(List.of("my-client", secret));
            assertThat(request.header("User-Agent")).get().asString().startsWith("bigledger-auth-cli/");
        }
    }

    @Test
    void tokenForARefusedClientFailsWithExitCode5() throws Exception {
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.enqueue(Response.oauthError(401, "invalid_client", "Client authentication failed"));

            Result result = run(Map.of("BIGLEDGER_CLIENT_ID", "my-client",
                    "BIGLEDGER_CLIENT_SECRET", FakeKeys.clientSecret()),
                    "token", "--token-endpoint", endpoint.uri().toString(), "--allow-insecure-loopback");

            assertThat(result.exitCode).isEqualTo(5);
            assertThat(result.out).isEmpty();
            assertThat(result.err.lines()).singleElement().asString()
                    .startsWith("bigledger-auth token: Token request to " + endpoint.uri() + " failed: HTTP 401");
            result.assertNoSecret();
        }
    }

    /**
     * A JVM told to prefer IPv6 has {@code ::1} as its loopback address; the listener must still bind the address
     * its redirect URI names, 127.0.0.1, or the browser's callback is refused.
     */
    @Test
    void loginIsReachableAtItsRedirectUriInAJvmThatPrefersIpv6() throws Exception {
        Map<String, String> stores = seededFileVault("login.blgv");
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.enqueue(Response.token(FakeKeys.accessToken(), 3600, FakeKeys.accessToken()));
            Map<String, String> environment = new java.util.HashMap<>(stores);
            environment.put("JDK_JAVA_OPTIONS", "-Djava.net.preferIPv6Addresses=true");
            environment.put("BIGLEDGER_TOKEN_ENDPOINT", endpoint.uri().toString());
            environment.put("BIGLEDGER_AUTHORIZATION_ENDPOINT", endpoint.baseUri().resolve("/authorize").toString());
            environment.put("BIGLEDGER_CLIENT_ID", "cli-app");
            ProcessBuilder builder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-jar", jar.toString(), "login",
                    "--no-browser", "--allow-insecure-loopback", "--profile", "oauth2", "--login-timeout", "60s")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            try {
                java.io.BufferedReader err = new java.io.BufferedReader(new java.io.InputStreamReader(
                        process.getErrorStream(), StandardCharsets.UTF_8));
                StringBuilder printed = new StringBuilder();
                java.net.URI authorize = null;
                while (authorize == null) {
                    String line = err.readLine();
                    if (line == null) {
                        break;
                    }
                    printed.append(line).append('\n');
                    if (line.startsWith("  http")) {
                        authorize = java.net.URI.create(line.strip());
                    }
                }
                assertThat(authorize).as(printed.toString()).isNotNull();
                Map<String, String> params = new java.util.HashMap<>();
                for (String pair : authorize.getRawQuery().split("&")) {
                    params.put(pair.substring(0, pair.indexOf('=')), java.net.URLDecoder.decode(
                            pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8));
                }
                java.net.URI redirect = java.net.URI.create(params.get("redirect_uri"));
                java.net.http.HttpResponse<Void> answer = java.net.http.HttpClient.newBuilder()
                        .connectTimeout(java.time.Duration.ofSeconds(10)).build()
                        .send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(redirect + "?code=the-code&state="
                                + params.get("state"))).timeout(java.time.Duration.ofSeconds(30)).build(),
                                java.net.http.HttpResponse.BodyHandlers.discarding());
                printed.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                // A guard against a hung process, not a timing assertion.
                assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the command exited").isTrue();

                assertThat(redirect.getHost()).isEqualTo("127.0.0.1");
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(process.exitValue()).as(printed.toString()).isZero();
                assertThat(endpoint.takeRequest().params()).containsEntry("code", "the-code");
                assertThat(FakeKeys.leakIn(printed.toString())).as("a fake secret is in the output").isFalse();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void secretsPutReadsStdinAndGetRevealsItThroughTheRunnableJar() throws Exception {
        Map<String, String> environment = seededFileVault("vault.blgv");
        String key = FakeKeys.live();
        Path input = outputDir.resolve("value.txt");
        Files.writeString(input, key + "\n", StandardCharsets.UTF_8);

        Result put = run(environment, input, "secrets", "put", "bigledger/api_key");
        Result get = run(environment, "secrets", "get", "bigledger/api_key", "--reveal");
        Result list = run(environment, "secrets", "list");

        assertThat(put.exitCode).as(put.err).isEqualTo(0);
        put.assertNoSecret();
        assertThat(get.out).isEqualTo(key + "\n");
        assertThat(list.out).isEqualTo("bigledger/api_key\nseed\n");
    }

    @Test
    void demoRunsFromTheRunnableJarWithoutJUnitOrConfiguration() throws Exception {
        Result demo = run(Map.of(), "demo");

        assertThat(demo.exitCode).as(demo.err).isEqualTo(0);
        assertThat(demo.out).contains("50 requests at once: 50 answered 200, 1 token request",
                "2 requests sent (401, then retried once), 1 refresh in between, answer 200");
        // The values were made in the child process: no generated value (Canary's marker) and no token past its
        // prefix reached the output.
        assertThat(demo.out + demo.err).doesNotContainPattern("cnry[0-9a-f]{6}")
                .doesNotContainPattern("blg_oauth_(at|rt)_[^…]");
    }

    private Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return run(environment, Path.of("/dev/null"), args);
    }

    private Result run(Map<String, String> environment, Path stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        // Starts faster; these runs are short. No perf-data file: a JVM that cannot lock one under /tmp prints a
        // warning on its standard output.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:-UsePerfData");
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(outputDir, "out", ".txt");
        Path err = Files.createTempFile(outputDir, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        // A guard against a hung process, not a timing assertion.
        boolean exited = process.waitFor(2, TimeUnit.MINUTES);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as("the command exited").isTrue();
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static final class Result {
        final int exitCode;
        final String out;
        final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.out = out;
            this.err = err;
        }

        void assertNoSecret() {
            assertThat(FakeKeys.leakIn(out + err)).as("a fake secret is in the output").isFalse();
        }
    }
}
