package com.bigledger.auth.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * How a {@link FakeTokenEndpoint.Response} goes on the wire, with its scripted faults: a hold-up before anything is
 * sent, a body that stalls part way, a declared length that is never met, a broken connection.
 *
 * <p>Not thread-safe while being configured, like the response that owns it.
 */
final class ScriptedDelivery {

    private CountDownLatch holdUntil;
    private CountDownLatch stallUntil;
    private int stallAfter;
    private boolean disconnect;
    private int declaredLength = -1;

    /** Closes the connection after what is sent, or at once when there is no body. */
    void disconnect() {
        disconnect = true;
    }

    /** Declares a length larger than the body sent, then closes the connection. */
    void cutOff(int declaredLength) {
        this.declaredLength = declaredLength;
        disconnect = true;
    }

    void holdUntil(CountDownLatch release) {
        holdUntil = release;
    }

    void stallBodyAfter(int bytes, CountDownLatch release) {
        stallAfter = bytes;
        stallUntil = release;
    }

    void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
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
}
