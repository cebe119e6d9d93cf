package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.OAuthClient;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member of a fleet, started as a separate JVM by {@link FleetProcessesTest}: a fleet-mode
 * {@link TokenManager} over the token record in a secrets file, with several threads asking it for tokens.
 *
 * <p>Arguments: the secrets file, the token endpoint, how long to run in milliseconds, the number of threads, and
 * a marker file or {@code -}: with a marker, the first member to begin a refresh request 5 s or more after its start
 * creates the marker and halts the JVM on the thread that would send it: holding the lease, before the request.
 * The client secret comes in the {@code FLEET_CLIENT_SECRET} variable. Prints {@code served N failed M leases L}.
 */
public final class FleetMemberProcess {

    private FleetMemberProcess() {
    }

    /** The token record's generation as the store holds it now, or -1 if it cannot be read. */
    private static long generation(CredentialVault vault) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"generation\":(\\d+)").matcher(vault
                    .read(CredentialRef.of(FileCredentialSource.SCHEME, FleetProcessesTest.RECORD)).secret().reveal());
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static boolean claim(Path marker) {
        try {
            java.nio.file.Files.createFile(marker);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * Runs the member.
     *
     * @param args see the class description
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path file = Path.of(args[0]);
        URI endpoint = URI.create(args[1]);
        long runMillis = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        Path marker = args[4].equals("-") ? null : Path.of(args[4]);
        long haltFrom = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        AtomicInteger leases = new AtomicInteger();
        CredentialVault vault = CredentialVault.builder().source(TestSecretsFiles.source(file)).discoverSources(false)
                .build();
        OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint).clientId(FleetProcessesTest.CLIENT_ID)
                .clientSecret(Secret.of(System.getenv("FLEET_CLIENT_SECRET")))
                .requestTimeout(Duration.ofSeconds(5))
                .allowInsecureLoopback(true).build();
        TokenManager manager = TokenManager.builder()
                .client(client)
                // The refresh_token grant, as the manager sends it by default. With a marker, the halting member
                // dies here, on the thread that would send the request: holding the lease, before the request. It
                // tells the generation it saw, so the test can check that a later one was written. (Not in a
                // listener: listeners run on another thread, which may halt after the server rotated.)
                .tokenSource(request -> {
                    if (marker != null && System.nanoTime() > haltFrom && claim(marker)) {
                        out.println("halting " + generation(vault));
                        Runtime.getRuntime().halt(137);
                    }
                    return client.refresh(request.refreshToken().orElseThrow(), request.scopes());
                })
                .tokenRecord(vault, CredentialRef.of(FileCredentialSource.SCHEME, FleetProcessesTest.RECORD))
                .recordPollInterval(Duration.ofMillis(50))
                .addListener(new TokenListener() {
                    @Override
                    public void leaseTaken(String name, CredentialRef record, Instant until, boolean takenOver) {
                        leases.incrementAndGet();
                    }
                })
                .build();
        AtomicLong served = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long end = System.nanoTime() + Duration.ofMillis(runMillis).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        manager.token();
                        served.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        System.err.println("fleet member: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                    // A caller rate, not a wait for time to pass: eight JVMs share two cores.
                    java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        manager.close();
        vault.close();
        out.println("served " + served.get() + " failed " + failed.get() + " leases " + leases.get());
    }
}
