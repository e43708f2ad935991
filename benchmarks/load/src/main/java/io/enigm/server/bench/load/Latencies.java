package io.enigm.server.bench.load;

import java.util.Arrays;

/** Latencies in nanoseconds, possibly negative, and their percentiles. */
final class Latencies {

    private long[] values = new long[1024];
    private int count;

    void add(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    int count() {
        return count;
    }

    /** How many are below zero. */
    long negative() {
        return Arrays.stream(values, 0, count).filter(value -> value < 0).count();
    }

    /** "p50 … ms, p99 … ms, max … ms" by the nearest-rank method, or "none" without values. */
    String summary() {
        if (count == 0) {
            return "none";
        }
        long[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms", rank(sorted, 0.50) / 1e6,
                rank(sorted, 0.99) / 1e6, sorted[count - 1] / 1e6);
    }

    private static long rank(long[] sorted, double quantile) {
        return sorted[Math.max(0, (int) Math.ceil(quantile * sorted.length) - 1)];
    }
}
