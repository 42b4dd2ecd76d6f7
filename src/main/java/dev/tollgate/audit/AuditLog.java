package dev.tollgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.shared.CanonicalJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Appends to the hash-chained audit log, in the caller's transaction: the entry exists if and
 * only if the change it records committed.
 *
 * <p>An append only collects the entry. The transaction's entries are written at its very end, just
 * before the commit (a JTA synchronization that runs after Hibernate's flush), in one batch and
 * <em>unsealed</em>: without sequence number, time or hash, and without any lock that other writers share.
 * {@link AuditSealer} chains them once they are committed (ADR 0010).
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

    /** Adds an entry to this transaction's; it is stored when the transaction commits, and sealed after. */
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
                    write(created);
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

    /** Writes the entries unsealed, in one batch, on the transaction's own connection. */
    private void write(List<Pending> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("""
                     insert into audit_entry (written_at, actor, action, subject, kind, name, version, data)
                     values (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            Timestamp writtenAt = Timestamp.from(clock.instant());
            for (Pending p : entries) {
                insert.setTimestamp(1, writtenAt);
                insert.setString(2, p.actor());
                insert.setString(3, p.action());
                insert.setString(4, p.subject().id());
                insert.setString(5, p.subject().kind());
                insert.setString(6, p.subject().name());
                insert.setString(7, p.subject().version());
                insert.setString(8, p.data());
                insert.addBatch();
            }
            insert.executeBatch();
            entries.clear();
        } catch (SQLException e) {
            // Thrown from beforeCompletion, this rolls the whole transaction back: no change without its entry.
            throw new IllegalStateException("Could not write the audit entries of this transaction", e);
        }
    }
}
