package com.bigledger.auth.store.file;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Measures {@link FileCredentialSource#load} throughput on one thread: a vault of ten entries with the default
 * Argon2id cost, one entry read over and over. Not a test; run by hand (the command is in BENCHMARKS.md).
 *
 * <p>Arguments: warm-up seconds, measured iterations, seconds per iteration (defaults 5, 5, 2).
 */
final class ReadThroughput {

    private ReadThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Path folder = Files.createTempDirectory("read-throughput");
        Path file = folder.resolve("vault.blgv");
        try (FileCredentialSource source = seeded(file)) {
            CredentialRef ref = CredentialRef.of("file", "entry_5");
            run(source, ref, warmup * 1_000_000_000L);
            double total = 0;
            for (int i = 0; i < iterations; i++) {
                double rate = run(source, ref, seconds * 1_000_000_000L);
                total += rate;
                System.out.printf("iteration %d: %.0f reads/s%n", i + 1, rate);
            }
            System.out.printf("mean: %.0f reads/s over %d iterations of %d s%n", total / iterations, iterations,
                    seconds);
        } finally {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A source over a new vault of ten entries, with the default Argon2id cost. */
    static FileCredentialSource seeded(Path file) {
        FileCredentialSource source = FileCredentialSource.builder().file(file)
                .passphrase(Secret.of("benchmark passphrase, not a secret")).build();
        for (int i = 0; i < 10; i++) {
            source.write(CredentialRef.of("file", "entry_" + i), Secret.of("value " + i + " ".repeat(64)),
                    Optional.empty());
        }
        return source;
    }

    /** Reads entry_5 of a {@link #seeded} source for about {@code nanos}; returns reads per second. */
    static double readFor(Object source, long nanos) {
        return run((FileCredentialSource) source, CredentialRef.of("file", "entry_5"), nanos);
    }

    private static double run(FileCredentialSource source, CredentialRef ref, long nanos) {
        long start = System.nanoTime();
        long deadline = start + nanos;
        long reads = 0;
        long now;
        do {
            for (int i = 0; i < 100; i++) {
                source.load(ref).secret().destroy();
            }
            reads += 100;
            now = System.nanoTime();
        } while (now < deadline);
        return reads * 1e9 / (now - start);
    }
}
