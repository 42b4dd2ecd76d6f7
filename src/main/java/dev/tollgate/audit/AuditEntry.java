package dev.tollgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.shared.CanonicalJson;
import dev.tollgate.shared.Sha256;
import java.time.Instant;

/**
 * One audit entry and its hash. The hash covers the RFC 8785 canonical form of every field and
 * the previous entry's hash; anyone can recompute it from an export (docs/audit.md).
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String subject, String kind, String name,
                         String version, String data, String prevHash, String hash) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The entry's canonical form, the input of its hash. */
    public static String canonical(long seq, Instant at, String actor, String action, String subject, String kind,
                                   String name, String version, String data, String prevHash) {
        try {
            ObjectNode node = JSON.createObjectNode();
            node.put("seq", seq);
            node.put("at", at.toString());
            node.put("actor", actor);
            node.put("action", action);
            node.put("subject", subject);
            node.put("kind", kind);
            node.put("name", name);
            node.put("version", version);
            node.set("data", JSON.readTree(data));
            node.put("prevHash", prevHash);
            return CanonicalJson.canonicalize(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("Audit data is not JSON", e);
        }
    }

    public static String hash(String canonical) {
        return Sha256.hex(canonical);
    }

    /** The hash this entry should have, recomputed from its fields. */
    public String expectedHash() {
        return hash(canonical(seq, at, actor, action, subject, kind, name, version, data, prevHash));
    }

    public JsonNode dataTree() {
        try {
            return JSON.readTree(data);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(data);
        }
    }
}
