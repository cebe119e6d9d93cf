package com.bigledger.auth.testing;

import com.bigledger.auth.testing.FakeTokenEndpoint.RecordedRequest;
import com.bigledger.auth.testing.FakeTokenEndpoint.Response;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The server loop behind a {@link FakeTokenEndpoint}: a JDK HTTP server on 127.0.0.1 that records each request, then
 * answers it with the next scripted response, else the dispatcher's answer, else HTTP 500 "nothing scripted".
 *
 * <p>Thread-safe: requests are served concurrently on daemon threads.
 */
final class ScriptedServer {

    static {
        // The JDK server writes a response's headers and its body apart; with Nagle's algorithm on, the client's
        // delayed ACK then holds every response back by some 40 ms. The server reads this once, at its first start.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final LoopbackHttp http;
    private final ConcurrentLinkedQueue<Response> script = new ConcurrentLinkedQueue<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private volatile Function<RecordedRequest, Response> dispatcher;

    private ScriptedServer(LoopbackHttp http) {
        this.http = http;
    }

    /** Starts a server on 127.0.0.1 and a free port. */
    static ScriptedServer start() {
        ScriptedServer scripted = new ScriptedServer(new LoopbackHttp("fake-token-endpoint", "fake token endpoint"));
        scripted.http.serve(scripted::handle);
        return scripted;
    }

    /** The server's root URL, {@code http://127.0.0.1:PORT/}. */
    URI baseUri() {
        return URI.create(http.root() + "/");
    }

    void enqueue(Response response) {
        script.add(response);
    }

    void dispatcher(Function<RecordedRequest, Response> dispatcher) {
        this.dispatcher = dispatcher;
    }

    List<RecordedRequest> requests() {
        return requests;
    }

    /** The oldest request not yet taken, waiting up to 10 seconds for one (a liveness bound). */
    RecordedRequest takeRequest() {
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
    void close() {
        http.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        RecordedRequest request = record(exchange);
        requests.add(request);
        untaken.add(request);
        Response response;
        if (!exchange.getRequestURI().getPath().equals(FakeTokenEndpoint.PATH)) {
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
        answer(exchange, response);
    }

    /** Reads a request off the wire: its method, URI, headers (names in lower case) and UTF-8 body. */
    static RecordedRequest record(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI(),
                Collections.unmodifiableMap(headers), body);
    }

    /** Sends a response and closes the exchange; a held response interrupted by close() just ends. */
    static void answer(HttpExchange exchange, Response response) throws IOException {
        try {
            response.send(exchange);
        } catch (InterruptedException e) {
            // close() interrupts held responses; the connection goes with the server.
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }
}
