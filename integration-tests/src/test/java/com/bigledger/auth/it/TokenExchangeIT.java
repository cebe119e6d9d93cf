package com.bigledger.auth.it;

import static com.bigledger.auth.testing.LeakAssertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThat;

import com.bigledger.auth.AccessToken;
import com.bigledger.auth.ReauthenticationRequiredException;
import com.bigledger.auth.Secret;
import com.bigledger.auth.TokenManager;
import com.bigledger.auth.TokenRefreshException;
import com.bigledger.auth.oauth.OAuthClient;
import com.bigledger.auth.oauth.TokenExchangeGrant;
import com.bigledger.auth.oauth.TokenResponse;
import com.bigledger.auth.oauth.TokenSource;
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
 * The token exchange grant (RFC 8693) on a {@link TokenManager} against Spring Authorization Server, on the real
 * clock: {@code exchange-client} exchanges the access token of another manager (a user's, on {@code tm-client}'s
 * rotated refresh token) for its own, whose access tokens live 3 s, so a run sees several exchanges ahead of
 * expiry.
 *
 * <p>The JWT bearer grant (RFC 7523) is not covered here: Spring Authorization Server does not offer it as a
 * grant. {@code JwtBearerGrantTest} covers it against {@code FakeTokenEndpoint}, whose
 * {@code ExtensionGrantIssuer} verifies each assertion's signature.
 */
class TokenExchangeIT {

    /** Distinct exchanged tokens to see before stopping: each one is a refresh ahead of expiry. */
    private static final int TOKENS = 4;
    /** A bound on the run, never reached when the manager works: about one token in 1.5 s is expected. */
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String ISSUED_TOKEN_TYPE = TokenExchangeGrant.ACCESS_TOKEN_TYPE;

    private static AuthServer server;

    @BeforeAll
    static void startServer() {
        server = AuthServer.shared();
    }

    /**
     * The subject: a user's token, kept fresh by a manager on {@code tm-client}'s refresh token. The server
     * exchanges only a token with a user behind it (a client-credentials token has no principal to act for).
     */
    private static TokenManager upstream() throws Exception {
        OAuthClient client = server.client("tm-client").build();
        Secret refresh = Browser.logIn(server, client, "tm-client").refreshToken().orElseThrow();
        return TokenManager.builder().client(client).refreshToken(refresh).build();
    }

    @Test
    void anotherManagersTokenIsExchangedAheadOfExpiryAgainAndAgain() throws Exception {
        Events events = new Events();
        Set<Secret> seen = new HashSet<>();
        List<Instant> lateHandOuts = new ArrayList<>();
        try (TokenManager upstream = upstream();
                TokenManager downstream = TokenManager.builder()
                        .tokenSource(TokenExchangeGrant.builder()
                                .client(server.client("exchange-client").build())
                                .subjectToken(upstream.asSecretSupplier(), TokenExchangeGrant.ACCESS_TOKEN_TYPE)
                                .requestedTokenType(ISSUED_TOKEN_TYPE)
                                .build())
                        .addListener(events)
                        .build()) {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (seen.size() < TOKENS && System.nanoTime() < deadline) {
                AccessToken token = downstream.token();
                Instant handedOut = Instant.now();
                Canary.remember(token.reveal());
                if (!handedOut.isBefore(Jwts.expiry(token.value()))) {
                    lateHandOuts.add(handedOut);
                }
                if (seen.add(token.value())) {
                    assertThat(token.value()).isNotEqualTo(upstream.token().value());
                }
                // Paces the loop with a real request, as a caller's use of the token would.
                server.isActive(upstream.token().value());
            }
            assertThat(downstream.tokenEndpoint()).isEqualTo(server.tokenEndpoint());
        }
        assertThat(seen).as("distinct exchanged tokens within " + BOUND).hasSize(TOKENS);
        assertThat(lateHandOuts).as("tokens handed out at or after the server's exp").isEmpty();
        assertThat(events.succeeded.get()).as("exchanges").isGreaterThanOrEqualTo(TOKENS);
        // The upstream serves its token while it refreshes it, and the server retires it as soon as it issues the
        // next one: an exchange in that moment is refused (invalid_grant) and retried with the next token. Never a
        // call to re-authenticate.
        assertThat(events.reauthentications).isEmpty();
    }

    @Test
    void theServersAnswerWithItsIssuedTokenTypeIsAccepted() throws Exception {
        try (TokenManager upstream = upstream()) {
            TokenExchangeGrant grant = TokenExchangeGrant.builder()
                    .client(server.client("exchange-client").build())
                    .subjectToken(upstream.asSecretSupplier(), TokenExchangeGrant.ACCESS_TOKEN_TYPE)
                    .build();

            TokenResponse response = grant.fetch(TokenSource.Request.of(null, null, Set.of("api.read")));

            Canary.remember(response.accessToken().reveal());
            assertThat(response.scopes()).containsExactly("api.read");
            assertThat(response.refreshToken()).isEmpty();
            assertThat(response.expiresIn()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void aSubjectTokenTheServerNeverIssuedIsARetryableInvalidGrant() {
        TokenExchangeGrant grant = TokenExchangeGrant.builder()
                .client(server.client("exchange-client").build())
                .subjectToken(() -> Canary.secret("not_issued_"), TokenExchangeGrant.ACCESS_TOKEN_TYPE)
                .build();

        TokenRefreshException refused = catchThrowableOfType(TokenRefreshException.class,
                () -> grant.fetch(TokenSource.Request.of(null, null, Set.of())));

        assertThat(refused).isNotInstanceOf(ReauthenticationRequiredException.class);
        assertThat(refused.retryable()).isTrue();
        assertThat(refused.errorCode()).contains("invalid_grant");
        assertThat(refused.httpStatus()).hasValue(400);
    }
}
