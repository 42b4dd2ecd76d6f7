package dev.tollgate.freeze;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a window is open: once, from {@code startsAt} to {@code endsAt}; or recurring, from each start its five-field
 * cron expression gives in its time zone (minute, hour, day of month, month, day of week, as in crontab) for
 * {@code duration}. Occurrences follow the zone's clock, daylight-saving changes included.
 */
public final class WindowSchedule {

    /** One occurrence of a window: open from {@code start} (inclusive) to {@code end} (exclusive). */
    public record Occurrence(Instant start, Instant end) {
        boolean contains(Instant at) {
            return !at.isBefore(start) && at.isBefore(end);
        }
    }

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private WindowSchedule() {
    }

    /** Why {@code cron} is not a five-field cron expression, or null when it is one. */
    public static String cronProblem(String cron) {
        try {
            PARSER.parse(cron).validate();
            return null;
        } catch (IllegalArgumentException e) {
            return "is not a five-field cron expression (minute hour day-of-month month day-of-week): " + e.getMessage();
        }
    }

    /** The occurrence of the window that is open at {@code at}, if one is. */
    public static Optional<Occurrence> openAt(FreezeWindow window, Instant at) {
        if (window.cron == null) {
            Occurrence once = new Occurrence(window.startsAt, window.endsAt);
            return once.contains(at) ? Optional.of(once) : Optional.empty();
        }
        ExecutionTime starts = ExecutionTime.forCron(PARSER.parse(window.cron));
        ZonedDateTime now = at.atZone(ZoneId.of(window.timeZone));
        Duration length = Duration.ofSeconds(window.durationSeconds);
        // An occurrence that started exactly now counts: lastExecution is strictly before its argument.
        Optional<ZonedDateTime> last = starts.isMatch(now.withNano(0)) && now.getSecond() == 0 && now.getNano() == 0
                ? Optional.of(now) : starts.lastExecution(now);
        return last.map(start -> new Occurrence(start.toInstant(), start.toInstant().plus(length)))
                .filter(occurrence -> occurrence.contains(at));
    }

    /** The first start of the window after {@code at}, if it has one. */
    public static Optional<Instant> nextStart(FreezeWindow window, Instant at) {
        if (window.cron == null) {
            return window.startsAt.isAfter(at) ? Optional.of(window.startsAt) : Optional.empty();
        }
        return ExecutionTime.forCron(PARSER.parse(window.cron)).nextExecution(at.atZone(ZoneId.of(window.timeZone)))
                .map(ZonedDateTime::toInstant);
    }
}
