package com.bigledger.auth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.store.file.KdfParameters;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's shells: 8 {@code bigledger-auth token} processes at once, 3 rounds, all on one token record in the
 * file store, against a token endpoint that rotates refresh tokens and revokes the whole grant when a retired one
 * is presented (Keycloak's reuse detection, Ory Hydra). Without coordination the first reuse would end the grant
 * for everyone; with the record, one process per expiry asks and the others use what it stored.
 *
 * <p>Access tokens last {@value #LIFETIME_SECONDS} s, so their refresh-ahead window is half of that; each round
 * starts once the stored token is inside that window, so each round needs at least one refresh. The numbers go to
 * {@code target/cli-fleet-it.txt}. Tagged {@code fleet-processes}: it tests coordination, not the JDK, and CI runs it
 * on one JDK only.
 */
@Tag("fleet-processes")
class CliFleetIT {

    private static final int PROCESSES = 8;
    private static final int ROUNDS = 3;
    private static final long LIFETIME_SECONDS = 4;
    private static final String CLIENT_ID = "fleet-cli";
    private static final CredentialRef RECORD = CredentialRef.parse("file:fleet/token_record");
    private static final Pattern GENERATION = Pattern.compile("\"generation\"\\s*:\\s*(\\d+)");
    private static final Pattern EXPIRES_AT = Pattern.compile("\"expires_at\"\\s*:\\s*\"([^\"]*)\"");

    private static Path jar;

    @TempDir
    Path folder;

    @BeforeAll
    static void findTheJar() {
        jar = RunnableJar.fromBuild();
    }

    @Test
    void eightShellsAtOnceShareOneRecordWithOneTokenRequestPerRefreshAndNoInvalidGrant() throws Exception {
        String clientSecret = Canary.value("");
        RevokingIssuer issuer = new RevokingIssuer(CLIENT_ID, clientSecret, LIFETIME_SECONDS);
        Map<String, String> environment = new HashMap<>(Map.of(
                FileCredentialSource.FILE_VARIABLE, folder.resolve("fleet.blgv").toString(),
                FileCredentialSource.PASSPHRASE_VARIABLE, "fleet test passphrase, not a secret",
                FileCredentialSource.ALLOW_WEAK_KDF_VARIABLE, "true",
                TokenCommand.CLIENT_ID, CLIENT_ID,
                TokenCommand.CLIENT_SECRET, clientSecret,
                "BIGLEDGER_TOKEN_RECORD_REF", RECORD.toString()));
        // Cheap key derivation, below RFC 9106's floor (the test-only variable allows it): the processes use the
        // parameters in the file's header.
        FileCredentialSource file = FileCredentialSource.builder().environment(environment)
                .kdfParameters(KdfParameters.argon2id(64, 1, 1)).build();
        try (CredentialVault vault = CredentialVault.builder().source(file).build();
                FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
            endpoint.dispatcher(issuer);
            environment.put(TokenCommand.TOKEN_ENDPOINT, endpoint.uri().toString());
            long initial = TokenManager.storeRefreshToken(vault, RECORD, Secret.of(issuer.issueRefreshToken()));

            long started = System.nanoTime();
            List<Run> runs = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                awaitRefreshDue(file);
                List<Process> processes = new ArrayList<>();
                List<Path[]> outputs = new ArrayList<>();
                for (int i = 0; i < PROCESSES; i++) {
                    Path out = folder.resolve("out-" + round + "-" + i + ".txt");
                    Path err = folder.resolve("err-" + round + "-" + i + ".txt");
                    processes.add(start(environment, out, err));
                    outputs.add(new Path[] {out, err});
                }
                for (int i = 0; i < PROCESSES; i++) {
                    Process process = processes.get(i);
                    // A guard against a hung process, not a timing assertion.
                    boolean exited = process.waitFor(2, TimeUnit.MINUTES);
                    if (!exited) {
                        process.destroyForcibly();
                    }
                    assertThat(exited).as("process %d of round %d exited", i, round).isTrue();
                    runs.add(new Run(process.exitValue(), Files.readString(outputs.get(i)[0], StandardCharsets.UTF_8),
                            Files.readString(outputs.get(i)[1], StandardCharsets.UTF_8)));
                }
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - started);

            long cycles = generation(file) - initial;
            long printed = runs.stream().filter(r -> r.exitCode == 0 && issuer.issued(r.out.strip())).count();
            int requests = issuer.refreshRequests();
            List<String> problems = runs.stream().filter(r -> r.exitCode != 0).map(r -> "exit " + r.exitCode + ": "
                    + (FakeKeys.leakIn(r.err) ? "(withheld: holds a token)" : r.err.strip())).toList();
            Files.writeString(Paths.get("target", "cli-fleet-it.txt"), String.format(
                    "processes %d x rounds %d, access tokens of %d s%nwall %d ms%ntokens printed %d of %d%n"
                            + "refresh cycles (record generations) %d%ntoken requests %d%ninvalid_grant %d%n"
                            + "distinct access tokens printed %d%n",
                    PROCESSES, ROUNDS, LIFETIME_SECONDS, wall.toMillis(), printed, runs.size(), cycles, requests,
                    issuer.invalidGrants(), runs.stream().map(r -> r.out.strip()).distinct().count()),
                    StandardCharsets.UTF_8);

            assertThat(problems).as("failed processes").isEmpty();
            assertThat(issuer.invalidGrants()).as("invalid_grant answers").isZero();
            assertThat(printed).as("processes that printed an issued access token").isEqualTo(PROCESSES * ROUNDS);
            assertThat(cycles).as("refresh cycles: at least one per round").isGreaterThanOrEqualTo(ROUNDS);
            assertThat(requests).as("token requests").isEqualTo(cycles);
            assertThat(issuer.grantAlive()).as("the grant is still alive").isTrue();
            assertThat(runs).allSatisfy(r -> assertThat(FakeKeys.leakIn(r.err)).as("a token on stderr").isFalse());
        }
    }

    /** Waits until the stored access token is inside its refresh-ahead window (half its life), or there is none. */
    private static void awaitRefreshDue(FileCredentialSource file) throws InterruptedException {
        Matcher matcher = EXPIRES_AT.matcher(file.load(RECORD).secret().reveal());
        if (!matcher.find()) {
            return;
        }
        Instant due = Instant.parse(matcher.group(1)).minusMillis(LIFETIME_SECONDS * 1000 / 2);
        while (Instant.now().isBefore(due)) {
            // Real tokens from a real clock: a round starts only when a refresh is due.
            Thread.sleep(50);
        }
    }

    private static long generation(FileCredentialSource file) {
        Matcher matcher = GENERATION.matcher(file.load(RECORD).secret().reveal());
        assertThat(matcher.find()).as("the record has a generation").isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static Process start(Map<String, String> environment, Path out, Path err) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:-UsePerfData");
        Path archive = jar.resolveSibling("bigledger-auth-cli.jsa");
        if (Files.isRegularFile(archive)) {
            // The class-data archive the build made, as the launcher passes it; another JVM ignores it.
            command.add("-XX:SharedArchiveFile=" + archive);
            command.add("-Xshare:auto");
            command.add("-Xlog:cds=off");
            command.add("-Xlog:cds+dynamic=off");
        }
        command.addAll(List.of("-jar", jar.toString(), "token", "--refresh-token", "--allow-insecure-loopback"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    private record Run(int exitCode, String out, String err) {
    }

    /**
     * An authorization server with refresh-token rotation and reuse detection: a refresh token is good once; a
     * retired one presented again revokes every live token of the grant (the Keycloak and Hydra behaviour issue 12
     * describes). Counts refresh requests and {@code invalid_grant} answers. Thread-safe.
     */
    private static final class RevokingIssuer implements Function<RecordedRequest, Response> {
        private final String clientId;
        private final String clientSecret;
        private final long expiresIn;
        private final Set<String> live = ConcurrentHashMap.newKeySet();
        private final Set<String> retired = ConcurrentHashMap.newKeySet();
        private final List<String> accessTokens = new CopyOnWriteArrayList<>();
        private final AtomicInteger refreshRequests = new AtomicInteger();
        private final AtomicInteger invalidGrants = new AtomicInteger();

        RevokingIssuer(String clientId, String clientSecret, long expiresIn) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            this.expiresIn = expiresIn;
        }

        String issueRefreshToken() {
            String token = Canary.value("blg_oauth_rt_");
            live.add(token);
            return token;
        }

        @Override
        public synchronized Response apply(RecordedRequest request) {
            Map<String, String> params = request.params();
            List<String> credentials = request.basicCredentials()
                    .orElse(java.util.Arrays.asList(params.get("client_id"), params.get("client_secret")));
            if (!clientId.equals(credentials.get(0)) || !clientSecret.equals(credentials.get(1))) {
                return Response.oauthError(401, "invalid_client", "Client authentication failed");
            }
            if (!"refresh_token".equals(params.get("grant_type"))) {
                return Response.oauthError(400, "unsupported_grant_type", null);
            }
            refreshRequests.incrementAndGet();
            String presented = params.get("refresh_token");
            if (presented == null || !live.remove(presented)) {
                invalidGrants.incrementAndGet();
                if (retired.contains(presented)) {
                    // Reuse detected: the whole grant goes.
                    retired.addAll(live);
                    live.clear();
                }
                return Response.oauthError(400, "invalid_grant", "The refresh token is invalid or was already used");
            }
            retired.add(presented);
            String accessToken = Canary.value("blg_oauth_at_");
            accessTokens.add(accessToken);
            return Response.token(accessToken, expiresIn, issueRefreshToken());
        }

        boolean issued(String accessToken) {
            return accessTokens.contains(accessToken);
        }

        int refreshRequests() {
            return refreshRequests.get();
        }

        int invalidGrants() {
            return invalidGrants.get();
        }

        synchronized boolean grantAlive() {
            return !live.isEmpty();
        }
    }
}
