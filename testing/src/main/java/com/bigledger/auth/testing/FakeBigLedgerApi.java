package com.bigledger.auth.testing;

import static com.bigledger.auth.testing.FakeApiText.quote;

import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An HTTP double of the BigLedger API and its authorization server on 127.0.0.1, behaving as the BigLedger
 * authentication document describes them, and where the document is silent, as marked below.
 *
 * <ul>
 *   <li>{@code GET /oauth/authorize}: the Authorization Code request with PKCE; a valid one is approved at once (the
 *       user consents for the {@linkplain #consentCompany consenting company}) with a 302 to the redirect URI carrying
 *       {@code code} and {@code state}, as the document's steps 1 and 2 show.
 *   <li>{@code POST /oauth/token}: the document's JSON bodies, with {@code client_id} and {@code client_secret} in
 *       every request; {@code authorization_code} (checking the redirect URI and the S256 verifier) and
 *       {@code refresh_token}. The code exchange answers exactly as the document shows: {@code blg_oauth_at_…},
 *       {@code blg_oauth_rt_…}, {@code token_type} Bearer, {@code expires_in} 3600 and {@code scope}.
 *   <li>{@code GET /v1/auth/verify} and {@code GET /v1/accounts}: {@code Authorization: Bearer} with an API key of
 *       this environment's prefix or an access token. A missing, unknown or revoked credential gets 401
 *       {@code UNAUTHORIZED}; with an API key, a request without {@code X-Company-Id} or with an unknown one gets
 *       422 {@code INVALID_COMPANY}; a company the credential may not act for, or {@code /accounts} without
 *       {@code read:accounts}, gets 403 {@code FORBIDDEN}: the document's envelopes, codes and messages.
 * </ul>
 *
 * <p><b>Assumptions.</b> The document does not say the following; the double decides them so that tests can run,
 * and each is marked {@code ASSUMPTION} where it is coded. No test should take them for BigLedger's behaviour:
 * <ul>
 *   <li>the refresh response: by default refresh tokens {@linkplain #rotateRefreshTokens rotate} (a new one in each
 *       response, the old one refused afterwards); with {@code rotateRefreshTokens(false)} the response has no
 *       {@code refresh_token} and the old one stays valid. The document shows neither;
 *   <li>every error of the token and authorize endpoints: the document shows none, and the double answers with
 *       the API's envelope: 401 {@code UNAUTHORIZED} for an unknown client or a wrong or missing secret (a public
 *       client included), 400 {@code INVALID_GRANT} for a bad or used code or refresh token, 400
 *       {@code UNSUPPORTED_GRANT_TYPE}, 400 {@code INVALID_REQUEST} for a body that is not JSON, 400
 *       {@code INVALID_CLIENT} and {@code INVALID_REQUEST} from {@code /oauth/authorize}. RFC 6749's
 *       {@code {"error":"invalid_grant"}} is as likely; the library reads both;
 *   <li>which of 403 and 422 a company the credential cannot use gets (the document lists "the correct company"
 *       under both): an unknown id is 422, a known one of another customer 403; an access token acts for the
 *       company its user consented for, without {@code X-Company-Id};
 *   <li>the sandbox refuses production keys (401), 404 {@code NOT_FOUND} for other paths, and plain {@code http}
 *       on 127.0.0.1 (the real API is {@code https} only).
 * </ul>
 *
 * <p>Every key and token it issues is a {@link Canary} value, so the leak check looks for them. Every request is
 * recorded; a test may {@linkplain #enqueue script} the next answer for a path instead. Requests are served
 * concurrently, on daemon threads. Thread-safe.
 */
public final class FakeBigLedgerApi implements AutoCloseable {

    /** The lifetime of the access tokens it issues, in seconds: one hour, as the document says. */
    public static final long EXPIRES_IN = 3600;

    private final LoopbackHttp http;
    private final String keyPrefix;
    private final Map<String, Company> companies = new ConcurrentHashMap<>();
    private final Map<String, FakeGrant> apiKeys = new ConcurrentHashMap<>();
    private final FakeAuthorizationServer authorizationServer = new FakeAuthorizationServer();
    private final Map<String, Queue<Response>> scripts = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile String consentCompany;

    private record Company(String id, String name, String plan) {
    }

    private FakeBigLedgerApi(LoopbackHttp http, String keyPrefix) {
        this.http = http;
        this.keyPrefix = keyPrefix;
    }

    /**
     * Starts a double of the production API, which accepts {@code blg_live_sk_} keys only.
     *
     * @return the running double; close it when done
     */
    public static FakeBigLedgerApi start() {
        return start("blg_live_sk_");
    }

    /**
     * Starts a double of the sandbox, which accepts {@code blg_test_sk_} keys only.
     *
     * @return the running double; close it when done
     */
    public static FakeBigLedgerApi startSandbox() {
        return start("blg_test_sk_");
    }

    private static FakeBigLedgerApi start(String keyPrefix) {
        FakeBigLedgerApi api = new FakeBigLedgerApi(new LoopbackHttp("fake-bigledger-api", "fake BigLedger API"),
                keyPrefix);
        api.http.serve(api::handle);
        return api;
    }

    /**
     * Returns the API's base URL, {@code http://127.0.0.1:PORT/v1}.
     *
     * @return the base URL
     */
    public URI baseUrl() {
        return URI.create(http.root() + "/v1");
    }

    /**
     * Returns the authorization server's root, {@code http://127.0.0.1:PORT}, under which {@code /oauth/authorize}
     * and {@code /oauth/token} live.
     *
     * @return the root
     */
    public URI authorizationServer() {
        return URI.create(http.root());
    }

    /**
     * Adds a company; the first one added is the one users consent for in the OAuth flow.
     *
     * @param id the id, such as {@code company_abc123}
     * @param name the name
     * @param plan the plan
     * @return this double
     */
    public FakeBigLedgerApi company(String id, String name, String plan) {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(plan, "plan");
        companies.put(id, new Company(id, name, plan));
        if (consentCompany == null) {
            consentCompany = id;
        }
        return this;
    }

    /**
     * Sets the company users consent for in the OAuth flow. By default, the first company added.
     *
     * @param companyId a company added with {@link #company}
     * @return this double
     */
    public FakeBigLedgerApi consentCompany(String companyId) {
        java.util.Objects.requireNonNull(companyId, "companyId");
        this.consentCompany = Objects.requireNonNull(companyId, "companyId");
        return this;
    }

    /**
     * Issues an API key of this environment's prefix for a company, as the dashboard would.
     *
     * @param companyId the company the key acts for
     * @param permissions the key's permissions, such as {@code read:accounts}
     * @return the key, a {@link Canary} value
     */
    public String issueApiKey(String companyId, String... permissions) {
        java.util.Objects.requireNonNull(companyId, "companyId");
        java.util.Objects.requireNonNull(permissions, "permissions");
        String key = Canary.value(keyPrefix);
        apiKeys.put(key, new FakeGrant(companyId, new LinkedHashSet<>(List.of(permissions))));
        return key;
    }

    /**
     * Revokes an API key: later requests with it get 401.
     *
     * @param key the key
     */
    public void revokeApiKey(String key) {
        java.util.Objects.requireNonNull(key, "key");
        apiKeys.remove(key);
    }

    /**
     * Registers an OAuth client.
     *
     * @param clientId the client id
     * @param clientSecret the client secret
     * @param redirectUri the redirect URI registered for it
     * @return this double
     */
    public FakeBigLedgerApi client(String clientId, String clientSecret, URI redirectUri) {
        java.util.Objects.requireNonNull(clientId, "clientId");
        java.util.Objects.requireNonNull(clientSecret, "clientSecret");
        java.util.Objects.requireNonNull(redirectUri, "redirectUri");
        authorizationServer.client(clientId, clientSecret, redirectUri.toString());
        return this;
    }

    /**
     * Sets whether a refresh answers with a new refresh token and retires the one used. The document does not say
     * (ASSUMPTION either way), so the library must work with both. By default, {@code true}: rotation, the stricter
     * case for a client.
     *
     * @param rotate {@code false} to answer a refresh without a {@code refresh_token}, the one used staying valid
     * @return this double
     */
    public FakeBigLedgerApi rotateRefreshTokens(boolean rotate) {
        authorizationServer.rotateRefreshTokens(rotate);
        return this;
    }

    /**
     * Sets the lifetime of the access tokens issued from now on: their {@code expires_in}, after which (on the
     * {@linkplain #clock(java.time.Clock) clock}) requests with them get 401, as a real server's expired token would.
     * By default, {@link #EXPIRES_IN} seconds, as the document says.
     *
     * @param lifetime whole seconds, one or more
     * @return this double
     * @throws IllegalArgumentException if {@code lifetime} is under a second or not whole seconds
     */
    public FakeBigLedgerApi accessTokenLifetime(java.time.Duration lifetime) {
        java.util.Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.getSeconds() < 1 || lifetime.getNano() != 0) {
            throw new IllegalArgumentException("the access token lifetime must be whole seconds, one or more: "
                    + lifetime);
        }
        authorizationServer.expiresIn(lifetime.getSeconds());
        return this;
    }

    /**
     * Sets the clock that decides when access tokens expire, such as a {@link FakeClock} shared with the code under
     * test. By default, {@link java.time.Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this double
     */
    public FakeBigLedgerApi clock(java.time.Clock clock) {
        java.util.Objects.requireNonNull(clock, "clock");
        authorizationServer.clock(clock);
        return this;
    }

    /**
     * Issues a refresh token out of band, as an earlier authorization would have.
     *
     * @param companyId the company the user consented for
     * @param scopes the scopes granted
     * @return a live refresh token, a {@link Canary} value
     */
    public String issueRefreshToken(String companyId, String... scopes) {
        java.util.Objects.requireNonNull(companyId, "companyId");
        java.util.Objects.requireNonNull(scopes, "scopes");
        return authorizationServer.newRefreshToken(new FakeGrant(companyId, new LinkedHashSet<>(List.of(scopes))));
    }

    /**
     * Revokes an access token, as if it had expired: later requests with it get 401.
     *
     * @param accessToken the token
     */
    public void revokeAccessToken(String accessToken) {
        java.util.Objects.requireNonNull(accessToken, "accessToken");
        authorizationServer.revokeAccessToken(accessToken);
    }

    /**
     * Tells whether a refresh token is still accepted.
     *
     * @param refreshToken the token
     * @return {@code true} if it was issued and not yet used (or used, when refresh tokens do not rotate)
     */
    public boolean isLive(String refreshToken) {
        java.util.Objects.requireNonNull(refreshToken, "refreshToken");
        return authorizationServer.isLive(refreshToken);
    }

    /**
     * Returns every access token issued, oldest first.
     *
     * @return a snapshot
     */
    public List<String> accessTokens() {
        return authorizationServer.accessTokens();
    }

    /**
     * Returns every refresh token issued, oldest first, including those from {@link #issueRefreshToken}.
     *
     * @return a snapshot
     */
    public List<String> refreshTokens() {
        return authorizationServer.refreshTokens();
    }

    /**
     * Scripts the answer to the next request for a path, in place of the documented behaviour; several scripted
     * answers for one path are used in order.
     *
     * @param path the request path, such as {@code /v1/auth/verify}
     * @param response the answer
     * @return this double
     */
    public FakeBigLedgerApi enqueue(String path, Response response) {
        java.util.Objects.requireNonNull(path, "path");
        java.util.Objects.requireNonNull(response, "response");
        scripts.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(Objects.requireNonNull(response));
        return this;
    }

    /**
     * Returns every request received, in order of arrival.
     *
     * @return a snapshot
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Returns the requests received for a path, in order of arrival.
     *
     * @param path the path, such as {@code /oauth/token}
     * @return a snapshot
     */
    public List<RecordedRequest> requests(String path) {
        java.util.Objects.requireNonNull(path, "path");
        return requests.stream().filter(r -> r.path().equals(path)).collect(Collectors.toList());
    }

    /** Stops the server at once. */
    @Override
    public void close() {
        http.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            RecordedRequest request = ScriptedServer.record(exchange);
            requests.add(request);
            Queue<Response> script = scripts.get(request.path());
            Response scripted = script == null ? null : script.poll();
            Response response = scripted != null ? scripted : answer(request);
            response.send(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private Response answer(RecordedRequest request) {
        String route = request.method() + " " + request.path();
        switch (route) {
            case "GET /oauth/authorize":
                return authorizationServer.authorize(request, consentCompany);
            case "POST /oauth/token":
                return authorizationServer.token(request);
            case "GET /v1/auth/verify":
                return verify(request);
            case "GET /v1/accounts":
                return accounts(request);
            default:
                // ASSUMPTION: the document defines no answer for other paths.
                return error(404, "NOT_FOUND", "No such endpoint");
        }
    }

    /** The company and permissions a request may act with, or the error to answer with. */
    private record Caller(Company company, Set<String> permissions, Response error) {
    }

    private Caller authenticate(RecordedRequest request) {
        String authorization = request.header("Authorization").orElse("");
        if (!authorization.startsWith("Bearer ")) {
            return failed(error(401, "UNAUTHORIZED", "Invalid or missing API key"));
        }
        String credential = authorization.substring("Bearer ".length());
        Optional<String> companyHeader = request.header("X-Company-Id");
        FakeGrant grant;
        if (credential.startsWith("blg_oauth_at_")) {
            // Expired on the clock: as the document's 401 for any credential it does not accept.
            grant = authorizationServer.accessTokenGrant(credential);
            if (grant == null) {
                // The document's 401, whose message names the API key whatever the credential.
                return failed(error(401, "UNAUTHORIZED", "Invalid or missing API key"));
            }
        } else {
            // ASSUMPTION: a key of the other environment is refused like an unknown one.
            grant = credential.startsWith(keyPrefix) ? apiKeys.get(credential) : null;
            if (grant == null) {
                return failed(error(401, "UNAUTHORIZED", "Invalid or missing API key"));
            }
            if (companyHeader.isEmpty()) {
                return failed(error(422, "INVALID_COMPANY", "Company ID is required or invalid"));
            }
        }
        // ASSUMPTION: an access token acts for its consented company without X-Company-Id; an unknown company is
        // 422 and another customer's 403 (the document names "the correct company" under both).
        String companyId = companyHeader.orElse(grant.companyId());
        Company company = companies.get(companyId);
        if (company == null) {
            return failed(error(422, "INVALID_COMPANY", "Company ID is required or invalid"));
        }
        if (!companyId.equals(grant.companyId())) {
            return failed(error(403, "FORBIDDEN", "Insufficient permissions for this resource"));
        }
        return new Caller(company, grant.permissions(), null);
    }

    private static Caller failed(Response error) {
        return new Caller(null, null, error);
    }

    private Response verify(RecordedRequest request) {
        Caller caller = authenticate(request);
        if (caller.error() != null) {
            return caller.error();
        }
        Company c = caller.company();
        return Response.json(200, "{\"success\":true,\"data\":{\"authenticated\":true,\"company\":{\"id\":"
                + quote(c.id()) + ",\"name\":" + quote(c.name()) + ",\"plan\":" + quote(c.plan())
                + "},\"permissions\":[" + caller.permissions().stream().map(FakeApiText::quote)
                .collect(Collectors.joining(",")) + "]}}");
    }

    private Response accounts(RecordedRequest request) {
        Caller caller = authenticate(request);
        if (caller.error() != null) {
            return caller.error();
        }
        if (!caller.permissions().contains("read:accounts")) {
            return error(403, "FORBIDDEN", "Insufficient permissions for this resource");
        }
        return Response.json(200, "{\"success\":true,\"data\":[{\"id\":\"acc_1000\",\"name\":\"Cash\"}]}");
    }

    /** An error in the API's envelope. */
    static Response error(int status, String code, String message) {
        return Response.envelopeError(status, code, message);
    }
}
