package dev.tollgate.shared;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.time.Duration;

/** The clock every service reads, so that tests can reason about time without sleeping. */
@ApplicationScoped
public class Clocks {

    /** Ticks in microseconds, PostgreSQL's precision, so that a stored instant reads back equal. */
    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
    }
}
