package io.charon.bench;

import java.util.Arrays;

/**
 * Summaries of measured values. Percentiles use the nearest-rank method (the value below which
 * p % of the samples lie, always an observed sample), so a p99 of 100 samples is the 99th
 * smallest, not an interpolation that no request ever saw.
 */
final class Stats {

    private Stats() {
    }

    static double median(double[] values) {
        double[] sorted = sorted(values);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]. */
    static double percentile(double[] values, double p) {
        double[] sorted = sorted(values);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Least-squares slope of y over x: how fast a sampled quantity grows, e.g. resident memory in
     * MB per minute. Zero for fewer than two samples.
     */
    static double slope(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return 0;
        }
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    private static double[] sorted(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
