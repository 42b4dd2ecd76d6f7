package dev.tollgate.freeze;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** When windows are open, read at fixed instants: the test's clock, never the machine's. */
class WindowScheduleTest {

    private static FreezeWindow weekend() {
        FreezeWindow w = new FreezeWindow();
        w.name = "weekend";
        w.effect = FreezeWindow.Effect.DENY;
        w.cron = "0 18 * * 5"; // Fridays 18:00 ...
        w.durationSeconds = 62L * 3600; // ... to Mondays 08:00
        w.timeZone = "Europe/Paris";
        return w;
    }

    private static Instant paris(String localDateTime) {
        return ZonedDateTime.parse(localDateTime + "+01:00[Europe/Paris]").toInstant();
    }

    @Test
    void aRecurringWindowIsOpenFromEachStartForItsDurationInItsTimeZone() {
        FreezeWindow weekend = weekend();

        assertThat(WindowSchedule.openAt(weekend, paris("2026-12-12T12:00"))).hasValueSatisfying(o -> {
            assertThat(o.start()).isEqualTo(paris("2026-12-11T18:00"));
            assertThat(o.end()).isEqualTo(paris("2026-12-14T08:00"));
        });
        assertThat(WindowSchedule.openAt(weekend, paris("2026-12-11T18:00"))).as("its first instant").isPresent();
        assertThat(WindowSchedule.openAt(weekend, paris("2026-12-11T17:59"))).isEmpty();
        assertThat(WindowSchedule.openAt(weekend, paris("2026-12-14T08:00"))).as("its end is not in it").isEmpty();
        assertThat(WindowSchedule.nextStart(weekend, paris("2026-12-14T09:00"))).hasValue(paris("2026-12-18T18:00"));
    }

    @Test
    void occurrencesFollowTheZonesClockAcrossADaylightSavingChange() {
        FreezeWindow weekend = weekend();
        // Paris moves to summer time on 2027-03-28: Friday 18:00 is 17:00 UTC before, 16:00 UTC after.
        assertThat(WindowSchedule.nextStart(weekend, Instant.parse("2027-03-22T00:00:00Z")))
                .hasValue(Instant.parse("2027-03-26T17:00:00Z"));
        assertThat(WindowSchedule.nextStart(weekend, Instant.parse("2027-03-29T00:00:00Z")))
                .hasValue(Instant.parse("2027-04-02T16:00:00Z"));
    }

    @Test
    void aOneOffWindowIsOpenBetweenItsStartAndItsEnd() {
        FreezeWindow yearEnd = new FreezeWindow();
        yearEnd.startsAt = Instant.parse("2026-12-23T17:00:00Z");
        yearEnd.endsAt = Instant.parse("2027-01-04T07:00:00Z");

        assertThat(WindowSchedule.openAt(yearEnd, Instant.parse("2026-12-31T00:00:00Z"))).isPresent();
        assertThat(WindowSchedule.openAt(yearEnd, Instant.parse("2027-01-04T07:00:00Z"))).isEmpty();
        assertThat(WindowSchedule.nextStart(yearEnd, Instant.parse("2026-12-01T00:00:00Z"))).hasValue(yearEnd.startsAt);
        assertThat(WindowSchedule.nextStart(yearEnd, Instant.parse("2026-12-24T00:00:00Z"))).isEmpty();
    }

    @Test
    void onlyFiveFieldCronExpressionsAreTaken() {
        assertThat(WindowSchedule.cronProblem("0 18 * * 5")).isNull();
        assertThat(WindowSchedule.cronProblem("0 0 18 * * ?")).isNotNull();
        assertThat(WindowSchedule.cronProblem("every friday")).isNotNull();
        assertThat(WindowSchedule.cronProblem("61 18 * * 5")).isNotNull();
    }
}
