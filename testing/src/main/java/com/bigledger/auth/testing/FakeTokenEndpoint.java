package com.bigledger.auth.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * A token endpoint over real HTTP on 127.0.0.1, for tests: it records every request and answers with scripted
 * responses, in the manner of OkHttp's {@code MockWebServer}.
 *
 * <pre>{@code
 * try (FakeTokenEndpoint endpoint = FakeTokenEndpoint.start()) {
 *     endpoint.enqueue(FakeTokenEndpoint.Response.token(accessToken, 3600));
 *     OAuthClient client = OAuthClient.builder().tokenEndpoint(endpoint.uri()).allowInsecureLoopback(true)...;
 *     client.clientCredentials(Set.of());
 *     FakeTokenEndpoint.RecordedRequest request = endpoint.takeRequest();
 *     assertThat(request.params()).containsEntry("grant_type", "client_credentials");
 * }
 * }</pre>
 *
 * <p>Each request is answered with the next enqueued {@link Response}; when none is left, with the
 * {@link #dispatcher(Function) dispatcher}'s answer; without one, with HTTP 500 {@code server_error} "nothing
 * scripted", so that a test that sends too many requests fails visibly. Requests are recorded before they are
 * answered, so a test can see a request whose response is held back ({@link Response#holdUntil}). Requests are served
 * concurrently, on daemon threads.
 *
 * <p>Thread-safe: tests may enqueue and inspect from any thread while requests are served.
 */
public final class FakeTokenEndpoint implements AutoCloseable {

    /** The path the endpoint serves; any other path gets HTTP 404 (and is recorded too). */
    public static final String PATH = "/oauth/token";

    private final ScriptedServer server;

    private FakeTokenEndpoint(ScriptedServer server) {
        this.server = server;
    }

    /**
     * Starts an endpoint on 127.0.0.1 and a free port.
     *
     * @return the running endpoint; close it when done
     */
    public static FakeTokenEndpoint start() {
        return new FakeTokenEndpoint(ScriptedServer.start());
    }

    /**
     * Returns the token endpoint's URL, {@code http://127.0.0.1:PORT/oauth/token}.
     *
     * @return the URL
     */
    public URI uri() {
        return baseUri().resolve(PATH);
    }

    /**
     * Returns the server's root URL, {@code http://127.0.0.1:PORT/}, to build other URLs on this server.
     *
     * @return the URL
     */
    public URI baseUri() {
        return server.baseUri();
    }

    /**
     * Adds responses to the script, to be used in order, one per request.
     *
     * @param responses the responses
     * @return this endpoint
     */
    public FakeTokenEndpoint enqueue(Response... responses) {
        for (Response r : responses) {
            server.enqueue(Objects.requireNonNull(r, "response"));
        }
        return this;
    }

    /**
     * Sets the function that answers requests once the script is used up, for tests that need answers computed
     * from the request (a rotating refresh token, say). By default, there is none.
     *
     * @param dispatcher called on the server's threads, possibly concurrently
     * @return this endpoint
     */
    public FakeTokenEndpoint dispatcher(Function<RecordedRequest, Response> dispatcher) {
        server.dispatcher(Objects.requireNonNull(dispatcher, "dispatcher"));
        return this;
    }

    /**
     * Returns the number of requests received so far, whether answered yet or not.
     *
     * @return the count
     */
    public int requestCount() {
        return server.requests().size();
    }

    /**
     * Returns every request received so far, in order of arrival.
     *
     * @return a snapshot
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(server.requests());
    }

    /**
     * Returns the oldest request not yet taken, waiting for one to arrive if need be.
     *
     * @return the request
     * @throws AssertionError if no request arrives within 10 seconds (a liveness bound, not a timing assertion)
     */
    public RecordedRequest takeRequest() {
        return server.takeRequest();
    }

    /** Stops the server at once, closing open connections and interrupting held responses. */
    @Override
    public void close() {
        server.close();
    }

    /**
     * A scripted answer: a status, headers, a body, and optionally a hold-up or a broken connection.
     *
     * <p>Not thread-safe while being configured; hand it to {@link #enqueue} when done.
     */
    public static final class Response {

        private final int status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final byte[] body;
        private final ScriptedDelivery delivery = new ScriptedDelivery();

        private Response(int status, String body) {
            this.status = status;
            this.body = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * A JSON body with the given status.
         *
         * @param status the HTTP status
         * @param json the body, sent as is
         * @return the response
         */
        public static Response json(int status, String json) {
            Objects.requireNonNull(json, "json");
            return new Response(status, json).header("Content-Type", "application/json");
        }

        /**
         * A body of any content type.
         *
         * @param status the HTTP status
         * @param contentType the {@code Content-Type}
         * @param body the body, sent as is
         * @return the response
         */
        public static Response body(int status, String contentType, String body) {
            Objects.requireNonNull(body, "body");
            return new Response(status, body).header("Content-Type", contentType);
        }

        /**
         * A status without a body.
         *
         * @param status the HTTP status
         * @return the response
         */
        public static Response status(int status) {
            return new Response(status, null);
        }

        /**
         * A successful bearer token response, without a refresh token.
         *
         * @param accessToken the access token
         * @param expiresIn {@code expires_in}, in seconds
         * @return the response
         */
        public static Response token(String accessToken, long expiresIn) {
            Objects.requireNonNull(accessToken, "accessToken");
            return json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + expiresIn + "}");
        }

        /**
         * A successful bearer token response with a refresh token, shaped like the BigLedger example.
         *
         * @param accessToken the access token
         * @param expiresIn {@code expires_in}, in seconds
         * @param refreshToken the refresh token
         * @return the response
         */
        public static Response token(String accessToken, long expiresIn, String refreshToken) {
            Objects.requireNonNull(accessToken, "accessToken");
            Objects.requireNonNull(refreshToken, "refreshToken");
            return json(200, "{\"access_token\":\"" + accessToken + "\",\"refresh_token\":\"" + refreshToken
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
        }

        /**
         * An RFC 6749 §5.2 error.
         *
         * @param status the HTTP status, 400 or 401 for real servers
         * @param error the {@code error} code
         * @param description the {@code error_description}, or {@code null}
         * @return the response
         */
        public static Response oauthError(int status, String error, String description) {
            return json(status, "{\"error\":" + FakeApiText.quote(error)
                    + (description == null ? "" : ",\"error_description\":" + FakeApiText.quote(description)) + "}");
        }

        /**
         * A BigLedger error envelope, {@code {"success":false,"error":{"code":…,"message":…}}}.
         *
         * @param status the HTTP status
         * @param code the error code, such as {@code UNAUTHORIZED}
         * @param message the message
         * @return the response
         */
        public static Response envelopeError(int status, String code, String message) {
            return json(status, "{\"success\":false,\"error\":{\"code\":" + FakeApiText.quote(code) + ",\"message\":"
                    + FakeApiText.quote(message) + "}}");
        }

        /**
         * Closes the connection without sending anything.
         *
         * @return the response
         */
        public static Response disconnect() {
            Response r = new Response(200, null);
            r.delivery.disconnect();
            return r;
        }

        /**
         * Declares a {@code Content-Length} of {@code declaredLength}, sends only {@code partialBody}, then closes
         * the connection.
         *
         * @param status the HTTP status
         * @param declaredLength the length declared, larger than the body sent
         * @param partialBody the part that is sent
         * @return the response
         */
        public static Response cutOff(int status, int declaredLength, String partialBody) {
            Objects.requireNonNull(partialBody, "partialBody");
            Response r = new Response(status, partialBody).header("Content-Type", "application/json");
            r.delivery.cutOff(declaredLength);
            return r;
        }

        /**
         * Adds a header.
         *
         * @param name the header name
         * @param value the value
         * @return this response
         */
        public Response header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            headers.put(name, value);
            return this;
        }

        /**
         * Holds the whole response back until the latch is released (or the endpoint closes), for tests of
         * timeouts and of requests in flight.
         *
         * @param release the latch to wait for
         * @return this response
         */
        public Response holdUntil(CountDownLatch release) {
            delivery.holdUntil(Objects.requireNonNull(release, "release"));
            return this;
        }

        /**
         * Sends the status, the headers and the first {@code bytes} bytes of the body, then stalls until the latch
         * is released (or the endpoint closes): a body that trickles in too slowly.
         *
         * @param bytes how much of the body to send before stalling
         * @param release the latch to wait for
         * @return this response
         */
        public Response stallBodyAfter(int bytes, CountDownLatch release) {
            delivery.stallBodyAfter(bytes, Objects.requireNonNull(release, "release"));
            return this;
        }

        void send(HttpExchange exchange) throws IOException, InterruptedException {
            delivery.send(exchange, status, headers, body);
        }
    }

    /**
     * A dispatcher that behaves like an authorization server that rotates refresh tokens (as Spring Authorization
     * Server does with {@code reuse-refresh-tokens: false}): it checks the client's credentials (Basic or in the
     * body, form or JSON), answers {@code client_credentials} with an access token, and answers
     * {@code refresh_token} with a new access token and a new refresh token, retiring the one presented. A retired or
     * unknown refresh token gets HTTP 400 {@code invalid_grant}, wrong client credentials HTTP 401
     * {@code invalid_client}. Every token it issues is a {@link Canary} value, so the leak check looks for it.
     *
     * <pre>{@code
     * RotatingIssuer issuer = new RotatingIssuer("tm-client", clientSecret, 3600);
     * endpoint.dispatcher(issuer);
     * String first = issuer.issueRefreshToken();
     * }</pre>
     *
     * <p>Thread-safe: requests are served concurrently.
     */
    public static final class RotatingIssuer implements Function<RecordedRequest, Response> {

        private final RotationLedger ledger;

        /**
         * Creates an issuer for one client.
         *
         * @param clientId the client id it accepts
         * @param clientSecret the client secret it accepts
         * @param expiresIn the {@code expires_in} of every access token, in seconds
         */
        public RotatingIssuer(String clientId, String clientSecret, long expiresIn) {
            this.ledger = new RotationLedger(Objects.requireNonNull(clientId, "clientId"),
                    Objects.requireNonNull(clientSecret, "clientSecret"), expiresIn);
        }

        /**
         * Issues a refresh token out of band, as an earlier authorization would have.
         *
         * @return a live refresh token
         */
        public String issueRefreshToken() {
            return ledger.issueRefreshToken();
        }

        /**
         * Returns every access token issued, oldest first.
         *
         * @return a snapshot
         */
        public List<String> accessTokens() {
            return ledger.accessTokens();
        }

        /**
         * Returns every refresh token issued, oldest first, including the one made by {@link #issueRefreshToken()}.
         *
         * @return a snapshot
         */
        public List<String> refreshTokens() {
            return ledger.refreshTokens();
        }

        /**
         * Tells whether a refresh token is still accepted.
         *
         * @param refreshToken the token
         * @return {@code true} if it was issued and not yet used
         */
        public boolean isLive(String refreshToken) {
            return ledger.isLive(refreshToken);
        }

        @Override
        public Response apply(RecordedRequest request) {
            return ledger.answer(Objects.requireNonNull(request, "request"));
        }
    }

    /** A request as the endpoint received it. Immutable and thread-safe. */
    public static final class RecordedRequest {

        private final String method;
        private final URI uri;
        private final Map<String, List<String>> headers;
        private final String body;

        RecordedRequest(String method, URI uri, Map<String, List<String>> headers, String body) {
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.body = body;
        }

        /**
         * Returns the method, such as {@code POST}.
         *
         * @return the method, such as {@code POST}
         */
        public String method() {
            return method;
        }

        /**
         * Returns the path, such as {@code /oauth/token}.
         *
         * @return the path, such as {@code /oauth/token}
         */
        public String path() {
            return uri.getPath();
        }

        /**
         * Returns the raw query, if the request had one.
         *
         * @return the raw query, if the request had one
         */
        public Optional<String> query() {
            return Optional.ofNullable(uri.getRawQuery());
        }

        /**
         * Returns the header names (lower case) and their values, in order of arrival.
         *
         * @return the header names (lower case) and their values, in order of arrival
         */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /**
         * Returns the first value of a header, looked up case-insensitively.
         *
         * @param name the header's name
         * @return the first value of a header, looked up case-insensitively
         */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /**
         * Returns the body as UTF-8 text.
         *
         * @return the body as UTF-8 text
         */
        public String body() {
            return body;
        }

        /**
         * Returns the body's parameters in order: form-decoded for {@code application/x-www-form-urlencoded},
         * the top-level fields of a flat JSON object for {@code application/json} (values as text).
         *
         * @return the parameters by name, in order
         * @throws AssertionError if the content type is neither, or the body does not parse, or a name repeats
         */
        public Map<String, String> params() {
            return RequestBodies.params(header("Content-Type").orElse(""), body);
        }

        /**
         * Returns every value of one body parameter, in order, for a parameter that may repeat (RFC 8693's
         * {@code audience} and {@code resource}): each form field of that name, or a JSON member's text or the
         * texts of its array.
         *
         * @param name the parameter's name
         * @return the values; empty when the parameter is absent
         * @throws AssertionError if the content type is neither form nor JSON, or the body does not parse
         */
        public List<String> values(String name) {
            Objects.requireNonNull(name, "name");
            return RequestBodies.values(header("Content-Type").orElse(""), body, name);
        }

        /**
         * Returns the client id and secret of an {@code Authorization: Basic} header, each form-decoded as
         * RFC 6749 §2.3.1 says.
         *
         * @return the id and the secret, or empty when there is no Basic header
         */
        public Optional<List<String>> basicCredentials() {
            return RequestBodies.basicCredentials(header("Authorization"));
        }

        /** Shows the method, path and header names; never the body or header values, which hold secrets. */
        @Override
        public String toString() {
            return "RecordedRequest[" + method + " " + uri.getPath() + ", headers=" + headers.keySet() + "]";
        }
    }
}
