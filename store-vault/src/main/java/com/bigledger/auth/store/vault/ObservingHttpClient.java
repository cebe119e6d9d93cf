package com.bigledger.auth.store.vault;

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
 * The module's {@link HttpClient}, seen by the driver for one call, noting what the driver does not pass on from the
 * answer: the {@code Retry-After} of a rate-limit quota's 429, and whether a 400 says the KV mount is upgrading from
 * version 1 to 2. The answer's body is looked at for that one fixed text and never kept. Made for one call, so its
 * notes belong to that call; every request goes through the shared client, so connections are still reused.
 */
final class ObservingHttpClient extends HttpClient {

    /** The start of the text a KV mount answers with 400 while it upgrades (vault-plugin-secrets-kv upgrade.go). */
    static final String UPGRADING = "Upgrading from non-versioned to versioned data";

    private final HttpClient http;
    private volatile Duration retryAfter;
    private volatile boolean upgrading;

    ObservingHttpClient(HttpClient http) {
        this.http = http;
    }

    /** The {@code Retry-After} of the last answer, in whole seconds, or {@code null} if it had none. */
    Duration retryAfter() {
        return retryAfter;
    }

    /** Whether an answer was the 400 of a KV mount upgrading from version 1 to 2. */
    boolean upgrading() {
        return upgrading;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpResponse<T> response = http.send(request, handler);
        note(response);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return http.sendAsync(request, handler).thenApply(this::note);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return http.sendAsync(request, handler, pushPromiseHandler).thenApply(this::note);
    }

    private <T> HttpResponse<T> note(HttpResponse<T> response) {
        retryAfter = seconds(response.headers().firstValue("Retry-After").orElse(null));
        if (response.statusCode() == 400 && response.body() instanceof String
                && ((String) response.body()).contains(UPGRADING)) {
            upgrading = true;
        }
        return response;
    }

    /** Vault sends {@code Retry-After} as a number of seconds; anything else is ignored. */
    private static Duration seconds(String value) {
        if (value == null || !value.trim().matches("[0-9]{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(value.trim()));
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return http.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return http.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return http.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return http.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return http.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return http.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return http.authenticator();
    }

    @Override
    public Version version() {
        return http.version();
    }

    @Override
    public Optional<Executor> executor() {
        return http.executor();
    }
}
