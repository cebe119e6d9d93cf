package com.bigledger.auth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.testing.Canary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client-credentials grant through {@link TokenManager} against Spring Authorization Server, on the real clock:
 * the server's access tokens live 2 s, so a run of a few seconds sees many refreshes ahead of expiry.
 */
class ClientCredentialsIT {

    /** Distinct tokens to see before stopping: each one is a refresh ahead of expiry. */
    private static final int TOKENS = 8;
    /** A bound on the run, never reached when the manager works: about one token a second is expected. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static AuthServer server;

    @BeforeAll
    static void startServer() {
        server = AuthServer.shared();
    }

    @Test
    void everyCallerGetsATokenTheServerStillAcceptsAcrossManyRefreshes() {
        Events events = new Events();
        List<Instant> lateHandOuts = new ArrayList<>();
        Set<Secret> seen = new HashSet<>();
        int inactive = 0;
        int calls = 0;
        try (TokenManager manager = TokenManager.builder()
                .client(server.client("cc-client").build())
                .clientCredentials()
                .scopes(Set.of("api.read"))
                .addListener(events)
                .build()) {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (seen.size() < TOKENS && System.nanoTime() < deadline) {
                AccessToken token = manager.token();
                Instant handedOut = Instant.now();
                calls++;
                Canary.remember(token.reveal());
                if (!handedOut.isBefore(Jwts.expiry(token.value()))) {
                    lateHandOuts.add(handedOut);
                }
                if (seen.add(token.value())) {
                    // First sight of a token: the server must accept it (introspection says active).
                    if (!server.isActive(token.value())) {
                        inactive++;
                    }
                } else {
                    // A caller's use of the token between two calls: paces the loop with a real request.
                    server.isActive(token.value());
                }
            }
        }
        assertThat(seen).as("distinct tokens within " + BOUND).hasSize(TOKENS);
        assertThat(lateHandOuts).as("tokens handed out at or after the server's exp").isEmpty();
        assertThat(inactive).as("fresh tokens the server did not accept").isZero();
        assertThat(events.succeeded.get()).as("refreshes").isGreaterThanOrEqualTo(TOKENS);
        assertThat(events.failed.get()).isZero();
        assertThat(calls).isGreaterThan(TOKENS);
    }

    @Test
    void manyThreadsShareOneTokenRequestAtATime() throws Exception {
        Events events = new Events();
        try (TokenManager manager = TokenManager.builder()
                .client(server.client("cc-client").build())
                .clientCredentials()
                .addListener(events)
                .build()) {
            int threads = 16;
            List<Thread> callers = new ArrayList<>();
            Set<Secret> tokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> tokens.add(Secret.of(Canary.remember(manager.bearerToken()))));
                callers.add(t);
                t.start();
            }
            for (Thread t : callers) {
                t.join(Duration.ofSeconds(30).toMillis());
            }
            assertThat(tokens).hasSize(1);
        }
        // Read after close: the listeners are told on a worker, and have heard of everything once close returns.
        assertThat(events.started.get()).isEqualTo(1);
    }

    @Test
    void aWrongClientSecretIsAPermanentRefusalWithAReauthenticationEvent() throws InterruptedException {
        Events events = new Events();
        try (TokenManager manager = TokenManager.builder()
                .client(server.client("cc-client", server.tokenEndpoint(), Canary.secret("")).build())
                .clientCredentials()
                .addListener(events)
                .build()) {
            ReauthenticationRequiredException refused = catchThrowableOfType(ReauthenticationRequiredException.class,
                    manager::token);
            assertThat(refused).isNotNull();
            assertThat(refused.errorCode()).contains("invalid_client");
            assertThat(refused.httpStatus()).hasValue(401);
            assertThat(refused.retryable()).isFalse();
            assertThat(events.awaitReauthentication()).as("re-authentication event").isTrue();
            assertThat(events.reauthentications).hasSize(1);
            assertThat(events.reauthentications.get(0).errorCode()).contains("invalid_client");
            assertThat(events.retries).as("no retry of a refusal").isEmpty();
            assertThat(events.started.get()).as("one request").isEqualTo(1);
            assertThat(manager.state()).isEqualTo(TokenManager.State.REAUTHENTICATION_REQUIRED);
        }
    }
}
