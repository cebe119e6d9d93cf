package com.bigledger.auth.store.file;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads each build of the file store in its own class loader and reads from each in turn, 1 s slices, so that the
 * machine's load falls on all alike. Not a test; run by hand (BENCHMARKS.md). Arguments: rounds, then
 * {@code name=classpath} for each build, each class path holding that build's {@link ReadThroughput}.
 */
final class AlternatingReads {

    private AlternatingReads() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int n = args.length - 1;
        String[] names = new String[n];
        Method[] read = new Method[n];
        Object[] sources = new Object[n];
        for (int i = 0; i < n; i++) {
            names[i] = args[i + 1].substring(0, args[i + 1].indexOf('='));
            String[] parts = args[i + 1].substring(args[i + 1].indexOf('=') + 1).split(":");
            URL[] urls = new URL[parts.length];
            for (int j = 0; j < parts.length; j++) {
                urls[j] = Path.of(parts[j]).toUri().toURL();
            }
            ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            Class<?> harness = loader.loadClass("com.bigledger.auth.store.file.ReadThroughput");
            Method seeded = harness.getDeclaredMethod("seeded", Path.class);
            seeded.setAccessible(true);
            sources[i] = seeded.invoke(null, Files.createTempDirectory("ab-" + names[i]).resolve("vault.blgv"));
            read[i] = harness.getDeclaredMethod("readFor", Object.class, long.class);
            read[i].setAccessible(true);
        }
        for (int w = 0; w < 3; w++) {
            for (int i = 0; i < n; i++) {
                read[i].invoke(null, sources[i], 1_000_000_000L);
            }
        }
        List<List<Double>> rates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rates.add(new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < n; i++) {
                rates.get(i).add((Double) read[i].invoke(null, sources[i], 1_000_000_000L));
            }
        }
        for (int i = 0; i < n; i++) {
            double[] sorted = rates.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("%-8s median %6.0f reads/s  (min %6.0f, max %6.0f, %d slices of 1 s)%n", names[i],
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], sorted.length);
        }
    }
}
