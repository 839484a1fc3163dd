package io.charon.bench;

import java.util.Arrays;

/**
 * A growable list of measured durations in nanoseconds, cheap enough to record every request of
 * a 100,000-job run; read out in milliseconds for {@link Stats}.
 */
final class Samples {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized void addAll(Samples other) {
        long[] theirs = other.nanos();
        for (long value : theirs) {
            add(value);
        }
    }

    synchronized int size() {
        return size;
    }

    synchronized long[] nanos() {
        return Arrays.copyOf(values, size);
    }

    synchronized double[] millis() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = values[i] / 1e6;
        }
        return out;
    }

    double percentileMillis(double p) {
        return Stats.percentile(millis(), p);
    }

    /** The sum: for samples taken one after another, the time they took together. */
    synchronized double totalMillis() {
        long total = 0;
        for (int i = 0; i < size; i++) {
            total += values[i];
        }
        return total / 1e6;
    }

    double medianMillis() {
        return Stats.median(millis());
    }
}
