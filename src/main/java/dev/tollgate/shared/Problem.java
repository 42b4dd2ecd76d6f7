package dev.tollgate.shared;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem detail, the body of every error response.
 *
 * @param type     stable URI naming the kind of problem; clients switch on it
 * @param instance the request path the problem occurred on
 * @param errors   one entry per invalid field, for validation problems
 * @param extra    further members specific to the problem type (for example {@code candidateId})
 */
public record Problem(URI type, String title, int status, String detail, String instance,
                      List<FieldError> errors, Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: its path in the request body and what is wrong with it. */
    public record FieldError(String field, String message) {
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, List.of(), Map.of());
    }

    /** The JSON members in the order RFC 9457 lists them, extension members last. */
    public Map<String, Object> toJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.toString());
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (instance != null) {
            body.put("instance", instance);
        }
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        extra.forEach(body::putIfAbsent);
        return body;
    }
}
