package com.bigledger.auth.store.aws;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * or the {@code MOTO_SERVER} environment variable. Where it is missing the tests are skipped, except under CI
 * ({@code CI} set and not {@code false}), where that is a failure. Its output goes to a file under
 * {@code target/}, never to the test's own output.
 */
final class MotoServer implements AutoCloseable {

    /** Dummy credentials: moto accepts any, but routes a request to Secrets Manager only when it is signed. */
    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

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
        Optional<String> configured = Optional.ofNullable(System.getProperty("moto.server"))
                .or(() -> Optional.ofNullable(System.getenv("MOTO_SERVER")));
        if (configured.isPresent()) {
            return configured.get();
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "moto_server"))) {
                return Path.of(directory, "moto_server").toString();
            }
        }
        String ci = System.getenv("CI");
        String problem = "moto_server is not installed (looked on the PATH, in -Dmoto.server and in MOTO_SERVER); "
                + "install it with: pip install 'moto[server]'";
        if (ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false")) {
            throw new IllegalStateException(problem + ". Under CI this is a failure, not a skip.");
        }
        abort(problem);
        throw new AssertionError("unreachable");
    }
}
