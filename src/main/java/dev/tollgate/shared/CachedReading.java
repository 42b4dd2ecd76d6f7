package dev.tollgate.shared;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code ttl}, for gauges: a scrape reads several gauges of one query, and a scraper
 * per replica should not turn into a query per gauge per replica.
 */
public final class CachedReading<T> {

    private final Supplier<T> read;
    private final long ttlNanos;
    private T value;
    private long readAt;

    public CachedReading(Supplier<T> read, Duration ttl) {
        this.read = read;
        this.ttlNanos = ttl.toNanos();
    }

    public synchronized T get() {
        long now = System.nanoTime();
        if (value == null || now - readAt > ttlNanos) {
            value = read.get();
            readAt = now;
        }
        return value;
    }
}
