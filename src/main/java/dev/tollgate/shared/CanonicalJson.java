package dev.tollgate.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The JSON Canonicalization Scheme of RFC 8785: object members sorted by their UTF-16 code
 * units, no insignificant whitespace, minimal string escapes, and numbers written as ECMAScript
 * writes an IEEE 754 double. A PROMPT candidate's digest is the SHA-256 of this form.
 *
 * <p>RFC 8785 takes I-JSON (RFC 7493) only, and so does {@link #canonicalize}: a number that no
 * IEEE 754 double holds exactly (2^53 + 1, or 0.1 written with 20 digits) and an unpaired surrogate are
 * refused, because two different documents would otherwise share one canonical form and one digest.
 * Numbers are only exact if the tree was read with {@code USE_BIG_DECIMAL_FOR_FLOATS}, as
 * {@link JsonBodies} reads request bodies.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    /** The canonical form; IllegalArgumentException when the tree is not I-JSON. */
    public static String canonicalize(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, true);
        return out.toString();
    }

    /** {@code sha256:<64 hex>} of the canonical form; IllegalArgumentException when the tree is not I-JSON. */
    public static String sha256(JsonNode node) {
        return sha256(canonicalize(node).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A digest of a request body that ignores layout and member order, for recognising a repeated request
     * (Idempotency-Key). Unlike {@link #sha256(JsonNode)} it accepts any JSON: numbers count as the double
     * they read as.
     */
    public static String fingerprint(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, false);
        return sha256(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256(byte[] bytes) {
        return "sha256:" + Sha256.hex(bytes);
    }

    private static void write(JsonNode node, StringBuilder out, boolean strict) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                node.fieldNames().forEachRemaining(names::add);
                names.sort(String::compareTo); // String.compareTo compares UTF-16 code units, as RFC 8785 asks
                out.append('{');
                for (int i = 0; i < names.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    writeString(names.get(i), out, strict);
                    out.append(':');
                    write(node.get(names.get(i)), out, strict);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                Iterator<JsonNode> items = node.elements();
                boolean first = true;
                while (items.hasNext()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(items.next(), out, strict);
                }
                out.append(']');
            }
            case STRING -> writeString(node.textValue(), out, strict);
            case NUMBER -> out.append(strict ? exactNumber(node) : number(node.doubleValue()));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("Not representable in JSON: " + node.getNodeType());
        }
    }

    private static void writeString(String s, StringBuilder out, boolean strict) {
        if (strict && hasUnpairedSurrogate(s)) {
            throw new IllegalArgumentException("a string contains an unpaired surrogate; RFC 8785 takes only I-JSON");
        }
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * The decimal ECMAScript writes for a positive finite double (ECMA-262, 7.1.12.1, step 5): the fewest
     * significant digits that read back as {@code value}; of those, the one closest to it; of two equally close,
     * the even one. Java 17's Double.toString does not always give the fewest digits (1.9999999999999998E23 for
     * 2e+23), so the length is searched for here.
     *
     * <p>The decimals that read as {@code value} form an interval around its exact binary value. So of the
     * decimals with a given number of digits, only the two on either side of the exact value can read back as
     * it, and if one of k digits does, so does the one of k + 1 digits on the same side (it lies between the two).
     * The fewest digits are therefore found by bisection, between one and the length of Double.toString's answer
     * (which reads back), or 17, which always does.
     */
    private static BigDecimal shortestDecimal(double value) {
        BigDecimal exact = new BigDecimal(value);
        int high = new BigDecimal(Double.toString(value)).stripTrailingZeros().precision();
        BigDecimal found = high < 17 ? readingBack(exact, value, high) : null;
        if (found == null) {
            high = 17;
            found = readingBack(exact, value, high);
        }
        int low = 1;
        if (high > 1) {
            // Usually Double.toString's length is already the fewest: one look below it settles that.
            BigDecimal shorter = readingBack(exact, value, high - 1);
            if (shorter == null) {
                low = high;
            } else {
                high--;
                found = shorter;
            }
        }
        while (low < high) {
            int digits = (low + high) >>> 1;
            BigDecimal candidate = readingBack(exact, value, digits);
            if (candidate == null) {
                low = digits + 1;
            } else {
                high = digits;
                found = candidate;
            }
        }
        return found.stripTrailingZeros();
    }

    /** The decimal of {@code digits} significant digits closest to {@code exact} that reads back as {@code value}, or null. */
    private static BigDecimal readingBack(BigDecimal exact, double value, int digits) {
        BigDecimal nearest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        if (nearest.doubleValue() == value) {
            return nearest;
        }
        RoundingMode otherSide = nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR;
        BigDecimal other = exact.round(new MathContext(digits, otherSide));
        return other.doubleValue() == value ? other : null;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** The number as RFC 8785 writes it, refusing one that no double holds exactly (I-JSON, RFC 7493 section 2.2). */
    private static String exactNumber(JsonNode node) {
        BigDecimal exact = node.decimalValue();
        double value = exact.doubleValue();
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("the number " + LogSafe.of(exact.toString())
                    + " is beyond the range of an IEEE 754 double; RFC 8785 takes only I-JSON");
        }
        boolean exactlyHeld = value == 0 ? exact.signum() == 0
                : shortestDecimal(Math.abs(value)).compareTo(exact.abs()) == 0;
        if (!exactlyHeld) {
            throw new IllegalArgumentException("the number " + LogSafe.of(exact.toString())
                    + " has no exact IEEE 754 double (it would read as " + number(value)
                    + "); RFC 8785 takes only I-JSON");
        }
        return number(value);
    }

    /** ECMAScript's Number.prototype.toString for finite doubles (ECMA-262, 7.1.12.1). */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("JSON numbers must be finite");
        }
        if (value == 0) {
            return "0";
        }
        // Shortest decimal that round-trips, as digits and exponent: value = 0.d1d2...dk × 10^n
        BigDecimal shortest = shortestDecimal(Math.abs(value));
        String digits = shortest.unscaledValue().toString().replaceFirst("0+$", "");
        int n = shortest.precision() - shortest.scale();
        int k = digits.length();
        StringBuilder out = new StringBuilder(value < 0 ? "-" : "");
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits.substring(n));
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits.substring(1));
            }
            out.append('e').append(exponent < 0 ? "-" : "+").append(Math.abs(exponent));
        }
        return out.toString();
    }
}
