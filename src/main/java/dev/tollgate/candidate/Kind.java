package dev.tollgate.candidate;

import java.util.Arrays;
import java.util.Optional;

public enum Kind {
    MODEL, PROMPT;

    /** The kind {@code value} names exactly ({@code MODEL} or {@code PROMPT}); empty for anything else, null included. */
    public static Optional<Kind> parse(String value) {
        return Arrays.stream(values()).filter(k -> k.name().equals(value)).findFirst();
    }
}
