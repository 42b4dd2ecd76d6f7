package dev.tollgate.shared;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * An opaque keyset-paging position: the (time, id) of the last row of a page. Clients pass the
 * {@code next} value back as {@code cursor}; they should not build or parse it.
 */
public record Cursor(Instant at, UUID id) {

    public String encode() {
        String raw = at.toString() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from a request; null stays null, anything malformed is a 400 naming {@code cursor}. */
    public static Cursor decode(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            return new Cursor(Instant.parse(raw.substring(0, bar)), UUID.fromString(raw.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw ProblemException.validation(List.of(new Problem.FieldError("cursor", "is not a cursor this API issued")));
        }
    }

    /** Checks a page size: 1 to {@code max}, {@code fallback} when absent. */
    public static int limit(String requested, int fallback, int max) {
        if (requested == null || requested.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(requested);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1 || value > max) {
            throw ProblemException.validation(List.of(new Problem.FieldError("limit", "must be between 1 and " + max)));
        }
        return value;
    }
}
