package dev.tollgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.shared.CanonicalJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Appends to the hash-chained audit log, in the caller's transaction: the entry exists if and
 * only if the change it records committed. Appends take the chain head's row lock, so they are
 * serialized and the sequence has no gaps.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class AuditLog {

    /** The actor of entries that Tollgate writes on its own behalf. */
    public static final String SYSTEM = "tollgate";

    /** What an entry is about: a candidate (all fields) or nothing in particular (all null). */
    public record Subject(String id, String kind, String name, String version) {
        public static final Subject NONE = new Subject(null, null, null, null);
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    AuditLog(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    public AuditEntry append(String actor, String action, Subject subject, Map<String, Object> data) {
        Object[] head = (Object[]) em.createNativeQuery("select seq, hash from audit_head where id = 1 for update")
                .getSingleResult();
        long seq = ((Number) head[0]).longValue() + 1;
        String prevHash = ((String) head[1]).trim();
        Instant at = clock.instant();
        String canonicalData = CanonicalJson.canonicalize(json.valueToTree(data));
        String hash = AuditEntry.hash(AuditEntry.canonical(seq, at, actor, action, subject.id(), subject.kind(),
                subject.name(), subject.version(), canonicalData, prevHash));
        em.createNativeQuery("""
                        insert into audit_entry (seq, at, actor, action, subject, kind, name, version, data, prev_hash, hash)
                        values (:seq, :at, :actor, :action, :subject, :kind, :name, :version, :data, :prev, :hash)""")
                .setParameter("seq", seq).setParameter("at", at).setParameter("actor", actor)
                .setParameter("action", action).setParameter("subject", subject.id())
                .setParameter("kind", subject.kind()).setParameter("name", subject.name())
                .setParameter("version", subject.version()).setParameter("data", canonicalData)
                .setParameter("prev", prevHash).setParameter("hash", hash)
                .executeUpdate();
        em.createNativeQuery("update audit_head set seq = :seq, hash = :hash where id = 1")
                .setParameter("seq", seq).setParameter("hash", hash).executeUpdate();
        return new AuditEntry(seq, at, actor, action, subject.id(), subject.kind(), subject.name(), subject.version(),
                canonicalData, prevHash, hash);
    }
}
