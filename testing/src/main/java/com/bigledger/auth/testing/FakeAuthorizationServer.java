package com.bigledger.auth.testing;

import static com.bigledger.auth.testing.FakeApiText.encode;
import static com.bigledger.auth.testing.FakeApiText.quote;

import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The authorization server side of the {@link FakeBigLedgerApi}: its registered clients, the authorization codes
 * pending, and the access and refresh tokens it issued, with {@code GET /oauth/authorize} and
 * {@code POST /oauth/token}. The API side asks it which grant an access token carries. Thread-safe.
 */
final class FakeAuthorizationServer {

    private final Map<String, FakeGrant> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> accessTokenDeadlines = new ConcurrentHashMap<>();
    private final Map<String, FakeGrant> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final List<String> issuedAccessTokens = new CopyOnWriteArrayList<>();
    private final List<String> issuedRefreshTokens = new CopyOnWriteArrayList<>();
    private volatile Clock clock = Clock.systemUTC();
    private volatile boolean rotateRefreshTokens = true;
    private volatile long expiresIn = FakeBigLedgerApi.EXPIRES_IN;

    private record Client(String secret, String redirectUri) {
    }

    private record PendingCode(String clientId, String redirectUri, String challenge, FakeGrant grant) {
    }

    void client(String clientId, String clientSecret, String redirectUri) {
        clients.put(clientId, new Client(clientSecret, redirectUri));
    }

    void rotateRefreshTokens(boolean rotate) {
        this.rotateRefreshTokens = rotate;
    }

    void expiresIn(long seconds) {
        this.expiresIn = seconds;
    }

    void clock(Clock clock) {
        this.clock = clock;
    }

    void revokeAccessToken(String accessToken) {
        accessTokens.remove(accessToken);
    }

    boolean isLive(String refreshToken) {
        return refreshTokens.containsKey(refreshToken);
    }

    List<String> accessTokens() {
        return List.copyOf(issuedAccessTokens);
    }

    List<String> refreshTokens() {
        return List.copyOf(issuedRefreshTokens);
    }

    /**
     * The grant of an access token it issued, or {@code null} when it is unknown, revoked or expired on the clock
     * (an expired one is forgotten).
     */
    FakeGrant accessTokenGrant(String accessToken) {
        FakeGrant grant = accessTokens.get(accessToken);
        Instant deadline = accessTokenDeadlines.get(accessToken);
        if (grant != null && deadline != null && !clock.instant().isBefore(deadline)) {
            accessTokens.remove(accessToken);
            return null;
        }
        return grant;
    }

    Response authorize(RecordedRequest request, String consentCompany) {
        // ASSUMPTION: the document shows no error of the authorize endpoint; these are the double's.
        Map<String, String> query = FakeApiText.query(request.query().orElse(""));
        Client client = clients.get(query.getOrDefault("client_id", ""));
        if (client == null) {
            return FakeBigLedgerApi.error(400, "INVALID_CLIENT", "Unknown client_id");
        }
        if (!client.redirectUri().equals(query.get("redirect_uri"))) {
            // Never redirect to an unregistered URI.
            return FakeBigLedgerApi.error(400, "INVALID_REQUEST", "redirect_uri is not registered for this client");
        }
        if (!"code".equals(query.get("response_type")) || !"S256".equals(query.get("code_challenge_method"))
                || query.get("code_challenge") == null || query.get("state") == null) {
            return FakeBigLedgerApi.error(400, "INVALID_REQUEST",
                    "response_type=code, state and an S256 code_challenge are required");
        }
        Set<String> scopes = new LinkedHashSet<>(List.of(query.getOrDefault("scope", "").split(" ")));
        scopes.remove("");
        String code = Canary.value("code_");
        codes.put(code, new PendingCode(query.get("client_id"), client.redirectUri(), query.get("code_challenge"),
                new FakeGrant(consentCompany, scopes)));
        String location = client.redirectUri() + (client.redirectUri().contains("?") ? "&" : "?") + "code="
                + encode(code) + "&state=" + encode(query.get("state"));
        return Response.status(302).header("Location", location);
    }

    Response token(RecordedRequest request) {
        // ASSUMPTION: every error below. The document shows the token endpoint's requests and its success only; the
        // double answers errors with the API's envelope and codes of its own.
        if (!request.header("Content-Type").orElse("").startsWith("application/json")) {
            return FakeBigLedgerApi.error(400, "INVALID_REQUEST", "The token endpoint takes application/json");
        }
        Map<String, String> body;
        try {
            body = request.params();
        } catch (AssertionError e) {
            return FakeBigLedgerApi.error(400, "INVALID_REQUEST", "The body is not a flat JSON object");
        }
        Client client = clients.get(body.getOrDefault("client_id", ""));
        if (client == null || !client.secret().equals(body.get("client_secret"))) {
            return FakeBigLedgerApi.error(401, "UNAUTHORIZED", "Invalid client credentials");
        }
        String grantType = body.getOrDefault("grant_type", "");
        if (grantType.equals("authorization_code")) {
            PendingCode pending = codes.remove(body.getOrDefault("code", ""));
            if (pending == null || !pending.clientId().equals(body.get("client_id"))
                    || !pending.redirectUri().equals(body.get("redirect_uri"))
                    || !pending.challenge().equals(FakeApiText.s256(body.getOrDefault("code_verifier", "")))) {
                return FakeBigLedgerApi.error(400, "INVALID_GRANT",
                        "The authorization code, redirect_uri or code_verifier is invalid");
            }
            return tokens(pending.grant(), true);
        }
        if (grantType.equals("refresh_token")) {
            // ASSUMPTION: the document shows the refresh request, not its answer: whether the refresh token rotates
            // is rotateRefreshTokens; the rest of the answer is the code exchange's.
            String presented = body.getOrDefault("refresh_token", "");
            FakeGrant grant = rotateRefreshTokens ? refreshTokens.remove(presented) : refreshTokens.get(presented);
            if (grant == null) {
                return FakeBigLedgerApi.error(400, "INVALID_GRANT", "The refresh token is invalid or was already used");
            }
            return tokens(grant, rotateRefreshTokens);
        }
        return FakeBigLedgerApi.error(400, "UNSUPPORTED_GRANT_TYPE",
                "grant_type must be authorization_code or refresh_token");
    }

    private Response tokens(FakeGrant grant, boolean withRefreshToken) {
        String accessToken = Canary.value("blg_oauth_at_");
        long lifetime = expiresIn;
        accessTokenDeadlines.put(accessToken, clock.instant().plusSeconds(lifetime));
        accessTokens.put(accessToken, grant);
        issuedAccessTokens.add(accessToken);
        String refreshToken = withRefreshToken ? ",\"refresh_token\":" + quote(newRefreshToken(grant)) : "";
        return Response.json(200, "{\"access_token\":" + quote(accessToken) + refreshToken
                + ",\"token_type\":\"Bearer\",\"expires_in\":" + lifetime + ",\"scope\":"
                + quote(String.join(" ", grant.permissions())) + "}");
    }

    /** Issues a refresh token for the grant. */
    String newRefreshToken(FakeGrant grant) {
        String token = Canary.value("blg_oauth_rt_");
        refreshTokens.put(token, grant);
        issuedRefreshTokens.add(token);
        return token;
    }
}
