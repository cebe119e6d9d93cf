package com.bigledger.auth.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Fails any test during which a {@link Canary} value reached standard output, standard error (where SLF4J's
 * simple logger writes), a {@code java.util.logging} record, or the message of an exception the test threw.
 *
 * <p>Registered for every test of every module through JUnit's extension auto-detection (enabled in the build),
 * so the whole suite is a leak scan. The failure message names what leaked where, never the value.
 *
 * <p>An exception a test expects is caught inside the test and never reaches this extension, so tests catch them
 * through {@link LeakAssertions}, which scans what they catch. To keep that true, a test class whose source imports
 * AssertJ's or JUnit's own entry points for expected exceptions fails before its first test.
 */
public final class LeakCheckExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        TestExecutionExceptionHandler {

    private static final java.util.regex.Pattern UNCHECKED_CATCH = java.util.regex.Pattern.compile(
            "org\\.assertj\\.core\\.api\\.Assertions\\.(\\*|(assertThatThrownBy|catchThrowable|catchThrowableOfType"
            + "|assertThatIllegalArgumentException|assertThatIllegalStateException|assertThatNullPointerException"
            + "|assertThatExceptionOfType)\\b)|org\\.junit\\.jupiter\\.api\\.Assertions\\.(\\*|assertThrows\\b)");

    private static final Capture CAPTURE = Capture.install();

    /** Creates the extension; JUnit does this when it is registered or found by the service loader. */
    public LeakCheckExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) throws java.io.IOException {
        Class<?> testClass = context.getRequiredTestClass();
        while (testClass.getEnclosingClass() != null) {
            testClass = testClass.getEnclosingClass();
        }
        // Surefire and failsafe run in the module's folder, where its test sources are.
        java.nio.file.Path source = java.nio.file.Path.of("src", "test", "java",
                testClass.getName().replace('.', '/') + ".java");
        if (java.nio.file.Files.isRegularFile(source)
                && UNCHECKED_CATCH.matcher(java.nio.file.Files.readString(source)).find()) {
            throw new AssertionError(testClass.getName() + " catches expected exceptions with AssertJ's or JUnit's "
                    + "own methods; import them from " + LeakAssertions.class.getName() + ", which checks the "
                    + "caught exception for leaked secrets");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        CAPTURE.reset();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        String captured = CAPTURE.drain();
        if (Canary.leaksIn(captured)) {
            throw new AssertionError("A fake secret value reached the output or the logs during "
                    + context.getDisplayName() + " (value withheld)");
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            if (Canary.leaksIn(t.getMessage()) || Canary.leaksIn(t.toString())) {
                throw new AssertionError("A fake secret value is in the message of a " + t.getClass().getName()
                        + " thrown by " + context.getDisplayName() + " (value withheld)");
            }
        }
        throw throwable;
    }

    /** Tees standard output and error and the JUL root logger into one buffer. */
    private static final class Capture {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        static Capture install() {
            Capture capture = new Capture();
            System.setOut(capture.tee(System.out));
            System.setErr(capture.tee(System.err));
            Logger root = LogManager.getLogManager().getLogger("");
            root.addHandler(new Handler() {
                @Override
                public void publish(LogRecord record) {
                    String line = record.getLoggerName() + " " + record.getMessage() + " "
                            + (record.getParameters() == null ? "" : java.util.Arrays.toString(record.getParameters()))
                            + " " + (record.getThrown() == null ? "" : record.getThrown().toString());
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    capture.append(bytes, 0, bytes.length);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            return capture;
        }

        private PrintStream tee(PrintStream original) {
            return new PrintStream(new OutputStream() {
                @Override
                public void write(int b) {
                    original.write(b);
                    append(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) {
                    original.write(bytes, offset, length);
                    append(bytes, offset, length);
                }

                @Override
                public void flush() {
                    original.flush();
                }
            }, true, StandardCharsets.UTF_8);
        }

        synchronized void append(byte[] bytes, int offset, int length) {
            buffer.write(bytes, offset, Math.min(length, bytes.length - offset));
        }

        synchronized void reset() {
            buffer.reset();
        }

        synchronized String drain() {
            String text = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            return text;
        }
    }
}
