package com.bigledger.auth.testing;

import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link FakeTokenEndpoint} dispatcher for the extension grants: the JWT bearer grant of RFC 7523 and the token
 * exchange of RFC 8693. It answers each with a new access token ({@link Canary} values, so the leak check looks
 * for them), and any other grant with {@code unsupported_grant_type}.
 *
 * <ul>
 *   <li>JWT bearer: the {@code assertion} must be a JWT signed with RS256 or ES256 (JOSE R||S form) by the private
 *       key of {@link #jwtBearerKey}, not expired by {@link #clock(Clock) the clock}, with the {@code aud} of
 *       {@link #jwtBearerAudience} if one is set, and a {@code jti} not seen before; otherwise HTTP 400
 *       {@code invalid_grant}.
 *   <li>Token exchange: {@code subject_token} and {@code subject_token_type} must be present, and the subject token
 *       one of {@link #acceptSubjectToken} if any is set; otherwise HTTP 400 {@code invalid_request} or
 *       {@code invalid_grant}. The response has {@code issued_token_type} access token.
 * </ul>
 *
 * <pre>{@code
 * ExtensionGrantIssuer issuer = new ExtensionGrantIssuer(3600).jwtBearerKey(keyPair.getPublic());
 * endpoint.dispatcher(issuer);
 * }</pre>
 *
 * <p>Thread-safe: requests are served concurrently. Client authentication is not checked.
 */
public final class ExtensionGrantIssuer implements Function<RecordedRequest, Response> {

    /** The {@code grant_type} of RFC 7523 §2.1. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The {@code grant_type} of RFC 8693 §2.1. */
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
    private static final JsonFactory JSON = new JsonFactory();

    private final long expiresIn;
    private volatile PublicKey jwtBearerKey;
    private volatile String jwtBearerAudience;
    private volatile Clock clock = Clock.systemUTC();
    private final Set<String> acceptedSubjectTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> seenJtis = ConcurrentHashMap.newKeySet();
    private final List<String> accessTokens = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> assertionClaims = new CopyOnWriteArrayList<>();

    /**
     * Creates an issuer.
     *
     * @param expiresIn the {@code expires_in} of every access token, in seconds
     */
    public ExtensionGrantIssuer(long expiresIn) {
        this.expiresIn = expiresIn;
    }

    /**
     * Sets the public key that JWT bearer assertions must be signed for: an RSA key (RS256) or an EC P-256 key
     * (ES256). Without one, every JWT bearer request is refused.
     *
     * @param key the public key
     * @return this issuer
     */
    public ExtensionGrantIssuer jwtBearerKey(PublicKey key) {
        this.jwtBearerKey = Objects.requireNonNull(key, "key");
        return this;
    }

    /**
     * Sets the {@code aud} that JWT bearer assertions must have. By default, any.
     *
     * @param audience the audience
     * @return this issuer
     */
    public ExtensionGrantIssuer jwtBearerAudience(String audience) {
        this.jwtBearerAudience = Objects.requireNonNull(audience, "audience");
        return this;
    }

    /**
     * Sets the clock that an assertion's {@code exp} is checked with. By default, {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this issuer
     */
    public ExtensionGrantIssuer clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Accepts a subject token for token exchange; once one is set, any other is refused with
     * {@code invalid_grant}. By default, any subject token is accepted.
     *
     * @param subjectToken the token
     * @return this issuer
     */
    public ExtensionGrantIssuer acceptSubjectToken(String subjectToken) {
        acceptedSubjectTokens.add(Objects.requireNonNull(subjectToken, "subjectToken"));
        return this;
    }

    /**
     * Returns every access token issued, oldest first.
     *
     * @return a snapshot
     */
    public List<String> accessTokens() {
        return List.copyOf(accessTokens);
    }

    /**
     * Returns the claims of every JWT bearer assertion accepted, oldest first, each as its members' text.
     *
     * @return a snapshot
     */
    public List<Map<String, String>> assertionClaims() {
        return List.copyOf(assertionClaims);
    }

    @Override
    public Response apply(RecordedRequest request) {
        Objects.requireNonNull(request, "request");
        List<String> grant = request.values("grant_type");
        String grantType = grant.size() == 1 ? grant.get(0) : "";
        if (grantType.equals(JWT_BEARER)) {
            return jwtBearer(request);
        }
        if (grantType.equals(TOKEN_EXCHANGE)) {
            return tokenExchange(request);
        }
        return Response.oauthError(400, "unsupported_grant_type", null);
    }

    private Response jwtBearer(RecordedRequest request) {
        List<String> assertion = request.values("assertion");
        if (assertion.size() != 1) {
            return Response.oauthError(400, "invalid_request", "One assertion is needed");
        }
        PublicKey key = jwtBearerKey;
        String[] parts = assertion.get(0).split("\\.", -1);
        if (key == null || parts.length != 3) {
            return Response.oauthError(400, "invalid_grant", "The assertion is not a signed JWT");
        }
        Map<String, String> header;
        Map<String, String> claims;
        try {
            header = members(parts[0]);
            claims = members(parts[1]);
        } catch (IllegalArgumentException e) {
            return Response.oauthError(400, "invalid_grant", "The assertion does not decode");
        }
        if (!verifies(key, header.get("alg"), parts)) {
            return Response.oauthError(400, "invalid_grant", "The assertion's signature does not verify");
        }
        for (String claim : List.of("iss", "sub", "aud", "exp", "jti")) {
            if (!claims.containsKey(claim)) {
                return Response.oauthError(400, "invalid_grant", "The assertion has no " + claim);
            }
        }
        String audience = jwtBearerAudience;
        if (audience != null && !audience.equals(claims.get("aud"))) {
            return Response.oauthError(400, "invalid_grant", "The assertion is for another audience");
        }
        long exp;
        try {
            exp = Long.parseLong(claims.get("exp"));
        } catch (NumberFormatException e) {
            return Response.oauthError(400, "invalid_grant", "The assertion's exp is not a number");
        }
        if (exp <= clock.instant().getEpochSecond()) {
            return Response.oauthError(400, "invalid_grant", "The assertion has expired");
        }
        if (!seenJtis.add(claims.get("jti"))) {
            return Response.oauthError(400, "invalid_grant", "The assertion was used before");
        }
        assertionClaims.add(claims);
        return Response.token(issueAccessToken(), expiresIn);
    }

    private Response tokenExchange(RecordedRequest request) {
        List<String> subject = request.values("subject_token");
        List<String> subjectType = request.values("subject_token_type");
        if (subject.size() != 1 || subjectType.size() != 1) {
            return Response.oauthError(400, "invalid_request", "subject_token and subject_token_type are needed");
        }
        if (request.values("actor_token").size() != request.values("actor_token_type").size()) {
            return Response.oauthError(400, "invalid_request", "actor_token and actor_token_type go together");
        }
        if (!acceptedSubjectTokens.isEmpty() && !acceptedSubjectTokens.contains(subject.get(0))) {
            return Response.oauthError(400, "invalid_grant", "The subject token is not accepted");
        }
        String token = issueAccessToken();
        return Response.json(200, "{\"access_token\":\"" + token + "\",\"issued_token_type\":\"" + ACCESS_TOKEN_TYPE
                + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
    }

    private static boolean verifies(PublicKey key, String alg, String[] parts) {
        String algorithm;
        if ("RS256".equals(alg) && key instanceof RSAPublicKey) {
            algorithm = "SHA256withRSA";
        } else if ("ES256".equals(alg) && key instanceof ECPublicKey) {
            // The JOSE form: R and S, 32 bytes each.
            algorithm = "SHA256withECDSAinP1363Format";
        } else {
            return false;
        }
        try {
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (alg.equals("ES256") && signature.length != 64) {
                return false;
            }
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The members of a flat base64url JSON object, as text. */
    private static Map<String, String> members(String part) {
        Map<String, String> out = new LinkedHashMap<>();
        byte[] json = Base64.getUrlDecoder().decode(part);
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken().isStructStart()) {
                    p.skipChildren();
                    continue;
                }
                out.put(name, p.getText());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        return Collections.unmodifiableMap(out);
    }

    private String issueAccessToken() {
        String token = Canary.value("blg_oauth_at_");
        accessTokens.add(token);
        return token;
    }

    /** Shows the counts only; never a token or an assertion. */
    @Override
    public String toString() {
        return "ExtensionGrantIssuer[accessTokens=" + accessTokens.size() + ", assertions=" + assertionClaims.size()
                + "]";
    }
}
