package dev.tollgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.shared.CanonicalJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Appends to the hash-chained audit log, in the caller's transaction: the entry exists if and
 * only if the change it records committed.
 *
 * <p>An append only collects the entry. The transaction's entries are chained and written at its very
 * end, just before the commit (a JTA synchronization that runs after Hibernate's flush): only then does
 * the transaction take the chain head's row lock, which serializes appends and keeps the sequence
 * gapless. So no transaction holds the head while it waits for anything else, and every lock a change
 * takes comes before the head (docs/operations.md, "Locks").
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

    private record Pending(String actor, String action, Subject subject, String data) {
    }

    private static final Object PENDING = new Object();

    private final TransactionSynchronizationRegistry transactions;
    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;

    AuditLog(TransactionSynchronizationRegistry transactions, DataSource dataSource, ObjectMapper json, Clock clock) {
        this.transactions = transactions;
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    /** Adds an entry to this transaction's; it is chained and stored when the transaction commits. */
    public void append(String actor, String action, Subject subject, Map<String, Object> data) {
        pending().add(new Pending(actor, action, subject, CanonicalJson.canonicalize(json.valueToTree(data))));
    }

    @SuppressWarnings("unchecked")
    private List<Pending> pending() {
        List<Pending> pending = (List<Pending>) transactions.getResource(PENDING);
        if (pending == null) {
            List<Pending> created = new ArrayList<>();
            transactions.putResource(PENDING, created);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    seal(created);
                }

                @Override
                public void afterCompletion(int status) {
                    // nothing to undo: the entries were written in the transaction, and rolled back with it
                }
            });
            pending = created;
        }
        return pending;
    }

    /** Chains and writes the entries, on the transaction's own connection, holding the head until the commit. */
    private void seal(List<Pending> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            long seq;
            String previous;
            try (PreparedStatement head = c.prepareStatement("select seq, hash from audit_head where id = 1 for update");
                 ResultSet rs = head.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
                previous = rs.getString(2).trim();
            }
            Instant at = clock.instant();
            try (PreparedStatement insert = c.prepareStatement("""
                    insert into audit_entry (seq, at, actor, action, subject, kind, name, version, data, prev_hash, hash)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                for (Pending p : entries) {
                    seq++;
                    String hash = AuditEntry.hash(AuditEntry.canonical(seq, at, p.actor(), p.action(), p.subject().id(),
                            p.subject().kind(), p.subject().name(), p.subject().version(), p.data(), previous));
                    insert.setLong(1, seq);
                    insert.setTimestamp(2, Timestamp.from(at));
                    insert.setString(3, p.actor());
                    insert.setString(4, p.action());
                    insert.setString(5, p.subject().id());
                    insert.setString(6, p.subject().kind());
                    insert.setString(7, p.subject().name());
                    insert.setString(8, p.subject().version());
                    insert.setString(9, p.data());
                    insert.setString(10, previous);
                    insert.setString(11, hash);
                    insert.addBatch();
                    previous = hash;
                }
                insert.executeBatch();
            }
            try (PreparedStatement head = c.prepareStatement("update audit_head set seq = ?, hash = ? where id = 1")) {
                head.setLong(1, seq);
                head.setString(2, previous);
                head.executeUpdate();
            }
            entries.clear();
        } catch (SQLException e) {
            // Thrown from beforeCompletion, this rolls the whole transaction back: no change without its entry.
            throw new IllegalStateException("Could not write the audit entries of this transaction", e);
        }
    }
}
