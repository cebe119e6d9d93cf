package com.bigledger.auth.benchmarks;

import com.bigledger.auth.Secret;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.testing.FakeTokenEndpoint;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A token endpoint on 127.0.0.1 for the benchmarks: {@link FakeTokenEndpoint} (bigledger-auth-testing) with a
 * computed answer that every subject (this library and the alternatives) reaches through the same
 * {@link OAuthClient}. It can be made slow ({@link #delay}) or failing ({@link #failing}), and counts the token
 * requests it answered.
 *
 * <p>Tokens and the client secret are random values made at run time, prefixed {@code bench}; they are never
 * printed. Thread-safe.
 */
final class TokenServer implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final FakeTokenEndpoint endpoint;
    private final String clientSecret = fakeValue("bench_cs_");
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong refreshInOnce = new AtomicLong();
    private volatile long delayMillis;
    private volatile boolean failing;
    private volatile long expiresInSeconds = 3600;

    private TokenServer(FakeTokenEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Starts an endpoint that answers at once with one-hour tokens. */
    static TokenServer start() {
        TokenServer server = new TokenServer(FakeTokenEndpoint.start());
        server.endpoint.dispatcher(request -> server.respond());
        return server;
    }

    /** A run-time generated fake value; not a real credential of any kind. */
    static String fakeValue(String prefix) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
    }

    /** A new client for this endpoint: loopback HTTP, {@code client_credentials}, the shared JDK HTTP client. */
    OAuthClient client() {
        return OAuthClient.builder()
                .tokenEndpoint(endpoint.uri())
                .clientId("bench-client")
                .clientSecret(Secret.of(clientSecret))
                .allowInsecureLoopback(true)
                .build();
    }

    /** A fetch through a new {@link #client()}: what the alternatives call to refresh. */
    Supplier<TokenResponse> fetch() {
        OAuthClient client = client();
        return () -> client.clientCredentials(Set.of());
    }

    /** How long each answer (success or failure) takes. */
    TokenServer delay(Duration delay) {
        this.delayMillis = delay.toMillis();
        return this;
    }

    /** Makes every answer an HTTP 503 {@code temporarily_unavailable}, or heals the endpoint. */
    TokenServer failing(boolean failing) {
        this.failing = failing;
        return this;
    }

    /** Sets the {@code expires_in} of the tokens issued from now on. */
    TokenServer expiresIn(Duration expiresIn) {
        this.expiresInSeconds = expiresIn.toSeconds();
        return this;
    }

    /** Adds {@code refresh_in} to the next token issued only: that token enters its refresh window early. */
    TokenServer refreshInOnce(Duration refreshIn) {
        this.refreshInOnce.set(refreshIn.toSeconds());
        return this;
    }

    /** Token requests answered or being answered so far. */
    int requests() {
        return requests.get();
    }

    private FakeTokenEndpoint.Response respond() {
        requests.incrementAndGet();
        long delay = delayMillis;
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return FakeTokenEndpoint.Response.oauthError(503, "temporarily_unavailable", "shutting down");
            }
        }
        if (failing) {
            return FakeTokenEndpoint.Response.oauthError(503, "temporarily_unavailable", "outage (benchmark)");
        }
        long refreshIn = refreshInOnce.getAndSet(0);
        String body = "{\"access_token\":\"" + fakeValue("blg_oauth_at_bench_") + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":" + expiresInSeconds + (refreshIn > 0 ? ",\"refresh_in\":" + refreshIn : "") + "}";
        return FakeTokenEndpoint.Response.json(200, body);
    }

    @Override
    public void close() {
        endpoint.close();
    }
}
