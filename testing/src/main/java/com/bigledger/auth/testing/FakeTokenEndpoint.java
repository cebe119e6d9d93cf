package com.bigledger.auth.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

    private static final JsonFactory JSON = new JsonFactory();

    static {
        // The JDK server writes a response's headers and its body apart; with Nagle's algorithm on, the client's
        // delayed ACK then holds every response back by some 40 ms. The server reads this once, at its first start.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private volatile Function<RecordedRequest, Response> dispatcher;

    private FakeTokenEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts an endpoint on 127.0.0.1 and a free port.
     *
     * @return the running endpoint; close it when done
     */
    public static FakeTokenEndpoint start() {
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-token-endpoint");
            t.setDaemon(true);
            return t;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            FakeTokenEndpoint endpoint = new FakeTokenEndpoint(server, executor);
            server.createContext("/", endpoint::handle);
            server.setExecutor(executor);
            server.start();
            return endpoint;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("Could not start the fake token endpoint", e);
        }
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
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + "/");
    }

    /**
     * Adds responses to the script, to be used in order, one per request.
     *
     * @param responses the responses
     * @return this endpoint
     */
    public FakeTokenEndpoint enqueue(Response... responses) {
        for (Response r : responses) {
            script.add(Objects.requireNonNull(r, "response"));
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
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        return this;
    }

    /**
     * Returns the number of requests received so far, whether answered yet or not.
     *
     * @return the count
     */
    public int requestCount() {
        return requests.size();
    }

    /**
     * Returns every request received so far, in order of arrival.
     *
     * @return a snapshot
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * Returns the oldest request not yet taken, waiting for one to arrive if need be.
     *
     * @return the request
     * @throws AssertionError if no request arrives within 10 seconds (a liveness bound, not a timing assertion)
     */
    public RecordedRequest takeRequest() {
        try {
            RecordedRequest r = untaken.poll(10, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("No request reached the fake token endpoint within 10 s");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for a request", e);
        }
    }

    /** Stops the server at once, closing open connections and interrupting held responses. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        RecordedRequest request = RecordedRequest.of(exchange);
        requests.add(request);
        untaken.add(request);
        Response response;
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            response = Response.json(404, "{\"error\":\"not_found\"}");
        } else {
            response = script.poll();
            Function<RecordedRequest, Response> d = dispatcher;
            if (response == null && d != null) {
                try {
                    response = d.apply(request);
                } catch (RuntimeException | AssertionError e) {
                    response = Response.oauthError(500, "server_error",
                            "FakeTokenEndpoint: the dispatcher threw " + e.getClass().getName());
                }
            }
            if (response == null) {
                response = Response.oauthError(500, "server_error", "FakeTokenEndpoint: nothing scripted");
            }
        }
        try {
            response.send(exchange);
        } catch (InterruptedException e) {
            // close() interrupts held responses; the connection goes with the server.
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
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
        private CountDownLatch holdUntil;
        private CountDownLatch stallUntil;
        private int stallAfter;
        private boolean disconnect;
        private int declaredLength = -1;

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
            return json(status, "{\"error\":" + quote(error)
                    + (description == null ? "" : ",\"error_description\":" + quote(description)) + "}");
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
            return json(status, "{\"success\":false,\"error\":{\"code\":" + quote(code) + ",\"message\":"
                    + quote(message) + "}}");
        }

        /**
         * Closes the connection without sending anything.
         *
         * @return the response
         */
        public static Response disconnect() {
            Response r = new Response(200, null);
            r.disconnect = true;
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
            r.declaredLength = declaredLength;
            r.disconnect = true;
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
            this.holdUntil = Objects.requireNonNull(release, "release");
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
            this.stallAfter = bytes;
            this.stallUntil = Objects.requireNonNull(release, "release");
            return this;
        }

        void send(HttpExchange exchange) throws IOException, InterruptedException {
            if (holdUntil != null) {
                holdUntil.await();
            }
            if (disconnect && body == null) {
                throw new IOException("FakeTokenEndpoint: disconnecting as scripted");
            }
            Headers h = exchange.getResponseHeaders();
            headers.forEach(h::add);
            if (body == null || body.length == 0) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            long length = declaredLength >= 0 ? declaredLength : stallUntil != null ? 0 : body.length;
            exchange.sendResponseHeaders(status, length);
            OutputStream out = exchange.getResponseBody();
            if (stallUntil != null) {
                int first = Math.min(stallAfter, body.length);
                out.write(body, 0, first);
                out.flush();
                stallUntil.await();
                out.write(body, first, body.length - first);
            } else {
                out.write(body);
            }
            out.flush();
            if (disconnect) {
                // The HTTP server closes the connection when a handler fails.
                throw new IOException("FakeTokenEndpoint: cutting the response off as scripted");
            }
            out.close();
        }

        private static String quote(String s) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
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

        private final String clientId;
        private final String clientSecret;
        private final long expiresIn;
        private final java.util.Set<String> liveRefreshTokens = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final List<String> accessTokens = new CopyOnWriteArrayList<>();
        private final List<String> refreshTokens = new CopyOnWriteArrayList<>();

        /**
         * Creates an issuer for one client.
         *
         * @param clientId the client id it accepts
         * @param clientSecret the client secret it accepts
         * @param expiresIn the {@code expires_in} of every access token, in seconds
         */
        public RotatingIssuer(String clientId, String clientSecret, long expiresIn) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            this.expiresIn = expiresIn;
        }

        /**
         * Issues a refresh token out of band, as an earlier authorization would have.
         *
         * @return a live refresh token
         */
        public String issueRefreshToken() {
            String token = Canary.value("blg_oauth_rt_");
            liveRefreshTokens.add(token);
            refreshTokens.add(token);
            return token;
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
         * Returns every refresh token issued, oldest first, including the one made by {@link #issueRefreshToken()}.
         *
         * @return a snapshot
         */
        public List<String> refreshTokens() {
            return List.copyOf(refreshTokens);
        }

        /**
         * Tells whether a refresh token is still accepted.
         *
         * @param refreshToken the token
         * @return {@code true} if it was issued and not yet used
         */
        public boolean isLive(String refreshToken) {
            return liveRefreshTokens.contains(refreshToken);
        }

        @Override
        public Response apply(RecordedRequest request) {
            Objects.requireNonNull(request, "request");
            Map<String, String> params = request.params();
            List<String> credentials = request.basicCredentials()
                    .orElse(java.util.Arrays.asList(params.get("client_id"), params.get("client_secret")));
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

    /** A request as the endpoint received it. Immutable and thread-safe. */
    public static final class RecordedRequest {

        private final String method;
        private final URI uri;
        private final Map<String, List<String>> headers;
        private final String body;

        private RecordedRequest(String method, URI uri, Map<String, List<String>> headers, String body) {
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.body = body;
        }

        static RecordedRequest of(HttpExchange exchange) throws IOException {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI(),
                    Collections.unmodifiableMap(headers), body);
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
            String type = header("Content-Type").orElse("");
            if (type.startsWith("application/x-www-form-urlencoded")) {
                return form(body);
            }
            if (type.startsWith("application/json")) {
                return json(body);
            }
            throw new AssertionError("Not a form or JSON body: Content-Type " + type);
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
            String type = header("Content-Type").orElse("");
            List<String> out = new java.util.ArrayList<>();
            if (type.startsWith("application/x-www-form-urlencoded")) {
                for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
                    int eq = pair.indexOf('=');
                    String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    if (key.equals(name)) {
                        out.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                return List.copyOf(out);
            }
            if (!type.startsWith("application/json")) {
                throw new AssertionError("Not a form or JSON body: Content-Type " + type);
            }
            try (JsonParser p = JSON.createParser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new AssertionError("The JSON body is not an object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    boolean wanted = p.currentName().equals(name);
                    JsonToken value = p.nextToken();
                    if (value == JsonToken.START_ARRAY) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (wanted) {
                                out.add(p.getText());
                            }
                        }
                    } else if (value.isStructStart()) {
                        p.skipChildren();
                    } else if (wanted) {
                        out.add(p.getText());
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("The JSON body does not parse (" + e.getClass().getSimpleName() + ")");
            }
            return List.copyOf(out);
        }

        /**
         * Returns the client id and secret of an {@code Authorization: Basic} header, each form-decoded as
         * RFC 6749 §2.3.1 says.
         *
         * @return the id and the secret, or empty when there is no Basic header
         */
        public Optional<List<String>> basicCredentials() {
            Optional<String> authorization = header("Authorization");
            if (authorization.isEmpty() || !authorization.get().startsWith("Basic ")) {
                return Optional.empty();
            }
            String decoded = new String(Base64.getDecoder().decode(authorization.get().substring(6)),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new AssertionError("Basic credentials without a colon");
            }
            return Optional.of(List.of(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)));
        }

        /** Shows the method, path and header names; never the body or header values, which hold secrets. */
        @Override
        public String toString() {
            return "RecordedRequest[" + method + " " + uri.getPath() + ", headers=" + headers.keySet() + "]";
        }

        private static Map<String, String> form(String body) {
            Map<String, String> out = new LinkedHashMap<>();
            if (body.isEmpty()) {
                return out;
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (out.put(name, value) != null) {
                    throw new AssertionError("Form parameter repeated: " + name);
                }
            }
            return Collections.unmodifiableMap(out);
        }

        private static Map<String, String> json(String body) {
            Map<String, String> out = new LinkedHashMap<>();
            try (JsonParser p = JSON.createParser(body)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new AssertionError("The JSON body is not an object");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (value.isStructStart()) {
                        throw new AssertionError("The JSON body is not flat: " + name);
                    }
                    if (out.put(name, p.getText()) != null) {
                        throw new AssertionError("JSON field repeated: " + name);
                    }
                }
                if (p.nextToken() != null) {
                    throw new AssertionError("Content after the JSON object");
                }
            } catch (IOException e) {
                // Not chained: Jackson's message quotes the body, which holds secrets.
                throw new AssertionError("The JSON body does not parse (" + e.getClass().getSimpleName() + ")");
            }
            return Collections.unmodifiableMap(out);
        }
    }
}
