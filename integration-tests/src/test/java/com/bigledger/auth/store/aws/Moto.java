package com.bigledger.auth.store.aws;

import java.io.IOException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Opens store-aws's {@link MotoServer} (package-private in its test-jar) to the integration tests: one
 * {@code moto_server} on 127.0.0.1 and a free port, stopped by {@link #close()}. Where moto_server is not installed
 * the tests that need it are skipped ({@link #installed()}, {@link #assumeInstalled()}), and under CI they fail.
 */
public final class Moto implements AutoCloseable {

    private final MotoServer server;
    private final SecretsManagerClient client;

    private Moto(MotoServer server) {
        this.server = server;
        this.client = server.client(Region.US_EAST_1);
    }

    /**
     * Tells whether moto_server can be started here, for {@code @BeforeAll} (which must not skip: a class whose
     * {@code @BeforeAll} skips is reported as no tests at all).
     *
     * @return {@code true} if installed, {@code false} if missing outside CI
     * @throws IllegalStateException if missing under CI
     */
    public static boolean installed() {
        return MotoServer.installed();
    }

    /** Skips the current test, with the reason and the install command, where moto_server is missing outside CI. */
    public static void assumeInstalled() {
        MotoServer.assumeInstalled();
    }

    /** Starts a server and waits until it answers. */
    public static Moto start() throws IOException, InterruptedException {
        return new Moto(MotoServer.start());
    }

    /** An SDK client for seeding secrets, region us-east-1. */
    public SecretsManagerClient client() {
        return client;
    }

    /** A new source for this server, region us-east-1; the caller closes it. */
    public AwsSecretsManagerSource source() {
        return server.source().build();
    }

    /** The server's address, {@code http://127.0.0.1:PORT}, for other processes. */
    public java.net.URI endpoint() {
        return server.endpoint();
    }

    /**
     * A new source for the moto_server at {@code endpoint}, region us-east-1, in any process (the fleet members of
     * {@code FleetIT}); the caller closes it.
     */
    public static AwsSecretsManagerSource source(java.net.URI endpoint) {
        return AwsSecretsManagerSource.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS)
                .allowInsecureLoopback(true)
                .build();
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
