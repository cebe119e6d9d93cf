package com.bigledger.auth.cli;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.BigLedgerAuthException;
import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.CredentialVault;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenListener;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.bigledger.BigLedgerAuth;
import com.bigledger.auth.bigledger.BigLedgerHttpClient;
import com.bigledger.auth.bigledger.BigLedgerOAuth;
import com.bigledger.auth.store.file.FileCredentialSource;
import com.bigledger.auth.testing.Canary;
import com.bigledger.auth.testing.FakeBigLedgerApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One run of {@code bigledger-auth demo}: the BigLedger API double, a temporary encrypted file store holding the
 * refresh token, and the library's {@link TokenManager}, {@link BigLedgerAuth} and {@link BigLedgerHttpClient}
 * against them, in three steps whose outcome is checked, not only shown.
 *
 * <p>Every value is a generated fake ({@link Canary}), shown as {@link Secret#toString()} shows it: the known prefix
 * at most. The store's folder and key file are readable by their owner only and deleted at exit, also on Ctrl-C.
 * Not thread-safe; one per run.
 */
final class Demo {

    /** The lifetime of the access tokens of step 1: short, so that several pass in a few seconds. */
    static final Duration SHORT_LIFETIME = Duration.ofSeconds(2);
    /** How long step 1 keeps a token fresh: three lifetimes. */
    static final Duration FRESH_FOR = SHORT_LIFETIME.multipliedBy(3);
    /** The lifetime of the tokens of steps 2 and 3, long enough that no refresh-ahead falls into them. */
    static final Duration STEP_LIFETIME = Duration.ofSeconds(30);
    static final int THREADS = 50;

    private static final Duration CALL_EVERY = Duration.ofMillis(200);
    private static final String COMPANY = "company_demo";
    private static final String CLIENT_ID = "bigledger-auth-demo";
    private static final URI REDIRECT = URI.create("http://127.0.0.1/callback");
    private static final CredentialRef REFRESH_TOKEN = CredentialRef.parse("file:demo-refresh-token");

    private final Display display;
    private final PrintWriter err;
    private final AtomicInteger refreshes = new AtomicInteger();
    private final AtomicInteger writeBacks = new AtomicInteger();
    private final AtomicInteger writeBackFailures = new AtomicInteger();

    Demo(PrintWriter out, PrintWriter err, boolean terminal) {
        this.display = new Display(out, terminal);
        this.err = err;
    }

    /**
     * Runs the three steps.
     *
     * @return {@link ExitCodes#OK} if each did what it shows, else {@link ExitCodes#ERROR}
     */
    int run() {
        long started = System.nanoTime();
        Path folder;
        try {
            folder = privateFolder();
        } catch (IOException e) {
            err.println("bigledger-auth demo: cannot create a temporary folder: " + Messages.oneLine(e.getMessage()));
            return ExitCodes.ERROR;
        }
        Thread cleanup = new Thread(() -> deleteTree(folder), "bigledger-auth-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try (FakeBigLedgerApi api = FakeBigLedgerApi.start()) {
            List<String> failures = steps(api, folder);
            display.line("");
            display.line("Counts: " + api.requests("/oauth/token").size() + " token requests (refresh_token grant), "
                    + api.requests("/v1/accounts").size() + " API requests, " + refreshes.get()
                    + " refreshes, " + writeBacks.get() + " rotated refresh tokens written to the file store");
            if (!failures.isEmpty()) {
                failures.forEach(f -> err.println("bigledger-auth demo: " + f));
                return ExitCodes.ERROR;
            }
            display.line(String.format("No secret was printed: every key and token above is a generated fake, "
                    + "shown redacted. Done in %.1f s.", (System.nanoTime() - started) / 1e9));
            display.line("Next, for a real configuration: bigledger-auth doctor");
            return ExitCodes.OK;
        } catch (BigLedgerAuthException | UncheckedIOException e) {
            display.end();
            err.println("bigledger-auth demo: " + e.getClass().getSimpleName() + ": "
                    + Messages.oneLine(e.getMessage()));
            return ExitCodes.ERROR;
        } finally {
            deleteTree(folder);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or has run: the folder goes either way.
            }
        }
    }

    private List<String> steps(FakeBigLedgerApi api, Path folder) {
        List<String> failures = new ArrayList<>();
        String clientSecret = Canary.value("demo_cs_");
        api.company(COMPANY, "Demo Company", "professional").client(CLIENT_ID, clientSecret, REDIRECT)
                .accessTokenLifetime(SHORT_LIFETIME);
        try (FileCredentialSource file = FileCredentialSource.builder().environment(Map.of())
                     .file(folder.resolve("demo.blgv")).keyFile(keyFile(folder)).build();
             CredentialVault vault = CredentialVault.builder().discoverSources(false).source(file).build()) {
            vault.write(REFRESH_TOKEN, Secret.of(api.issueRefreshToken(COMPANY, "read:accounts")), Optional.empty());
            display.line("bigledger-auth demo: the library against a BigLedger API double at "
                    + api.baseUrl() + "; nothing leaves this process.");
            display.line("The refresh token is kept in a temporary encrypted file store, " + REFRESH_TOKEN + " in "
                    + file.file() + " (AES-256-GCM), deleted at exit.");
            BigLedgerOAuth oauth = BigLedgerOAuth.builder().authorizationServer(api.authorizationServer())
                    .allowInsecureLoopback(true).clientId(CLIENT_ID).clientSecret(Secret.of(clientSecret))
                    .redirectUri(REDIRECT).userAgent(TokenCommand.userAgent()).build();
            keptFresh(api, oauth, vault, failures);
            api.accessTokenLifetime(STEP_LIFETIME);
            int tokenRequests = api.requests("/oauth/token").size();
            try (TokenManager tokens = tokenManager(oauth, vault, "demo-cold-start");
                 BigLedgerAuth auth = auth(api, tokens)) {
                BigLedgerHttpClient client = BigLedgerHttpClient.create(auth);
                coldStart(api, tokenRequests, client, failures);
                recovers401(api, tokens, client, failures);
            }
            Secret stored = file.load(REFRESH_TOKEN).secret();
            boolean live = api.isLive(stored.reveal());
            display.line("The file store holds the refresh token the server accepts next: " + (live ? "yes" : "NO")
                    + " (" + stored + ")");
            if (!live) {
                failures.add("the refresh token in the file store is not the live one");
            }
        }
        if (writeBackFailures.get() > 0) {
            failures.add(writeBackFailures.get() + " rotated refresh tokens could not be written to the file store");
        }
        return failures;
    }

    /** Step 1: calls every 200 ms for three token lifetimes, each served a valid token. */
    private void keptFresh(FakeBigLedgerApi api, BigLedgerOAuth oauth, CredentialVault vault, List<String> failures) {
        display.line("");
        display.line("1. A token kept fresh: access tokens last " + SHORT_LIFETIME.toSeconds() + " s; a request every "
                + CALL_EVERY.toMillis() + " ms for " + FRESH_FOR.toSeconds() + " s");
        int ok = 0;
        int calls = 0;
        int refreshesBefore = refreshes.get();
        try (TokenManager tokens = tokenManager(oauth, vault, "demo");
             BigLedgerAuth auth = auth(api, tokens)) {
            BigLedgerHttpClient client = BigLedgerHttpClient.create(auth);
            long start = System.nanoTime();
            long end = start + FRESH_FOR.toNanos();
            for (long next = start; next < end; next += CALL_EVERY.toNanos()) {
                // A live demonstration runs in real time: the wait paces the requests, it does not stand in for
                // any condition.
                pause(next - System.nanoTime());
                calls++;
                if (accounts(client) == 200) {
                    ok++;
                }
                AccessToken current = tokens.token();
                display.status(String.format("  %4.1f s of %d s | token #%d %s, expires in %4.1f s | %d of %d "
                                + "requests 200",
                        (System.nanoTime() - start) / 1e9, FRESH_FOR.toSeconds(), refreshes.get(), current.value(),
                        Math.max(0, Duration.between(Instant.now(), current.expiresAt()).toMillis()) / 1e3, ok,
                        calls));
            }
        }
        int made = refreshes.get() - refreshesBefore;
        display.line("   " + ok + " of " + calls + " requests answered 200, with " + made + " access tokens in turn: "
                + "each refreshed in the background before it expired");
        if (ok != calls) {
            failures.add("step 1: " + (calls - ok) + " of " + calls + " requests were not answered 200");
        }
        if (made < FRESH_FOR.dividedBy(SHORT_LIFETIME)) {
            failures.add("step 1: " + made + " access tokens over " + FRESH_FOR.toSeconds() + " s of tokens of "
                    + SHORT_LIFETIME.toSeconds() + " s");
        }
    }

    /** Step 2: a new manager, the refresh token read from the store, 50 requests at once. */
    private void coldStart(FakeBigLedgerApi api, int tokenRequests, BigLedgerHttpClient client,
            List<String> failures) {
        display.line("");
        display.line("2. A cold start: a new token manager reads the refresh token from the file store; "
                + THREADS + " threads send a request at once");
        ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "bigledger-auth-demo-caller");
            t.setDaemon(true);
            return t;
        });
        try {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return accounts(client);
                }));
            }
            ready.await();
            go.countDown();
            int ok = 0;
            for (Future<Integer> answer : answers) {
                if (answer.get(30, TimeUnit.SECONDS) == 200) {
                    ok++;
                }
            }
            int made = api.requests("/oauth/token").size() - tokenRequests;
            display.line("   " + THREADS + " requests at once: " + ok + " answered 200, " + made + " token request"
                    + (made == 1 ? "" : "s"));
            if (ok != THREADS || made != 1) {
                failures.add("step 2: " + ok + " of " + THREADS + " requests answered 200 with " + made
                        + " token requests, where one was expected");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("step 2: interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            failures.add("step 2: a request failed: " + Messages.oneLine(String.valueOf(e.getCause())));
        } finally {
            threads.shutdownNow();
        }
    }

    /** Step 3: the server stops accepting the token in use; the next request recovers with one refresh. */
    private void recovers401(FakeBigLedgerApi api, TokenManager tokens, BigLedgerHttpClient client,
            List<String> failures) {
        display.line("");
        display.line("3. A 401: the server revokes the access token in use (" + tokens.token().value() + ")");
        api.revokeAccessToken(tokens.token().reveal());
        int tokenRequests = api.requests("/oauth/token").size();
        int apiRequests = api.requests("/v1/accounts").size();
        int status = accounts(client);
        int refreshed = api.requests("/oauth/token").size() - tokenRequests;
        int sent = api.requests("/v1/accounts").size() - apiRequests;
        display.line("   GET /v1/accounts: " + sent + " requests sent (401, then retried once), " + refreshed
                + " refresh in between, answer " + status);
        if (status != 200 || refreshed != 1 || sent != 2) {
            failures.add("step 3: answer " + status + " after " + sent + " requests and " + refreshed
                    + " refreshes, where 200 after 2 requests and 1 refresh were expected");
        }
    }

    private TokenManager tokenManager(BigLedgerOAuth oauth, CredentialVault vault, String name) {
        return oauth.tokenManager().refreshToken(vault, REFRESH_TOKEN).name(name).addListener(new TokenListener() {
            @Override
            public void refreshSucceeded(String manager, Duration took, Instant expiresAt, boolean rotated) {
                int n = refreshes.incrementAndGet();
                display.event(String.format("   access token #%d in use, valid for %.1f s (the refresh took %d ms)",
                        n, Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()) / 1e3,
                        took.toMillis()));
            }

            @Override
            public void writeBackSucceeded(String manager, CredentialRef ref, Optional<String> version) {
                writeBacks.incrementAndGet();
                display.event("   new refresh token written to " + ref + version.map(v -> " (version " + v
                        + ")").orElse("") + " before its access token is used");
            }

            @Override
            public void writeBackFailed(String manager, CredentialRef ref, RuntimeException failure,
                    Duration retryIn) {
                writeBackFailures.incrementAndGet();
                display.event("     could not write the rotated refresh token to " + ref + ": "
                        + Messages.oneLine(failure.getMessage()));
            }
        }).build();
    }

    private static BigLedgerAuth auth(FakeBigLedgerApi api, TokenManager tokens) {
        return BigLedgerAuth.builder().tokenManager(tokens).baseUrl(api.baseUrl()).allowInsecureLoopback(true)
                .userAgent(TokenCommand.userAgent()).build();
    }

    /** Sends {@code GET /v1/accounts} and returns the status; the library adds the headers and handles a 401. */
    private static int accounts(BigLedgerHttpClient client) {
        try {
            return client.send(client.newRequest("/accounts").GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A folder only its owner may read, where the file store and its key live. */
    static Path privateFolder() throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createTempDirectory("bigledger-auth-demo",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createTempDirectory("bigledger-auth-demo");
    }

    /** A fresh random 256-bit key, in a file only its owner may read, as the file store requires. */
    static Path keyFile(Path folder) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path keyFile = folder.resolve("demo.key");
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
            Files.write(keyFile, key);
            return keyFile;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Best effort: what remains is in the system's temporary folder, readable by its owner only.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // As above.
        }
    }

    /**
     * The output: lines, and on a terminal one status line kept at the bottom and rewritten in place. Events come
     * from the library's threads, so each write is synchronized. Thread-safe.
     */
    static final class Display {
        private final PrintWriter out;
        private final boolean terminal;
        private boolean statusShown;

        Display(PrintWriter out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        /** Prints a line of the report. */
        synchronized void line(String text) {
            clearStatus();
            out.println(text);
            out.flush();
        }

        /** Prints an event: on a terminal above the status line; in plain output, as a line. */
        synchronized void event(String text) {
            line(text);
        }

        /** Shows the status line: on a terminal only, rewritten in place; plain output has no status line. */
        synchronized void status(String text) {
            if (terminal) {
                out.print("\r\u001b[2K" + text);
                out.flush();
                statusShown = true;
            }
        }

        /** Ends the status line, if one is shown. */
        synchronized void end() {
            clearStatus();
        }

        private void clearStatus() {
            if (statusShown) {
                out.print("\r\u001b[2K");
                statusShown = false;
            }
        }
    }
}
