package com.bigledger.auth.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK HTTP server on 127.0.0.1 and a free port, serving on daemon threads: the transport under the fakes that
 * speak real HTTP ({@link FakeTokenEndpoint}, {@link FakeBigLedgerApi}).
 *
 * <p>Thread-safe once serving.
 */
final class LoopbackHttp {

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds the server, not yet serving.
     *
     * @param threadName the name of the server's threads
     * @param what what the server is, for the failure's message
     * @throws UncheckedIOException if the server cannot bind
     */
    LoopbackHttp(String threadName, String what) {
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("Could not start the " + what, e);
        }
    }

    /** Serves every path with {@code handler}. */
    void serve(HttpHandler handler) {
        server.createContext("/", handler);
        server.setExecutor(executor);
        server.start();
    }

    /** The server's root, {@code http://127.0.0.1:PORT}, without a trailing slash. */
    String root() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Stops the server at once, closing open connections and interrupting the handlers. */
    void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
