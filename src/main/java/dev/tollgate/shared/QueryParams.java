package dev.tollgate.shared;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reading and writing query parameters, the same way for the API and the UI. */
public final class QueryParams {

    private QueryParams() {
    }

    /** The value, or null when it is absent or blank. */
    public static String optional(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** The enum constant named by the value; null when absent; a 400 naming the field and the choices otherwise. */
    public static <E extends Enum<E>> E enumValue(Class<E> type, String field, String value) {
        String given = optional(value);
        if (given == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, given);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new Problem.FieldError(field,
                    "must be one of " + Arrays.toString(type.getEnumConstants()))));
        }
    }

    /**
     * The instant a date-time parameter names: RFC 3339 with an offset ({@code 2026-11-30T09:00:00+01:00}),
     * or without one as the UI's date-time fields send it ({@code 2026-11-30T09:00}, read as UTC); null when
     * absent or blank; a 400 naming the field otherwise. Every date-time parameter of the API and the UI is
     * read here.
     */
    public static Instant instant(String field, String value) {
        String given = optional(value);
        if (given == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(given).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(given).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw ProblemException.validation(List.of(new Problem.FieldError(field, "must be an RFC 3339 date-time "
                        + "such as 2026-11-30T09:00:00+01:00 (one without an offset, such as 2026-11-30T09:00, is UTC)")));
            }
        }
    }

    /** {@code a=1&b=2} from the entries whose value is not null, in the map's order. */
    public static String encode(Map<String, String> parameters) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((key, value) -> {
            if (value != null) {
                query.append(query.isEmpty() ? "" : "&").append(key).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }
}
