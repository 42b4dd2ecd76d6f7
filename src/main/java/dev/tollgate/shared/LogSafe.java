package dev.tollgate.shared;

/**
 * Makes text from outside (header values, identifiers, field names) safe to put in a log line or an
 * error message: control characters, separators and unpaired surrogates become {@code \\uXXXX}, so that
 * no input can forge a log line or hide in one, and long values are cut with their length noted.
 */
public final class LogSafe {

    static final int MAX = 200;

    private LogSafe() {
    }

    public static String of(String value) {
        if (value == null) {
            return "null";
        }
        int end = Math.min(value.length(), MAX);
        StringBuilder out = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
            if (c == '\\') {
                out.append("\\\\");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.isSurrogate(c) && !pairedSurrogate) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > MAX) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
