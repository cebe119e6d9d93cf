package com.bigledger.auth.it;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.it.server.RevokingAuthorizationService;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.store.aws.Moto;
import com.bigledger.auth.store.vault.VaultDouble;
import com.bigledger.auth.testing.Canary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight JVMs, each a fleet-mode {@link TokenManager} with several threads ({@link FleetMember}), share one token
 * record in AWS Secrets Manager (moto_server) or in the Vault double (KV version 2, {@code cas}), against Spring
 * Authorization Server with 2-second access tokens, refresh tokens rotated on every use, and an authorization store
 * that revokes the whole authorization when a retired refresh token is presented
 * ({@link RevokingAuthorizationService}). Each 25 s run is a dozen to thirty refresh cycles; with the file store's
 * {@code FleetProcessesTest} (store-file) over 100 in all on a machine that is not overloaded.
 *
 * <p>Checked per run: not one retired refresh token presented and no {@code invalid_grant}, the server's refresh
 * requests equal to the record's generations (plus at most one per takeover), every caller served, and the
 * stored refresh token still live. In the halting runs the lease holder halts its JVM mid-refresh, holding the
 * lease and before its request (the case the library guarantees; a holder killed after the server answered loses
 * that rotation, as the README says): another member takes over after the lease TTL and nothing else is lost.
 *
 * <p>Loopback only; each member stops after its run time and is waited for at most two minutes. The measured
 * numbers are appended to {@code target/fleet-it.txt}; the members' warnings go to {@code target/fleet/}.
 */
class FleetIT {

    static final String CLIENT = "fleet-client";
    private static final int PROCESSES = 8;
    private static final int THREADS = 3;
    private static final Pattern SUMMARY = Pattern.compile("served (\\d+) failed (\\d+) leases (\\d+) takeovers "
            + "(\\d+) refreshes (\\d+) waited (\\d+) maxWaitMs (\\d+)");
    private static final Pattern GENERATION = Pattern.compile("\"generation\":(\\d+)");

    private static AuthServer server;
    private static Moto moto;
    private static VaultDouble vaultDouble;

    @BeforeAll
    static void start() throws Exception {
        server = AuthServer.shared();
        if (Moto.installed()) {
            moto = Moto.start();
        }
        vaultDouble = VaultDouble.start(Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            moto.close();
        }
        if (vaultDouble != null) {
            vaultDouble.close();
        }
    }

    @ParameterizedTest(name = "{0}, halt a holder: {1}")
    @CsvSource({"aws-sm, false, 25000", "vault, false, 25000", "aws-sm, true, 25000", "vault, true, 25000"})
    void eightProcessesShareOneRecordWithoutPresentingARetiredRefreshToken(String store, boolean halt,
            long runMillis) throws Exception {
        runFleet(store, halt, runMillis, PROCESSES);
    }

    /**
     * The benchmark scenario of {@code docs/BENCHMARKS.md} (section 7): token requests per expiry and the waits of
     * the members that do not hold the lease, for 1, 2, 4 and 8 processes on one record in the Vault double. The
     * same checks as the runs above; it takes two minutes more, so it runs only when asked for.
     */
    @ParameterizedTest(name = "{0} processes")
    @ValueSource(ints = {1, 2, 4, 8})
    void scalingFromOneToEightProcesses(int processes) throws Exception {
        assumeTrue(Boolean.getBoolean("fleet.scaling"),
                "a benchmark scenario, not part of the build: run it with -Dfleet.scaling=true");
        runFleet("vault", false, 25_000, processes);
    }

    private void runFleet(String store, boolean halt, long runMillis, int processes) throws Exception {
        if (store.equals("aws-sm")) {
            Moto.assumeInstalled();
        }
        Path logs = Files.createDirectories(Path.of("target", "fleet"));
        String run = store + (halt ? "-halt" : "") + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path marker = logs.resolve(run + ".halted");
        String name = "it/fleet-" + run;
        CredentialRef record;
        URI storeAddress;
        Secret vaultToken = null;
        if (store.equals("aws-sm")) {
            record = CredentialRef.parse("aws-sm:" + name + "#token_record");
            storeAddress = moto.endpoint();
        } else {
            record = CredentialRef.parse("vault:secret/" + name + "#token_record");
            storeAddress = vaultDouble.address();
            vaultToken = vaultDouble.issueToken();
        }
        OAuthClient client = server.client(CLIENT).build();
        Secret loggedIn = logIn(client);
        RevokingAuthorizationService.Counts counts = server.authorizations().counts(CLIENT);
        int requestsBefore = counts.refreshRequests.get();
        int rotationsBefore = counts.rotations.get();
        int retiredBefore = counts.retiredPresented.get();
        int refusedBefore = counts.refused.get();

        List<Process> members = new ArrayList<>();
        List<Path> memberLogs = new ArrayList<>();
        java.util.concurrent.ScheduledExecutorService watchdog =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (CredentialSource source = store.equals("aws-sm") ? moto.source() : vaultDouble.source();
                CredentialVault vault = CredentialVault.builder().source(source).discoverSources(false).build()) {
            if (store.equals("aws-sm")) {
                // The record shares its secret with another field, as it would with a client id.
                moto.client().createSecret(r -> r.name(name).secretString("{\"client_id\":\"" + CLIENT + "\"}"));
            }
            long first = TokenManager.storeRefreshToken(vault, record, loggedIn);

            for (int i = 0; i < processes; i++) {
                memberLogs.add(logs.resolve(run + "-member-" + i + ".log"));
                members.add(start(store, storeAddress, record, vaultToken, runMillis, halt ? marker : null,
                        memberLogs.get(i)));
            }
            // Start-up is not part of the run: every member says ready, then all are told to go at once.
            List<BufferedReader> outputs = new ArrayList<>();
            // A bound on the whole run: members still alive after five minutes are killed.
            watchdog.schedule(() -> members.forEach(Process::destroyForcibly), 5, TimeUnit.MINUTES);
            for (Process member : members) {
                BufferedReader lines = new BufferedReader(new InputStreamReader(member.getInputStream(),
                        StandardCharsets.UTF_8));
                assertThat(lines.readLine()).as("a member's start (see target/fleet/)").isEqualTo("ready");
                outputs.add(lines);
            }
            long startNanos = System.nanoTime();
            for (Process member : members) {
                member.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
                member.getOutputStream().flush();
            }
            long served = 0;
            long takeovers = 0;
            long refreshEvents = 0;
            long waited = 0;
            long maxWaitMs = 0;
            int halted = 0;
            for (int i = 0; i < members.size(); i++) {
                Process member = members.get(i);
                String last = null;
                try (BufferedReader lines = outputs.get(i)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        last = line;
                    }
                }
                if (!member.waitFor(120, TimeUnit.SECONDS)) {
                    members.forEach(Process::destroyForcibly);
                    throw new AssertionError("a member did not finish in time");
                }
                if ("halting".equals(last)) {
                    halted++;
                    continue;
                }
                assertThat(member.exitValue()).as("member exit status (see target/fleet/)").isZero();
                Matcher m = SUMMARY.matcher(String.valueOf(last));
                assertThat(m.matches()).as("member summary line").isTrue();
                assertThat(Long.parseLong(m.group(2))).as("callers not served (%s), first failures: %s",
                        memberLogs.get(i), firstFailures(memberLogs.get(i))).isZero();
                served += Long.parseLong(m.group(1));
                takeovers += Long.parseLong(m.group(4));
                refreshEvents += Long.parseLong(m.group(5));
                waited += Long.parseLong(m.group(6));
                maxWaitMs = Math.max(maxWaitMs, Long.parseLong(m.group(7)));
            }
            long wallMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);


            String stored = vault.read(record).secret().reveal();
            Matcher generation = GENERATION.matcher(stored);
            assertThat(generation.find()).as("the record's generation").isTrue();
            long cycles = Long.parseLong(generation.group(1)) - first;
            int requests = counts.refreshRequests.get() - requestsBefore;
            int retired = counts.retiredPresented.get() - retiredBefore;
            int refused = counts.refused.get() - refusedBefore;
            int rotations = counts.rotations.get() - rotationsBefore;
            Files.writeString(Path.of("target", "fleet-it.txt"), "store=" + store + " halt=" + halt + " processes="
                    + processes + " threads=" + THREADS + " runMillis=" + runMillis + " wallMillis=" + wallMillis
                    + " cycles=" + cycles + " requests=" + requests + " rotations=" + rotations + " invalidGrants="
                    + refused + " retiredPresented=" + retired + " takeovers=" + takeovers + " halted=" + halted
                    + " served=" + served + " refreshStartedEvents=" + refreshEvents + " waitedCalls=" + waited
                    + " maxWaitMs=" + maxWaitMs + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);

            assertThat(retired).as("retired refresh tokens presented").isZero();
            assertThat(refused).as("refresh requests refused with invalid_grant").isZero();
            assertThat(served).as("callers served").isPositive();
            assertThat(halted).as("members halted").isEqualTo(halt ? 1 : 0);
            assertThat(cycles).as("refresh cycles").isGreaterThanOrEqualTo(8);
            assertThat(rotations).as("rotations stored by the server").isEqualTo(requests);
            assertThat(requests).as("token requests against refresh cycles (+ at most one per takeover)")
                    .isBetween((int) cycles, (int) (cycles + takeovers));
            // Events are honest: the members' refreshStarted events are the requests sent, not record reads. (A
            // halted member never reports the requests it made before it halted.)
            if (halt) {
                assertThat(refreshEvents).as("refreshStarted events of the members").isBetween(0L, (long) requests);
            } else {
                assertThat(refreshEvents).as("refreshStarted events of the members").isEqualTo(requests);
            }
            if (halt) {
                assertThat(takeovers).as("takeovers of the halted holder's lease").isPositive();
            }
            // The record's refresh token is the server's live one: the grant survived the run.
            Secret live = refreshToken(stored);
            Canary.remember(live.reveal());
            TokenResponse after = client.refresh(live, Set.of("api.read"));
            Canary.remember(after.accessToken().reveal());
            after.refreshToken().ifPresent(rt -> Canary.remember(rt.reveal()));
            assertThat(after.refreshToken()).isPresent();
        } finally {
            watchdog.shutdownNow();
            // A failed run leaves no member behind to refresh during the next one.
            members.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void theServerRevokesTheWholeAuthorizationWhenARetiredRefreshTokenIsPresented() throws Exception {
        OAuthClient client = server.client(CLIENT).build();
        Secret first = logIn(client);
        TokenResponse rotated = client.refresh(first, Set.of("api.read"));
        Canary.remember(rotated.accessToken().reveal());
        Secret second = rotated.refreshToken().orElseThrow();
        Canary.remember(second.reveal());

        ReauthenticationRequiredException retired = catchThrowableOfType(ReauthenticationRequiredException.class,
                () -> client.refresh(first, Set.of("api.read")));
        ReauthenticationRequiredException revoked = catchThrowableOfType(ReauthenticationRequiredException.class,
                () -> client.refresh(second, Set.of("api.read")));

        assertThat(retired).isNotNull();
        assertThat(retired.errorCode()).contains("invalid_grant");
        assertThat(revoked).as("the live refresh token dies with its authorization").isNotNull();
        assertThat(revoked.errorCode()).contains("invalid_grant");
    }

    /** The first few distinct failures a member logged (the library's messages, which name no secret). */
    private static List<String> firstFailures(Path log) throws IOException {
        try (java.util.stream.Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith("fleet member: ")).distinct().limit(3).toList();
        }
    }

    private static Secret refreshToken(String record) {
        Matcher m = Pattern.compile("\"refresh_token\":\"([^\"]+)\"").matcher(record);
        assertThat(m.find()).as("the record's refresh token").isTrue();
        return Secret.of(m.group(1));
    }

    private static Process start(String store, URI storeAddress, CredentialRef record, Secret vaultToken,
            long runMillis, Path marker, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=fleet-member-logback.xml",
                "-cp", System.getProperty("java.class.path"),
                FleetMember.class.getName(),
                store, storeAddress.toString(), record.toString(), server.tokenEndpoint().toString(), CLIENT,
                Long.toString(runMillis), Integer.toString(THREADS), marker == null ? "-" : marker.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
        builder.environment().put("FLEET_CLIENT_SECRET", server.clientSecret(CLIENT).reveal());
        if (vaultToken != null) {
            builder.environment().put("FLEET_VAULT_TOKEN", vaultToken.reveal());
        }
        return builder.start();
    }

    private static Secret logIn(OAuthClient client) throws Exception {
        return Browser.logIn(server, client, CLIENT).refreshToken().orElseThrow();
    }
}
