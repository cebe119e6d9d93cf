package com.bigledger.auth.internal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Tees standard error, where the tests' SLF4J simple logger writes, into a buffer while open, so that a test can
 * check what the library reported (a warning given once, the class of an exception). Writes from any thread are
 * kept, so a test reads {@link #text()} once the work it checks is done. Restores the previous stream on
 * {@link #close()}.
 */
public final class StandardErrorCapture implements AutoCloseable {

    private final PrintStream previous = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    public StandardErrorCapture() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                previous.write(b);
                synchronized (buffer) {
                    buffer.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                previous.write(bytes, offset, length);
                synchronized (buffer) {
                    buffer.write(bytes, offset, length);
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** What was written so far. */
    public String text() {
        System.err.flush();
        synchronized (buffer) {
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }

    /** How many times {@code fragment} was written so far. */
    public int count(String fragment) {
        String text = text();
        int count = 0;
        for (int at = text.indexOf(fragment); at >= 0; at = text.indexOf(fragment, at + fragment.length())) {
            count++;
        }
        return count;
    }

    @Override
    public void close() {
        System.err.flush();
        System.setErr(previous);
    }
}
