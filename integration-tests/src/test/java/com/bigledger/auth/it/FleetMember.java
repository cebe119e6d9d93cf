package com.bigledger.auth.it;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.oauth.ClientAuthentication;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.spi.CredentialSource;
import com.bigledger.auth.store.aws.Moto;
import com.bigledger.auth.store.vault.VaultDouble;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One member of a fleet, started as a separate JVM by {@link FleetIT}: a fleet-mode {@link TokenManager} over a token
 * record in Secrets Manager (moto_server) or the Vault double, refreshing at Spring Authorization Server, with
 * several threads asking it for tokens.
 *
 * <p>Arguments: {@code aws-sm} or {@code vault}, the store's address, the record's reference, the token endpoint,
 * the client id, how long to run in milliseconds, the number of threads, and a marker file or {@code -}. With a
 * marker, the first member to begin a refresh request 5 s or more into the run creates the marker and halts its JVM
 * ({@code Runtime.halt}) on the thread that would send it: it dies holding the lease, its refresh begun and no
 * request sent yet. The
 * client secret comes in {@code FLEET_CLIENT_SECRET}, the Vault token in {@code FLEET_VAULT_TOKEN}.
 *
 * <p>Once built, it prints {@code ready} and waits for {@code go} on its standard input, so that start-up is not
 * part of the run. At the end it prints one line, {@code served N failed M leases L takeovers T refreshes R waited W maxWaitMs X}: the callers
 * served and not, the leases taken (of them taken over), the refreshes its listener was told of, and the calls of
 * {@code token()} that took over 20 ms (a wait for a refresh, its own or another process's) and the longest.
 */
public final class FleetMember {

    private static final long WAITED_NANOS = Duration.ofMillis(20).toNanos();

    private FleetMember() {
    }

    /**
     * Runs the member.
     *
     * @param args see the class description
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String store = args[0];
        URI storeAddress = URI.create(args[1]);
        CredentialRef record = CredentialRef.parse(args[2]);
        URI tokenEndpoint = URI.create(args[3]);
        String clientId = args[4];
        long runMillis = Long.parseLong(args[5]);
        int threads = Integer.parseInt(args[6]);
        Path marker = args[7].equals("-") ? null : Path.of(args[7]);

        AtomicLong haltFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger leases = new AtomicInteger();
        AtomicInteger takeovers = new AtomicInteger();
        AtomicInteger refreshes = new AtomicInteger();
        CredentialSource source = store.equals("aws-sm") ? Moto.source(storeAddress)
                : VaultDouble.source(storeAddress, Secret.of(System.getenv("FLEET_VAULT_TOKEN")));
        CredentialVault vault = CredentialVault.builder().source(source).discoverSources(false).build();
        OAuthClient client = OAuthClient.builder()
                .tokenEndpoint(tokenEndpoint)
                .clientId(clientId)
                .clientSecret(Secret.of(System.getenv("FLEET_CLIENT_SECRET")))
                .clientAuthentication(ClientAuthentication.CLIENT_SECRET_BASIC)
                .connectTimeout(Duration.ofSeconds(3))
                // Long enough for the loaded test machine: a request that times out after the server
                // rotated loses that rotation (README, Running several replicas), and the server revokes.
                .requestTimeout(Duration.ofSeconds(10))
                .allowInsecureLoopback(true)
                .build();
        TokenManager manager = TokenManager.builder()
                .client(client)
                // The refresh_token grant, as the manager sends it by default; with a marker, the halting member
                // dies here, on the thread that would send the request: holding the lease, before the request.
                // (Not in a listener: listeners run on another thread, which may halt after the server rotated.)
                .tokenSource(request -> {
                    if (marker != null && System.nanoTime() > haltFrom.get() && claim(marker)) {
                        out.println("halting");
                        Runtime.getRuntime().halt(137);
                    }
                    return client.refresh(request.refreshToken().orElseThrow(), request.scopes());
                })
                .tokenRecord(vault, record)
                .leaseTtl(Duration.ofSeconds(12))
                .addListener(new TokenListener() {
                    @Override
                    public void leaseTaken(String name, CredentialRef ref, Instant until, boolean takenOver) {
                        leases.incrementAndGet();
                        if (takenOver) {
                            takeovers.incrementAndGet();
                        }
                    }

                    @Override
                    public void refreshStarted(String name, boolean tokenStillServed) {
                        refreshes.incrementAndGet();
                    }
                })
                .build();
        // Start-up (class loading, the store's client) is not part of the run: read the record once, say so, and
        // wait for the test's go, which it gives all members at once.
        vault.read(record);
        out.println("ready");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            if (!"go".equals(in.readLine())) {
                throw new IllegalStateException("no go from the test");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicLong served = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong waited = new AtomicLong();
        AtomicLong maxWait = new AtomicLong();
        haltFrom.set(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        long end = System.nanoTime() + Duration.ofMillis(runMillis).toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        manager.token();
                        served.incrementAndGet();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        System.err.println("fleet member: " + e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                    long took = System.nanoTime() - start;
                    if (took > WAITED_NANOS) {
                        waited.incrementAndGet();
                    }
                    maxWait.accumulateAndGet(took, Math::max);
                    // A caller's pace, not a wait for time to pass: eight JVMs share two cores.
                    LockSupport.parkNanos(5_000_000);
                }
            }, "caller-" + i);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        manager.close();
        vault.close();
        out.println("served " + served.get() + " failed " + failed.get() + " leases " + leases.get()
                + " takeovers " + takeovers.get() + " refreshes " + refreshes.get() + " waited " + waited.get()
                + " maxWaitMs " + Duration.ofNanos(maxWait.get()).toMillis());
    }

    private static boolean claim(Path marker) {
        try {
            Files.createFile(marker);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
