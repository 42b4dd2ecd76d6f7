package dev.tollgate.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key (a caller, an address): {@code burst} requests at once, refilled at
 * {@code perSecond}. Kept in memory, per instance. Idle buckets (full again) are dropped when there are
 * more than {@code maxKeys}, so that a flood of new keys cannot grow memory without bound.
 */
final class TokenBuckets {

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }

    private final double perNano;
    private final int burst;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    TokenBuckets(double perSecond, int burst, int maxKeys) {
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.maxKeys = maxKeys;
    }

    /** Takes a token for {@code key}: 0 when there was one, otherwise the whole seconds until there is. */
    long take(String key, long nowNanos) {
        if (buckets.size() > maxKeys) {
            buckets.values().removeIf(b -> refill(b, nowNanos) >= burst);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, nowNanos));
        synchronized (bucket) {
            double tokens = refill(bucket, nowNanos);
            if (tokens >= 1) {
                bucket.tokens = tokens - 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }
    }

    private double refill(Bucket bucket, long nowNanos) {
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (nowNanos - bucket.updated) * perNano);
            bucket.updated = nowNanos;
            return bucket.tokens;
        }
    }
}
