package dev.tollgate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latencies of one step: how many, how fast, and the percentiles, in milliseconds. */
final class Stats {

    private final String name;
    private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

    Stats(String name) {
        this.name = name;
    }

    void record(long elapsedNanos) {
        nanos.add(elapsedNanos);
    }

    int count() {
        return nanos.size();
    }

    double percentileMillis(double p) {
        List<Long> sorted;
        synchronized (nanos) {
            sorted = new ArrayList<>(nanos);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    String line(double seconds) {
        return String.format("  %-34s %7d  %9.1f/s  p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms", name, count(),
                count() / seconds, percentileMillis(50), percentileMillis(99), percentileMillis(100));
    }
}
