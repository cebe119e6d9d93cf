package com.bigledger.auth.benchmarks;

import java.util.Arrays;

/**
 * Counts latencies in buckets of about 3% width (32 per power of two), with the exact maximum; recording does not
 * allocate. Not thread-safe: one per thread, {@linkplain #add merged} at the end.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;

    private final long[] counts = new long[(65 - SUB_BITS) * SUB];
    private long total;
    private long max;

    void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        total++;
        if (v > max) {
            max = v;
        }
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    long count() {
        return total;
    }

    long max() {
        return max;
    }

    /** How many recorded values are above {@code nanos} (to bucket precision). */
    long countAbove(long nanos) {
        int from = index(nanos) + 1;
        return Arrays.stream(counts, Math.min(from, counts.length), counts.length).sum();
    }

    /** The value at quantile {@code q} (0..1), as the upper bound of its bucket, never above the maximum. */
    long percentile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return Math.min(max, upperBound(i));
            }
        }
        return max;
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BITS)) - SUB;
        return (exponent - SUB_BITS + 1) * SUB + sub;
    }

    private static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = index / SUB + SUB_BITS - 1;
        int sub = index % SUB;
        return ((long) (SUB + sub + 1) << (exponent - SUB_BITS)) - 1;
    }
}
