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
 * A response body read into memory up to a cap and within a time limit.
 *
 * <p>A body larger than the cap (as declared by {@code Content-Length}, or as received) is abandoned as soon as the
 * cap is passed, without reading the rest, and reported as {@link #tooLarge()}: a misbehaving or hostile endpoint
 * cannot make the client buffer an unbounded body, and the status and headers are still there to act on. A body
 * that does not arrive in full within the time limit, counted from the headers, fails with a
 * {@link TimeoutException}: the JDK's request timeout stops counting at the headers, so without this a body that
 * trickles in would hold the caller indefinitely.
 */
public final class CappedBody {

    private static final byte[] EMPTY = new byte[0];

    private final byte[] bytes;
    private final boolean tooLarge;

    private CappedBody(byte[] bytes, boolean tooLarge) {
        this.bytes = bytes;
        this.tooLarge = tooLarge;
    }

    /**
     * The body, or an empty array when it was {@link #tooLarge()} and abandoned; a body read for
     * {@linkplain #handler(int, int, Duration) recovery} is kept whole even when too large.
     */
    public byte[] bytes() {
        return bytes;
    }

    /** Tells whether the body passed the cap and was abandoned. */
    public boolean tooLarge() {
        return tooLarge;
    }

    /** Returns a handler that reads at most {@code cap} bytes of a body, within {@code timeout} of the headers. */
    public static HttpResponse.BodyHandler<CappedBody> handler(int cap, Duration timeout) {
        return handler(cap, cap, timeout);
    }

    /**
     * Returns a handler like {@link #handler(int, Duration)}, except that a success (2xx) body above {@code cap} is
     * still read up to {@code successHardCap} and kept: it is reported {@link #tooLarge()}, but its bytes are there
     * for the caller to recover what must not be lost (a rotated refresh token). Above the hard cap it is abandoned.
     */
    public static HttpResponse.BodyHandler<CappedBody> handler(int cap, int successHardCap, Duration timeout) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
            int hardCap = success ? Math.max(cap, successHardCap) : cap;
            return new Subscriber(cap, hardCap, declared > hardCap, timeout);
        };
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<CappedBody> {

        private final int cap;
        private final int hardCap;
        private final boolean declaredTooLarge;
        private final CompletableFuture<CappedBody> result = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        Subscriber(int cap, int hardCap, boolean declaredTooLarge, Duration timeout) {
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
        public CompletionStage<CappedBody> getBody() {
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
            result.complete(new CappedBody(buffer.toByteArray(), buffer.size() > cap));
        }

        private void abandon() {
            subscription.cancel();
            buffer.reset();
            result.complete(new CappedBody(EMPTY, true));
        }
    }
}
