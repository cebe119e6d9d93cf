package com.bigledger.auth.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a response body into an {@link HttpExchange}, up to a cap and within a time limit counted from the headers;
 * see {@link HttpExchange#handler(int, int, Duration)}.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<HttpExchange> {

    private final HttpResponse.ResponseInfo info;
    private final int cap;
    private final int hardCap;
    private final boolean declaredTooLarge;
    private final CompletableFuture<HttpExchange> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private volatile Flow.Subscription subscription;

    CappedBodySubscriber(HttpResponse.ResponseInfo info, int cap, int hardCap, boolean declaredTooLarge,
            Duration timeout) {
        this.info = info;
        this.cap = cap;
        this.hardCap = hardCap;
        this.declaredTooLarge = declaredTooLarge;
        // The shared CompletableFuture timer; the timeout is cancelled when the body completes.
        result.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((body, error) -> {
            if (error instanceof TimeoutException && subscription != null) {
                subscription.cancel();
            }
        });
    }

    @Override
    public CompletionStage<HttpExchange> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription");
        if (subscription != null) {
            s.cancel();
            return;
        }
        subscription = s;
        if (declaredTooLarge) {
            abandon();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            if (buffer.size() + (long) item.remaining() > hardCap) {
                abandon();
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            buffer.write(chunk, 0, chunk.length);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(HttpExchange.response(info.statusCode(), info.headers(), null, buffer.toByteArray(),
                buffer.size() > cap));
    }

    private void abandon() {
        subscription.cancel();
        buffer.reset();
        result.complete(HttpExchange.response(info.statusCode(), info.headers(), null, HttpExchange.EMPTY, true));
    }
}
