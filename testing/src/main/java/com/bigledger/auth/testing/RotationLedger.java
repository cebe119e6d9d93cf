package com.bigledger.auth.testing;

import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The state and the rules behind a {@link FakeTokenEndpoint.RotatingIssuer}: the client it accepts, the tokens it
 * issued, the refresh tokens still live, and the answer to each grant.
 *
 * <p>Thread-safe: requests are served concurrently.
 */
final class RotationLedger {

    private final String clientId;
    private final String clientSecret;
    private final long expiresIn;
    private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
    private final List<String> accessTokens = new CopyOnWriteArrayList<>();
    private final List<String> refreshTokens = new CopyOnWriteArrayList<>();

    RotationLedger(String clientId, String clientSecret, long expiresIn) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.expiresIn = expiresIn;
    }

    String issueRefreshToken() {
        String token = Canary.value("blg_oauth_rt_");
        liveRefreshTokens.add(token);
        refreshTokens.add(token);
        return token;
    }

    List<String> accessTokens() {
        return List.copyOf(accessTokens);
    }

    List<String> refreshTokens() {
        return List.copyOf(refreshTokens);
    }

    boolean isLive(String refreshToken) {
        return liveRefreshTokens.contains(refreshToken);
    }

    /** Checks the client, then answers {@code client_credentials} and {@code refresh_token}, rotating the latter. */
    Response answer(RecordedRequest request) {
        Map<String, String> params = request.params();
        List<String> credentials = request.basicCredentials()
                .orElse(Arrays.asList(params.get("client_id"), params.get("client_secret")));
        if (!clientId.equals(credentials.get(0)) || !clientSecret.equals(credentials.get(1))) {
            return Response.oauthError(401, "invalid_client", "Client authentication failed");
        }
        String grant = String.valueOf(params.get("grant_type"));
        if (grant.equals("client_credentials")) {
            return Response.token(issueAccessToken(), expiresIn);
        }
        if (!grant.equals("refresh_token")) {
            return Response.oauthError(400, "unsupported_grant_type", null);
        }
        String presented = params.get("refresh_token");
        if (presented == null || !liveRefreshTokens.remove(presented)) {
            return Response.oauthError(400, "invalid_grant", "The refresh token is invalid or was already used");
        }
        return Response.token(issueAccessToken(), expiresIn, issueRefreshToken());
    }

    private String issueAccessToken() {
        String token = Canary.value("blg_oauth_at_");
        accessTokens.add(token);
        return token;
    }
}
