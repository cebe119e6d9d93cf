package com.bigledger.auth.store.aws;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstanceFactoryContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A {@code moto_server} process, an emulator of AWS Secrets Manager, on 127.0.0.1 and a free port, for the
 * {@code *IT} tests of this module. Each test class starts one in {@code @BeforeAll} and closes it in
 * {@code @AfterAll}; the process is stopped by its handle and waited for, never left running.
 *
 * <p>{@code moto_server} is found on the {@code PATH}, or at the path in the {@code moto.server} system property
 * or the {@code MOTO_SERVER} environment variable. Where it is missing each test that needs it is reported as
 * skipped, with the reason and the command that installs it, except under CI ({@code CI} set and not
 * {@code false}), where that is a failure: a class starts it in {@code @BeforeAll} only if {@link #installed()},
 * and is extended with {@link Required}, which skips each of its tests (so every one is counted) rather than the
 * class (a class whose {@code @BeforeAll} skips is reported as no tests at all). Its output goes to a file under {@code target/}, never to
 * the test's own output.
 */
final class MotoServer implements AutoCloseable {

    /** Dummy credentials: moto accepts any, but routes a request to Secrets Manager only when it is signed. */
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    /** Why the tests that need moto_server are skipped, where it is not installed. */
    static final String MISSING = "moto_server is not installed (looked on the PATH, in -Dmoto.server and in"
            + " MOTO_SERVER); install it with: pip install 'moto[server]'";

    private final Process process;
    private final URI endpoint;
    private final Path log;

    private MotoServer(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /**
     * Starts a server and waits until it answers.
     *
     * @return the running server
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    static MotoServer start() throws IOException, InterruptedException {
        String executable = executable();
        IOException last = null;
        // A free port can be taken by another process between the check and moto's bind: try a few.
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path log = Files.createDirectories(Path.of("target", "moto")).resolve("moto-" + port + ".log");
            Process process = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            MotoServer server = new MotoServer(process, endpoint, log);
            try {
                server.awaitReady();
                return server;
            } catch (IOException e) {
                server.close();
                last = e;
            }
        }
        throw last;
    }

    /**
     * Tells whether {@code moto_server} can be started here; for {@code @BeforeAll}, which must not skip.
     *
     * @return {@code true} if it is installed, {@code false} if it is missing outside CI
     * @throws IllegalStateException if it is missing under CI
     */
    static boolean installed() {
        return find().isPresent();
    }

    /**
     * Skips the current test, naming the reason and the install command, where {@code moto_server} is missing
     * outside CI; for a test of which only some cases need it (a parameter, say).
     *
     * @throws IllegalStateException if it is missing under CI
     */
    static void assumeInstalled() {
        if (find().isEmpty()) {
            announceSkip();
            abort(MISSING);
        }
    }

    /**
     * Says once per test JVM, on the build's console, why tests are skipped: a test's own output goes to a report
     * file (surefire's {@code redirectTestOutputToFile}), but the JVM's native standard error reaches the console.
     */
    private static void announceSkip() {
        if (ANNOUNCED.compareAndSet(false, true)) {
            PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
                    StandardCharsets.UTF_8);
            console.println("[WARNING] Skipping the tests that need moto_server: " + MISSING);
        }
    }

    /**
     * Skips each test of the class it extends (not the class, so each is counted) where {@code moto_server} is
     * missing outside CI, giving the reason and the install command; under CI the tests fail instead. It acts
     * before the test instance is made, as field initialisers of the tests may use the server.
     */
    static final class Required implements TestInstancePreConstructCallback {

        @Override
        public void preConstructTestInstance(TestInstanceFactoryContext factoryContext, ExtensionContext context) {
            assumeInstalled();
        }
    }

    /**
     * Returns the endpoint to send requests to.
     *
     * @return {@code http://127.0.0.1:PORT}
     */
    URI endpoint() {
        return endpoint;
    }

    /**
     * Builds an SDK client for this server with dummy credentials, for seeding and inspecting secrets.
     *
     * @param region the region (moto keeps regions apart)
     * @return a new client; the caller closes it
     */
    SecretsManagerClient client(Region region) {
        return SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(CREDENTIALS)
                .build();
    }

    /**
     * Builds a source for this server with dummy credentials and region us-east-1.
     *
     * @return a builder with the endpoint, region and credentials set
     */
    AwsSecretsManagerSource.Builder source() {
        return AwsSecretsManagerSource.builder()
                .endpointOverride(endpoint)
                .allowInsecureLoopback(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS);
    }

    /** Stops the process (SIGTERM, then SIGKILL if it lingers) and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("moto_server exited with code " + process.exitValue() + " before it answered;"
                        + " its output is in " + log.toAbsolutePath());
            }
            if (answers()) {
                return;
            }
            // Waits for the process to exit, at most a moment: the pause between two polls of the port.
            process.waitFor(50, TimeUnit.MILLISECONDS);
        }
        throw new IOException("moto_server did not answer at " + endpoint + " within " + START_TIMEOUT
                + "; its output is in " + log.toAbsolutePath());
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) endpoint.resolve("/moto-api/").toURL()
                    .openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(5000);
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String executable() {
        Optional<String> executable = find();
        if (executable.isEmpty()) {
            abort(MISSING);
        }
        return executable.get();
    }

    /** The executable, or empty where it is missing outside CI; under CI a missing one is a failure. */
    private static Optional<String> find() {
        Optional<String> configured = Optional.ofNullable(System.getProperty("moto.server"))
                .or(() -> Optional.ofNullable(System.getenv("MOTO_SERVER")));
        if (configured.isPresent()) {
            return configured;
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "moto_server"))) {
                return Optional.of(Path.of(directory, "moto_server").toString());
            }
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
            throw new IllegalStateException(MISSING + ". Under CI this is a failure, not a skip.");
        }
        return Optional.empty();
    }
}
