package dev.tollgate.shared;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value read at most once per {@code ttl}, for gauges: a scrape reads several gauges of one query, and a scraper
 * per replica should not turn into a query per gauge per replica. A reading that failed is {@code null}, kept for
 * the same time, so that a database in trouble is asked once per {@code ttl}, not once per gauge; gauges show it
 * as NaN ({@link #valueOr}), never as a reassuring zero.
 */
public final class CachedReading<T> {

    private final Supplier<T> reader;
    private final long ttlNanos;
    private T value;
    private boolean read;
    private long readAt;

    public CachedReading(Supplier<T> read, Duration ttl) {
        this.reader = read;
        this.ttlNanos = ttl.toNanos();
    }

    /** The value, or null when reading it failed. */
    public synchronized T get() {
        long now = System.nanoTime();
        if (!read || now - readAt > ttlNanos) {
            value = reader.get();
            read = true;
            readAt = now;
        }
        return value;
    }

    /** Forgets the value: the next {@link #get} reads again (after a change this instance made). */
    public synchronized void invalidate() {
        read = false;
        value = null;
    }

    /** {@code of} the value, or NaN when reading it failed. */
    public double valueOr(java.util.function.ToDoubleFunction<T> of) {
        T current = get();
        return current == null ? Double.NaN : of.applyAsDouble(current);
    }
}
