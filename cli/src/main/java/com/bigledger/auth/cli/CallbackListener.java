package com.bigledger.auth.cli;

import com.bigledger.auth.AuthorizationException;
import com.bigledger.auth.oauth.AuthorizationRequest;
import com.bigledger.auth.oauth.AuthorizationResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The loopback HTTP listener that {@code login}'s redirect URI names (RFC 8252 §7.3): it waits for the one request
 * that answers the login in progress and ignores every other.
 *
 * <p>Why so strict: any local process, or any web page the user has open, can send a request to the port. A
 * request to another path, with another method, or whose {@code state} is missing or does not match the login's
 * (checked in constant time by {@link AuthorizationResponse#parse}) is answered {@code 400} with a short plain page
 * and ignored, and the listener keeps waiting; the first request with the right state and a code or an
 * {@code error} completes the login, and any request after it is answered {@code 400}. Each request is read on a
 * thread of its own, so a connection that sends nothing holds up only itself.
 *
 * <p>The listener binds exactly the address its redirect URI names: {@code 127.0.0.1} (the default), {@code [::1]},
 * or {@code localhost}, which is served on {@code 127.0.0.1} alone. It is never bound to the wildcard address or to
 * both loopback addresses: browsers that try {@code ::1} first for {@code localhost} fall back to {@code 127.0.0.1},
 * and RFC 8252 §8.3 recommends the literal anyway. A redirect URI without a port, or with port 0, gets a free port.
 *
 * <p>Thread-safe; {@link #await} blocks.
 */
final class CallbackListener implements AutoCloseable {

    /** The redirect URI used when none is given: a free port on 127.0.0.1. */
    static final URI DEFAULT_REDIRECT_URI = URI.create("http://127.0.0.1/callback");

    private static final byte[] DONE = page("Done: you may close this window and go back to the terminal.");
    private static final byte[] IGNORED = page("This request does not answer the login that bigledger-auth is "
            + "waiting for, so it was ignored.");

    private final HttpServer server;
    private final ExecutorService threads;
    private final URI redirectUri;
    private final CompletableFuture<AuthorizationResponse> result = new CompletableFuture<>();

    private CallbackListener(HttpServer server, ExecutorService threads, URI redirectUri) {
        this.server = server;
        this.threads = threads;
        this.redirectUri = redirectUri;
    }

    /**
     * Checks a redirect URI: {@code http}, a loopback host this listener can bind, a path, and nothing else.
     *
     * @param redirectUri the redirect URI asked for
     * @return the URI, with the path {@code /callback} if it had none
     * @throws IllegalArgumentException saying what is wrong, naming the URI without its user info
     */
    static URI check(URI redirectUri) {
        String shown = TokenCommand.shown(redirectUri).toString();
        if (!"http".equalsIgnoreCase(redirectUri.getScheme()) || redirectUri.getHost() == null) {
            throw new IllegalArgumentException("must be an http URL on this machine (RFC 8252 loopback redirect): "
                    + shown);
        }
        if (address(redirectUri.getHost()) == null) {
            throw new IllegalArgumentException("must name 127.0.0.1, [::1] or localhost, where login listens: "
                    + shown);
        }
        if (redirectUri.getRawUserInfo() != null || redirectUri.getRawQuery() != null
                || redirectUri.getRawFragment() != null) {
            throw new IllegalArgumentException("must have no user info, query or fragment: " + shown);
        }
        String path = redirectUri.getRawPath() == null || redirectUri.getRawPath().isEmpty()
                ? "/callback" : redirectUri.getRawPath();
        return URI.create("http://" + redirectUri.getHost() + (redirectUri.getPort() > 0 ? ":" + redirectUri.getPort()
                : "") + path);
    }

    /**
     * Binds the address and port a checked redirect URI names; serves nothing until {@link #start}.
     *
     * @param redirectUri a URI returned by {@link #check}
     * @return the listener; the caller closes it
     * @throws IOException if the address or port cannot be bound
     */
    static CallbackListener bind(URI redirectUri) throws IOException {
        InetAddress address = Objects.requireNonNull(address(redirectUri.getHost()), "not a loopback host");
        HttpServer server = HttpServer.create(new InetSocketAddress(address, Math.max(redirectUri.getPort(), 0)), 0);
        int port = server.getAddress().getPort();
        URI bound = URI.create("http://" + redirectUri.getHost() + ":" + port + redirectUri.getRawPath());
        ExecutorService threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "bigledger-auth-login-callback");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        return new CallbackListener(server, threads, bound);
    }

    /** Returns the redirect URI to send, with the port actually bound. */
    URI redirectUri() {
        return redirectUri;
    }

    /**
     * Starts answering requests; only those that answer this authorization request complete the login.
     *
     * @param request the login's authorization request, whose redirect URI is {@link #redirectUri()}
     */
    void start(AuthorizationRequest request) {
        Objects.requireNonNull(request, "request");
        server.createContext("/", exchange -> answer(exchange, request));
        server.start();
    }

    /**
     * Waits for the request that answers the login.
     *
     * @param timeout how long to wait
     * @return the checked response, with its code
     * @throws AuthorizationException if the authorization server answered with an {@code error}
     * @throws TimeoutException if no such request came in time
     * @throws InterruptedException if interrupted while waiting
     */
    AuthorizationResponse await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (AuthorizationException) e.getCause();
        }
    }

    /** Stops listening at once; a request being answered is cut off. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void answer(HttpExchange exchange, AuthorizationRequest request) throws IOException {
        try (exchange) {
            boolean completes = false;
            if ("GET".equals(exchange.getRequestMethod())
                    && redirectUri.getRawPath().equals(exchange.getRequestURI().getRawPath())) {
                String rawQuery = exchange.getRequestURI().getRawQuery();
                URI callback = URI.create(redirectUri + (rawQuery == null ? "" : "?" + rawQuery));
                try {
                    completes = result.complete(AuthorizationResponse.parse(callback, request));
                } catch (AuthorizationException e) {
                    // Parsing checks the state first: only a matching state gets as far as the server's error.
                    completes = e.errorCode().isPresent() && result.completeExceptionally(e);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            byte[] page = completes ? DONE : IGNORED;
            exchange.sendResponseHeaders(completes ? 200 : 400, page.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(page);
            }
        }
    }

    /** The address a redirect URI's host is served on, or {@code null} if it is not one this listener binds. */
    private static InetAddress address(String host) {
        try {
            switch (host.toLowerCase(Locale.ROOT)) {
                case "127.0.0.1":
                case "localhost":
                    return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
                case "[::1]":
                    return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 1});
                default:
                    return null;
            }
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] page(String text) {
        return ("bigledger-auth login\n\n" + text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
