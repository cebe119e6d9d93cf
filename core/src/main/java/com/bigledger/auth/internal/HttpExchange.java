package com.bigledger.auth.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One HTTP exchange of the token client and the BigLedger client, and the rules they share: how a request is sent
 * and a failure to get a response described, which statuses are worth a retry, and how an error body's code and
 * message are read.
 *
 * <p>An instance is the outcome of one exchange: a response (its status, headers and body, read into memory up to
 * a cap and within a time limit), or the failure to get one, described without quoting any exception message. A
 * body larger than the cap (as declared by {@code Content-Length}, or as received) is abandoned as soon as the cap is
 * passed, without reading the rest, and reported as {@link #tooLarge()}: a misbehaving or hostile endpoint cannot
 * make the client buffer an unbounded body, and the status and headers are still there to act on. A body that does
 * not arrive in full within the time limit, counted from the headers, fails with a {@link TimeoutException}: the
 * JDK's request timeout stops counting at the headers, so without this a body that trickles in would hold the
 * caller indefinitely. Immutable and thread-safe.
 */
public final class HttpExchange {

    /** The JSON reader and writer of request and response bodies: strict about duplicate fields. */
    public static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build();

    static final byte[] EMPTY = new byte[0];

    private final int status;
    private final HttpHeaders headers;
    private final HttpRequest request;
    private final byte[] bytes;
    private final boolean tooLarge;
    private final String failure;
    private final Throwable cause;
    private final boolean retryable;

    private HttpExchange(int status, HttpHeaders headers, HttpRequest request, byte[] bytes, boolean tooLarge,
            String failure, Throwable cause, boolean retryable) {
        this.status = status;
        this.headers = headers;
        this.request = request;
        this.bytes = bytes;
        this.tooLarge = tooLarge;
        this.failure = failure;
        this.cause = cause;
        this.retryable = retryable;
    }

    static HttpExchange response(int status, HttpHeaders headers, HttpRequest request, byte[] bytes,
            boolean tooLarge) {
        return new HttpExchange(status, headers, request, bytes, tooLarge, null, null, false);
    }

    private static HttpExchange noResponse(String failure, Throwable cause, boolean retryable) {
        return new HttpExchange(-1, null, null, EMPTY, false, failure, cause, retryable);
    }

    /**
     * Sends a request asynchronously, reading its body with {@link #handler(int, int, Duration)}, and waits at most
     * {@code overallTimeout} for the whole response. On interruption or the overall timeout the exchange is
     * cancelled.
     *
     * @param sendAsync starts the exchange with the body handler it is given, such as
     *     {@code handler -> httpClient.sendAsync(request, handler)}
     * @param cap the most bytes read of a body that is not a success
     * @param successHardCap the most bytes read of a success body
     * @param requestTimeout how long the body may take after the headers
     * @param overallTimeout the bound of the whole exchange
     * @param timeoutText how the request timeout is written in a failure's description
     * @return the response, or the failure to get one
     */
    public static HttpExchange send(
            Function<HttpResponse.BodyHandler<HttpExchange>, CompletableFuture<HttpResponse<HttpExchange>>> sendAsync,
            int cap, int successHardCap, Duration requestTimeout, Duration overallTimeout, String timeoutText) {
        Objects.requireNonNull(sendAsync, "sendAsync");
        Objects.requireNonNull(overallTimeout, "overallTimeout");
        Objects.requireNonNull(timeoutText, "timeoutText");
        CompletableFuture<HttpResponse<HttpExchange>> future =
                sendAsync.apply(handler(cap, successHardCap, requestTimeout));
        try {
            return received(future.get(overallTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return failed(e, timeoutText);
        } catch (TimeoutException e) {
            future.cancel(true);
            return noResponse("no complete response within " + seconds(overallTimeout), e, true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return failed(cause, timeoutText);
        }
    }

    /**
     * Runs a blocking send whose body was read with one of the {@linkplain #handler(int, Duration) handlers}. An
     * unchecked exception it throws is thrown on; an {@link IOException} or {@link InterruptedException} (the
     * thread's interrupt status set again) becomes a failed exchange.
     *
     * @param send the send
     * @param timeoutText how the request timeout is written in a failure's description
     * @return the response, or the failure to get one
     */
    public static HttpExchange await(Callable<HttpResponse<HttpExchange>> send, String timeoutText) {
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(timeoutText, "timeoutText");
        try {
            return received(send.call());
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(e, timeoutText);
        } catch (Exception e) {
            return failed(e, timeoutText);
        }
    }

    private static HttpExchange received(HttpResponse<HttpExchange> response) {
        HttpExchange body = response.body();
        return response(body.status, body.headers, response.request(), body.bytes, body.tooLarge);
    }

    /** Describes a failure to get a response: only the exception's class, never its message (not ours to vouch for). */
    private static HttpExchange failed(Throwable cause, String timeoutText) {
        if (cause instanceof InterruptedException) {
            return noResponse("interrupted while waiting for the response", cause, false);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return noResponse("could not connect within the connect timeout", cause, true);
        }
        if (cause instanceof HttpTimeoutException) {
            return noResponse("no response within the request timeout of " + timeoutText, cause, true);
        }
        if (cause instanceof TimeoutException) {
            return noResponse("the response body did not arrive within the request timeout of " + timeoutText,
                    cause, true);
        }
        if (cause instanceof IOException) {
            return noResponse("I/O error (" + cause.getClass().getName() + ")", cause, true);
        }
        return noResponse("unexpected failure (" + (cause == null ? "unknown" : cause.getClass().getName())
                + ")", cause, false);
    }

    /**
     * Writes a duration in whole seconds ({@code 30 s}) or, when it has a fraction, milliseconds.
     *
     * @param d the duration
     * @return the text
     */
    public static String seconds(Duration d) {
        Objects.requireNonNull(d, "d");
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /**
     * Tells whether a status says that the same request may succeed later: 408, 429 and 5xx.
     *
     * @param status the HTTP status
     * @return whether it is worth a retry
     */
    public static boolean retryableStatus(int status) {
        return status >= 500 || status == 429 || status == 408;
    }

    /**
     * Describes a status that {@link #retryableStatus} accepts, or any other status the server gave with a
     * "try later" code.
     *
     * @param status the HTTP status
     * @param unavailable the description of a failing server, naming it
     * @return {@code too many requests} for 429, {@code the server timed out waiting for the request} for 408,
     *     {@code unavailable} otherwise
     */
    public static String transientDetail(int status, String unavailable) {
        Objects.requireNonNull(unavailable, "unavailable");
        return status == 429 ? "too many requests"
                : status == 408 ? "the server timed out waiting for the request"
                : unavailable;
    }

    /**
     * Tells whether a status is a redirect (3xx), which the library never follows with credentials.
     *
     * @param status the HTTP status
     * @return whether it is 3xx
     */
    public static boolean isRedirect(int status) {
        return status >= 300 && status < 400;
    }

    /**
     * Tells whether this exchange failed before a response came.
     *
     * @return whether there is no response
     */
    public boolean failed() {
        return failure != null;
    }

    /**
     * Describes why no response came, naming no secret and quoting no exception message.
     *
     * @return the description, or {@code null} when there is a response
     */
    public String failure() {
        return failure;
    }

    /**
     * Returns the exception that ended the exchange without a response.
     *
     * @return the cause, or {@code null}
     */
    public Throwable cause() {
        return cause;
    }

    /**
     * Tells whether the failure to get a response is worth a retry: I/O errors and timeouts, not an interruption.
     *
     * @return whether a retry may help
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * Returns the HTTP status.
     *
     * @return the status, or -1 when the exchange {@linkplain #failed() failed}
     */
    public int status() {
        return status;
    }

    /**
     * Tells whether the status is 2xx.
     *
     * @return whether the response is a success
     */
    public boolean success() {
        return status >= 200 && status < 300;
    }

    /**
     * Returns the response headers.
     *
     * @return the headers, or {@code null} when the exchange failed
     */
    public HttpHeaders headers() {
        return headers;
    }

    /**
     * Returns the response's {@code Content-Type}.
     *
     * @return the header's value, or {@code null} when it is absent
     */
    public String contentType() {
        return headers == null ? null : headers.firstValue("Content-Type").orElse(null);
    }

    /**
     * Returns the request that was answered: after a retry, the last one sent.
     *
     * @return the request, or {@code null} when the exchange failed
     */
    public HttpRequest request() {
        return request;
    }

    /**
     * The body, or an empty array when it was {@link #tooLarge()} and abandoned; a body read for
     * {@linkplain #handler(int, int, Duration) recovery} is kept whole even when too large.
     *
     * @return the body's bytes
     */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * Tells whether the body passed the cap and was abandoned.
     *
     * @return whether the body was too large
     */
    public boolean tooLarge() {
        return tooLarge;
    }

    /**
     * Reads an error body's code and message, never failing: the BigLedger envelope's {@code error.code} and
     * {@code error.message}, and with {@code oauth}, also RFC 6749 §5.2's {@code error} and
     * {@code error_description}. Whatever cannot be read is left out; what was read before a break in the JSON is
     * kept.
     *
     * @param body the body
     * @param oauth whether to read the RFC 6749 fields too
     * @return the code and the message, each {@code null} when absent
     */
    public static String[] errorFields(byte[] body, boolean oauth) {
        Objects.requireNonNull(body, "body");
        String code = null;
        String message = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new String[2];
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (oauth && name.equals("error") && value == JsonToken.VALUE_STRING) {
                    code = p.getText();
                } else if (oauth && name.equals("error_description") && value == JsonToken.VALUE_STRING) {
                    message = p.getText();
                } else if (name.equals("error") && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken innerValue = p.nextToken();
                        if (inner.equals("code") && innerValue == JsonToken.VALUE_STRING) {
                            code = p.getText();
                        } else if (inner.equals("message") && innerValue == JsonToken.VALUE_STRING) {
                            message = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            // A broken error body still has a status; keep what was read before the break.
        }
        return new String[] {code, message};
    }

    /**
     * Returns a handler that reads at most {@code cap} bytes of a body, within {@code timeout} of the headers.
     *
     * @param cap the most bytes read
     * @param timeout how long the body may take after the headers
     * @return the handler
     */
    public static HttpResponse.BodyHandler<HttpExchange> handler(int cap, Duration timeout) {
        return handler(cap, cap, timeout);
    }

    /**
     * Returns a handler like {@link #handler(int, Duration)}, except that a success (2xx) body above {@code cap} is
     * still read up to {@code successHardCap} and kept: it is reported {@link #tooLarge()}, but its bytes are there
     * for the caller to recover what must not be lost (a rotated refresh token). Above the hard cap it is abandoned.
     *
     * @param cap the most bytes read of a body that is not a success
     * @param successHardCap the most bytes read of a success body
     * @param timeout how long the body may take after the headers
     * @return the handler
     */
    public static HttpResponse.BodyHandler<HttpExchange> handler(int cap, int successHardCap, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            boolean success = info.statusCode() >= 200 && info.statusCode() < 300;
            int hardCap = success ? Math.max(cap, successHardCap) : cap;
            return new CappedBodySubscriber(info, cap, hardCap, declared > hardCap, timeout);
        };
    }

    /**
     * Returns a subscriber that reads a body like {@link #handler(int, Duration)} and then drops it: for a response
     * that is answered by sending again, whose body must still not hold the caller.
     *
     * @param info the response's status and headers
     * @param cap the most bytes read
     * @param timeout how long the body may take after the headers
     * @param <T> the body type the caller expects
     * @return a subscriber whose body is {@code null}
     */
    public static <T> HttpResponse.BodySubscriber<T> discarding(HttpResponse.ResponseInfo info, int cap,
            Duration timeout) {
        Objects.requireNonNull(info, "info");
        return HttpResponse.BodySubscribers.mapping(handler(cap, timeout).apply(info), body -> null);
    }
}
