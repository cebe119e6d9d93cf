package com.bigledger.auth.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of one upstream server, that answers each request as told: passes it
 * through, or delays, resets the connection, returns an error status (with {@code Retry-After}), HTML, or truncated
 * JSON. One request per connection ({@code Connection: close}), so each request the client makes is counted once.
 * Thread-safe; {@link #close()} stops it and releases held requests.
 */
final class FaultProxy implements AutoCloseable {

    /** What the proxy does with one request. */
    enum Fault {
        /** Holds the request for {@link #DELAY} before passing it on: longer than the client's request timeout. */
        DELAY,
        /** Resets the connection (RST) once the request is read. */
        RESET,
        HTTP_500,
        /** 502 with an HTML page, as a load balancer sends. */
        HTTP_502_HTML,
        /** 503 with {@code Retry-After}. */
        HTTP_503_RETRY_AFTER,
        /** 429 with {@code Retry-After}. */
        HTTP_429_RETRY_AFTER,
        /** 200 with an HTML page, as a captive portal sends. */
        HTML_200,
        /** The server's real 200 answer cut in the middle of its JSON. */
        TRUNCATED_JSON;

        boolean hasRetryAfter() {
            return this == HTTP_503_RETRY_AFTER || this == HTTP_429_RETRY_AFTER;
        }
    }

    static final Duration DELAY = Duration.ofSeconds(10);
    static final int RETRY_AFTER_SECONDS = 3;

    private final URI upstream;
    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);

    FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** The proxy's address for {@code path}. */
    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    /** Answers the next {@code count} requests with {@code fault}, then passes requests through again. */
    synchronized void failNext(Fault fault, int count) {
        for (int i = 0; i < count; i++) {
            faults.add(fault);
        }
    }

    /** Faults queued and not yet used. */
    synchronized int pendingFaults() {
        return faults.size();
    }

    /** Requests received so far. */
    int requests() {
        return requests.get();
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        socket.close();
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Fault next() {
        return faults.poll();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                threads.execute(() -> serve(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(10_000);
            Request request = Request.read(connection.getInputStream());
            if (request == null) {
                return;
            }
            requests.incrementAndGet();
            Fault fault = next();
            OutputStream out = connection.getOutputStream();
            if (fault == null) {
                pass(request, out, false);
                return;
            }
            switch (fault) {
                case DELAY:
                    if (closed.await(DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                    pass(request, out, false);
                    break;
                case RESET:
                    connection.setSoLinger(true, 0);
                    break;
                case HTTP_500:
                    respond(out, 500, "application/json", "{\"error\":\"server_error\"}", null);
                    break;
                case HTTP_502_HTML:
                    respond(out, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", null);
                    break;
                case HTTP_503_RETRY_AFTER:
                    respond(out, 503, "text/plain", "try later", RETRY_AFTER_SECONDS);
                    break;
                case HTTP_429_RETRY_AFTER:
                    respond(out, 429, "application/json", "{\"error\":\"slow_down\"}", RETRY_AFTER_SECONDS);
                    break;
                case HTML_200:
                    respond(out, 200, "text/html", "<!DOCTYPE html><html><body>Please sign in to the network"
                            + "</body></html>", null);
                    break;
                case TRUNCATED_JSON:
                    pass(request, out, true);
                    break;
                default:
                    throw new AssertionError(fault);
            }
        } catch (IOException e) {
            // The client went away: nothing to answer.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pass(Request request, OutputStream out, boolean truncate) throws IOException, InterruptedException {
        HttpRequest.Builder forward = HttpRequest.newBuilder(upstream.resolve(request.target))
                .timeout(Duration.ofSeconds(10))
                .method(request.method, HttpRequest.BodyPublishers.ofByteArray(request.body));
        for (String name : new String[] {"authorization", "content-type", "accept"}) {
            String value = request.header(name);
            if (value != null) {
                forward.header(name, value);
            }
        }
        HttpResponse<String> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        if (truncate) {
            body = body.substring(0, body.length() / 2);
        }
        respond(out, response.statusCode(), response.headers().firstValue("content-type").orElse("application/json"),
                body, null);
    }

    private static void respond(OutputStream out, int status, String contentType, String body, Integer retryAfter)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n")
                .append("Content-Type: ").append(contentType).append("\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\n")
                .append("Cache-Control: no-store\r\n")
                .append("Connection: close\r\n");
        if (retryAfter != null) {
            head.append("Retry-After: ").append(retryAfter).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    /** One HTTP/1.1 request with a {@code Content-Length} body, at most 64 KiB. */
    private static final class Request {
        final String method;
        final String target;
        final String[] headers;
        final byte[] body;

        private Request(String method, String target, String[] headers, byte[] body) {
            this.method = method;
            this.target = target;
            this.headers = headers;
            this.body = body;
        }

        static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                if (head.size() > 65536) {
                    throw new SocketException("request head too large");
                }
                matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            String[] headers = Arrays.copyOfRange(lines, 1, lines.length);
            Request partial = new Request(requestLine[0], requestLine[1], headers, new byte[0]);
            String length = partial.header("content-length");
            int n = length == null ? 0 : Integer.parseInt(length.trim());
            if (n > 65536) {
                throw new SocketException("request body too large");
            }
            byte[] body = in.readNBytes(n);
            return new Request(partial.method, partial.target, headers, body);
        }

        String header(String name) {
            for (String line : headers) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
