package com.bigledger.auth.it;

import com.bigledger.auth.testing.Canary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The suite-wide secret-leak scan of the integration tests: every logger runs at TRACE into one file (see
 * {@code logback-test.xml}), {@code java.util.logging} included through the SLF4J bridge installed here, and after
 * each test class the whole file is scanned for every {@link Canary} issued so far, so a server-issued token logged
 * before the test registered it is still found. A hit fails the class, naming the logger and the line number, never
 * the value.
 *
 * <p>Registered for every test class of this module by JUnit's extension auto-detection.
 */
public final class TraceLeakScan implements BeforeAllCallback, AfterAllCallback {

    static {
        // Initialize logback (and with it the JUL level propagation) before anything logs through JUL.
        LoggerFactory.getLogger(TraceLeakScan.class).trace("trace leak scan on");
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.install();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // The static initializer did the work.
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        List<String> hits = scan(file());
        if (!hits.isEmpty()) {
            throw new AssertionError("A fake secret value reached the TRACE log (" + file() + ") by "
                    + context.getDisplayName() + " or before: " + String.join("; ", hits) + " (values withheld)");
        }
        // The reports of the classes that finished before this one (the last class's is written after the run).
        List<String> reportHits = new ArrayList<>();
        for (String folder : new String[] {"failsafe-reports", "surefire-reports"}) {
            Path reports = Path.of("target", folder);
            if (!Files.isDirectory(reports)) {
                continue;
            }
            try (Stream<Path> files = Files.list(reports)) {
                for (Path report : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    for (String hit : scan(report)) {
                        reportHits.add(report + " " + hit);
                    }
                }
            }
        }
        if (!reportHits.isEmpty()) {
            throw new AssertionError("A fake secret value is in a test report: " + String.join("; ", reportHits)
                    + " (values withheld)");
        }
    }

    /** The log file, as {@code logback-test.xml} names it. */
    static Path file() {
        return Path.of(System.getProperty("trace.log", "target/trace/trace.log"));
    }

    /** Every line of {@code file} holding a canary, as "line N (logger L)". */
    static List<String> scan(Path file) throws IOException {
        List<String> hits = new ArrayList<>();
        if (!Files.exists(file)) {
            throw new AssertionError("no TRACE log at " + file.toAbsolutePath());
        }
        // An InputStreamReader replaces malformed bytes instead of failing: reports and logs may hold any bytes.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            String logger = "?";
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.startsWith("@@ ")) {
                    String[] parts = line.split(" ", 4);
                    logger = parts.length > 2 ? parts[2] : "?";
                }
                if (Canary.leaksIn(line)) {
                    hits.add("line " + number + " (logger " + logger + ")");
                    if (hits.size() >= 20) {
                        break;
                    }
                }
            }
        }
        return hits;
    }
}
