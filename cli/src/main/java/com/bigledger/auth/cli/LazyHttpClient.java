package com.bigledger.auth.cli;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The JDK {@link HttpClient} the OAuth client would build on its defaults (connect timeout
 * {@link com.bigledger.auth.oauth.OAuthClient#DEFAULT_CONNECT_TIMEOUT}, no redirects), made on its first request
 * rather than when the OAuth client is built. Making one starts its selector thread and the default TLS context,
 * which reads the JDK's trust store: the larger part of a {@code token} run that prints a still-valid token from
 * the token record and sends nothing. The two settings {@link com.bigledger.auth.oauth.OAuthClient.Builder#build()}
 * checks are answered without making it; everything else is the made client's. Thread-safe.
 */
final class LazyHttpClient extends HttpClient {

    private final Duration connectTimeout;
    private HttpClient client;

    LazyHttpClient(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** Whether the client was made, that is, whether anything was sent or asked of it. */
    synchronized boolean made() {
        return client != null;
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(Redirect.NEVER).build();
        }
        return client;
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return Optional.of(connectTimeout);
    }

    @Override
    public Redirect followRedirects() {
        return Redirect.NEVER;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return client().cookieHandler();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return client().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return client().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return client().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return client().authenticator();
    }

    @Override
    public Version version() {
        return client().version();
    }

    @Override
    public Optional<Executor> executor() {
        return client().executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return client().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return client().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return client().sendAsync(request, handler, pushPromiseHandler);
    }

    @Override
    public String toString() {
        return "LazyHttpClient[" + (made() ? client() : "not made yet") + "]";
    }
}
