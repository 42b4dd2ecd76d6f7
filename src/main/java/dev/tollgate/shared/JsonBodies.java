package dev.tollgate.shared;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Strict parsing of request bodies. Resources take the raw bytes and call this, so that the size
 * limit, unknown fields, duplicate keys, wrong types and text the database cannot hold ({@link StoredText})
 * all become problems that name the field.
 */
public final class JsonBodies {

    /** The largest request body the API accepts: 1 MiB. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Numbers as written, so that a prompt's RFC 8785 digest can refuse one that no double holds exactly.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .findAndAddModules()
            .build();

    private JsonBodies() {
    }

    public static <T> T parse(byte[] body, Class<T> type) {
        return bind(tree(body), type);
    }

    /** Parses a body to a tree, refusing empty, oversized, non-object and malformed bodies. */
    public static JsonNode tree(byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "The request body is empty");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "The request body is " + body.length + " bytes; the limit is " + MAX_BODY_BYTES);
        }
        try {
            JsonNode node = STRICT.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ProblemException(ProblemType.MALFORMED_JSON, "The request body must be a JSON object");
            }
            StoredText.firstProblem(node).ifPresent(error -> {
                throw ProblemException.validation(List.of(error));
            });
            return node;
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON,
                    "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "The request body could not be read");
        }
    }

    /** Maps a tree onto a record, turning Jackson's complaints into field errors. */
    public static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return STRICT.treeToValue(node, type);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.validation(List.of(new Problem.FieldError(path(e), "unknown field")));
        } catch (JsonMappingException e) {
            throw ProblemException.validation(List.of(new Problem.FieldError(path(e),
                    "has the wrong type: " + e.getOriginalMessage().split("\n")[0])));
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, e.getMessage());
        }
    }

    private static String path(JsonMappingException e) {
        String joined = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("."));
        return joined.isEmpty() ? "(body)" : joined;
    }

    public static ObjectMapper mapper() {
        return STRICT;
    }

    public static Map<String, Object> toMap(JsonNode node) {
        return STRICT.convertValue(node, new com.fasterxml.jackson.core.type.TypeReference<>() {
        });
    }
}
