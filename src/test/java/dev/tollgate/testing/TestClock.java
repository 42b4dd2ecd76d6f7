package dev.tollgate.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock a test moves forward, for the test profiles that enable it (the application's own clock otherwise): time
 * the application reads is the machine's plus what the test added, in microseconds as the real one.
 */
@Alternative
@ApplicationScoped
public class TestClock {

    private static final AtomicReference<Duration> AHEAD = new AtomicReference<>(Duration.ZERO);

    /** Moves the application's time forward by {@code by}. */
    public static void advance(Duration by) {
        AHEAD.accumulateAndGet(by, Duration::plus);
    }

    /** Back to the machine's time. */
    public static void reset() {
        AHEAD.set(Duration.ZERO);
    }

    /** The application's time now. */
    public static Instant now() {
        return Instant.now().plus(AHEAD.get()).truncatedTo(ChronoUnit.MICROS);
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now();
            }
        };
    }
}
