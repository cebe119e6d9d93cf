package com.bigledger.auth.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.bigledger.auth.testing.FakeTokenEndpoint.RotatingIssuer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight JVMs, each a fleet-mode {@link TokenManager} with several threads, share one token record in a secrets file,
 * against a token endpoint that rotates refresh tokens and revokes the whole grant when a retired one comes back
 * (as Keycloak's reuse detection, Ory Hydra and others do). Access tokens live two seconds and are refreshed at
 * half their life, so each run is a couple of dozen refresh cycles. Loopback only; each run is bounded.
 *
 * <p>Tagged {@code fleet-processes}: CI runs it under JDK 17 only (see {@code .ci/run}); it tests coordination between
 * processes, not anything a JDK release changes, and takes over a minute.
 */
@Tag("fleet-processes")
class FleetProcessesTest {

    static final String CLIENT_ID = "fleet-client";
    static final String RECORD = "token_record";
    private static final int PROCESSES = 8;
    private static final int THREADS = 3;
    private static final long RUN_MILLIS = 25_000;

    @TempDir
    Path folder;

    /** Rotates, and revokes the grant at the first retired refresh token presented. */
    private static final class RevokingIssuer implements Function<RecordedRequest, Response> {
        final RotatingIssuer issuer;
        final AtomicBoolean revoked = new AtomicBoolean();
        final AtomicInteger invalidGrants = new AtomicInteger();
        final AtomicInteger issued = new AtomicInteger();

        RevokingIssuer(String clientSecret) {
            this.issuer = new RotatingIssuer(CLIENT_ID, clientSecret, 2);
        }

        @Override
        public Response apply(RecordedRequest request) {
            if (revoked.get()) {
                invalidGrants.incrementAndGet();
                return Response.oauthError(400, "invalid_grant", "the authorization was revoked");
            }
            String presented = request.params().get("refresh_token");
            if (presented != null && !issuer.isLive(presented)) {
                revoked.set(true);
                invalidGrants.incrementAndGet();
                return Response.oauthError(400, "invalid_grant", "a retired refresh token was presented");
            }
            Response response = issuer.apply(request);
            issued.incrementAndGet();
            return response;
        }
    }

    @Test
    void eightProcessesMakeOneRequestPerExpiryAndNeverPresentARetiredRefreshToken() throws Exception {
        Result result = run(false);
        // Several refresh cycles ran (about a dozen on a quiet two-core machine; how many depends on its speed).
        assertThat(result.cycles).isGreaterThanOrEqualTo(3);
        assertThat(result.requests).isEqualTo(result.cycles);
    }

    @Test
    void aHolderHaltedMidRefreshIsTakenOverAndNothingElseIsLost() throws Exception {
        Result result = run(true);
        assertThat(result.halted).isEqualTo(1);
        // Taken over: the others wrote generations after the one the halted holder saw (how many depends on how
        // fast eight JVMs run on this machine, so the count is not asserted).
        assertThat(result.haltedAtGeneration).isPositive();
        assertThat(result.finalGeneration).isGreaterThan(result.haltedAtGeneration);
        // The halted holder sent no request: still one request per cycle.
        assertThat(result.requests).isEqualTo(result.cycles);
    }

    private static final class Result {
        int cycles;
        int requests;
        int halted;
        long haltedAtGeneration = -1;
        long finalGeneration;
    }

    private Result run(boolean haltAHolder) throws Exception {
        String marker = haltAHolder ? folder.resolve("halted").toString() : "-";
        String clientSecret = Canary.value("cs_");
        RevokingIssuer issuer = new RevokingIssuer(clientSecret);
        Path file = folder.resolve("vault.blgv");
        CredentialRef record = CredentialRef.of(FileCredentialSource.SCHEME, RECORD);
        Result result = new Result();
        try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start();
                CredentialVault vault = CredentialVault.builder().source(TestSecretsFiles.source(file))
                        .discoverSources(false).build()) {
            endpoint.dispatcher(issuer);
            long first = TokenManager.storeRefreshToken(vault, record, Secret.of(issuer.issuer.issueRefreshToken()));

            List<Process> members = new ArrayList<>();
            for (int i = 0; i < PROCESSES; i++) {
                members.add(start(file, endpoint, clientSecret, marker));
            }
            long served = 0;
            for (Process member : members) {
                String last = null;
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(member.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        last = line;
                    }
                }
                assertThat(member.waitFor(120, TimeUnit.SECONDS)).as("a member did not finish").isTrue();
                if (last != null && last.startsWith("halting ")) {
                    result.halted++;
                    result.haltedAtGeneration = Long.parseLong(last.substring("halting ".length()));
                    continue;
                }
                assertThat(member.exitValue()).isZero();
                Matcher m = Pattern.compile("served (\\d+) failed (\\d+) leases (\\d+)").matcher(last);
                assertThat(m.matches()).as("member output").isTrue();
                assertThat(Long.parseLong(m.group(2))).as("callers not served").isZero();
                served += Long.parseLong(m.group(1));
            }
            Matcher generation = Pattern.compile("\"generation\":(\\d+)")
                    .matcher(vault.read(record).secret().reveal());
            assertThat(generation.find()).isTrue();
            result.finalGeneration = Long.parseLong(generation.group(1));
            result.cycles = (int) (result.finalGeneration - first);
            result.requests = endpoint.requestCount();
            assertThat(served).isPositive();
            assertThat(issuer.invalidGrants).hasValue(0);
            assertThat(issuer.revoked).isFalse();
            assertThat(issuer.issued).hasValue(result.requests);
            // The measured numbers go to a file under target/, for the record; the build log stays quiet.
            java.nio.file.Files.writeString(Path.of("target", "fleet-processes.txt"), "processes=" + PROCESSES
                    + " threads=" + THREADS + " haltAHolder=" + haltAHolder + " cycles=" + result.cycles
                    + " requests=" + result.requests + " invalidGrants=" + issuer.invalidGrants.get() + " served="
                    + served + " halted=" + result.halted + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        return result;
    }

    private static Process start(Path file, FakeTokenEndpoint endpoint, String clientSecret, String marker)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"),
                FleetMemberProcess.class.getName(),
                file.toString(), endpoint.uri().toString(), Long.toString(RUN_MILLIS), Integer.toString(THREADS),
                marker));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("FLEET_CLIENT_SECRET", clientSecret);
        return builder.start();
    }
}
