package dev.tollgate.web;

import dev.tollgate.events.EventTypes;
import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the pages write times and numbers: UTC to the minute (the full instant is in the datetime attribute). */
@TemplateExtension(namespace = "fmt")
public final class Formats {

    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Formats() {
    }

    static String at(Instant instant) {
        return instant == null ? "—" : MINUTE.format(instant);
    }

    /** An event type without the CloudEvents namespace: {@code dev.tollgate.promotion.approved} reads {@code approved}. */
    static String event(String type) {
        if (type == null) {
            return "";
        }
        return type.startsWith(EventTypes.PROMOTION_PREFIX) ? type.substring(EventTypes.PROMOTION_PREFIX.length()) : type;
    }

    /** A metric value: up to four decimals, no trailing zeros. */
    static String number(Double value) {
        if (value == null) {
            return "—";
        }
        String text = String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }
}
