package com.bigledger.auth.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** Formatting for the harness's Markdown output, and the facts about the machine a run was made on. */
final class Report {

    private Report() {
    }

    /** Prints the machine: cores, CPU model, JVM, and the load average now. */
    static void machine() {
        System.out.println("| machine | |");
        System.out.println("|---|---|");
        System.out.println("| cores (`nproc`) | " + Runtime.getRuntime().availableProcessors() + " |");
        cpuModel().ifPresent(model -> System.out.println("| CPU | " + model + " |"));
        System.out.println("| JVM | " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " |");
        System.out.println("| OS | " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + " |");
        System.out.println("| max heap | " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB |");
        System.out.println("| load average at start (1 min) | " + load() + " |");
        System.out.println();
    }

    /** The one-minute load average, as text. */
    static String load() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
    }

    /** The heap in use after three rounds of {@code System.gc()}, 200 ms apart. */
    static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** A size in mebibytes, one decimal. */
    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A duration in nanoseconds, in the unit that reads best: {@code 83 ns}, {@code 12.3 µs}, {@code 4.56 ms}. */
    static String time(long nanos) {
        if (nanos < 10_000) {
            return nanos + " ns";
        }
        if (nanos < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        if (nanos < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** Milliseconds with one decimal. */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** Seconds with two decimals. */
    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
