package dev.tollgate.shared;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for text that Tollgate stores: PostgreSQL's {@code text} cannot hold U+0000, and an
 * unpaired UTF-16 surrogate has no UTF-8 form (the driver would silently replace it). Every boundary
 * applies this rule before anything is written: JSON bodies ({@link JsonBodies}), path and query
 * parameters ({@link UnstorableTextFilter}), the UI's form fields and every inbound Kafka record.
 */
public final class StoredText {

    private StoredText() {
    }

    /** Why {@code value} cannot be stored, or null when it can (null itself can). */
    public static String problem(String value) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\u0000') {
                return "contains a NUL character (U+0000), which cannot be stored";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase() + "), which is not text";
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase() + "), which is not text";
            }
        }
        return null;
    }

    /**
     * Why {@code value} is not a required text of at most {@code max} characters that can be stored, or null when it
     * is one.
     */
    public static String requiredProblem(String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            return "is required, at most " + max + " characters";
        }
        return problem(value);
    }

    /** Refuses (400 naming {@code field}) a value that cannot be stored. */
    public static void require(String field, String value) {
        String problem = problem(value);
        if (problem != null) {
            throw ProblemException.validation(List.of(new Problem.FieldError(LogSafe.of(field), problem)));
        }
    }

    /** The first field of a JSON tree, key or value, that cannot be stored, with its path. */
    public static Optional<Problem.FieldError> firstProblem(JsonNode tree) {
        return firstProblem(tree, "");
    }

    private static Optional<Problem.FieldError> firstProblem(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = problem(node.textValue());
            return problem == null ? Optional.empty()
                    : Optional.of(new Problem.FieldError(path.isEmpty() ? "(body)" : path, problem));
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = path.isEmpty() ? LogSafe.of(field.getKey()) : path + "." + LogSafe.of(field.getKey());
                String keyProblem = problem(field.getKey());
                if (keyProblem != null) {
                    return Optional.of(new Problem.FieldError(at, "the field name " + keyProblem));
                }
                Optional<Problem.FieldError> inside = firstProblem(field.getValue(), at);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<Problem.FieldError> inside = firstProblem(node.get(i), path + "." + i);
                if (inside.isPresent()) {
                    return inside;
                }
            }
        }
        return Optional.empty();
    }
}
