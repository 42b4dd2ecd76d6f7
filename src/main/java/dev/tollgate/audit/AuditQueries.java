package dev.tollgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.shared.Page;
import jakarta.enterprise.context.ApplicationScoped;
import dev.tollgate.shared.DatabaseFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Reads the audit log: filtered, oldest first, keyset-paged on (time, sequence number), so that
 * every filter reads one index range in order (see V5__audit_time_ordered_indexes.sql). Each read first
 * seals what has committed ({@link AuditSealer#sealCommitted()}): an answer holds every entry committed
 * before the request, and time and sequence agree, so a cursor never skips an entry sealed later.
 */
@ApplicationScoped
public class AuditQueries {

    /** An entry as the API shows it. */
    @Schema(name = "AuditEntry")
    public record View(long seq, Instant at, String actor, String action, String subject, String kind, String name,
                       String version, JsonNode data, String prevHash, String hash) {

        static View of(AuditEntry e) {
            return new View(e.seq(), e.at(), e.actor(), e.action(), e.subject(), e.kind(), e.name(), e.version(),
                    e.dataTree(), e.prevHash(), e.hash());
        }
    }

    /** Filters of {@code GET /api/v1/audit}; null means any. */
    public record Filter(String subject, String actor, String action, Instant from, Instant to) {
    }

    private final DataSource dataSource;
    private final AuditSealer sealer;

    AuditQueries(DataSource dataSource, AuditSealer sealer) {
        this.dataSource = dataSource;
        this.sealer = sealer;
    }

    /** A position in the time-ordered log: the last entry of a page. */
    public record Position(Instant at, long seq) {

        public String encode() {
            return java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((at + "|" + seq).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** Null for null; an {@link IllegalArgumentException} for anything this API did not issue. */
        public static Position decode(String cursor) {
            if (cursor == null || cursor.isEmpty()) {
                return null;
            }
            try {
                String raw = new String(java.util.Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                return new Position(Instant.parse(raw.substring(0, bar)), Long.parseLong(raw.substring(bar + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a cursor", e);
            }
        }
    }

    public Page<View> search(Filter filter, Position after, int limit) {
        sealer.sealCommitted(); // every entry committed before this query is in its answer
        try {
            StringBuilder sql = new StringBuilder("select * from audit_entry where seq is not null");
            List<Object> params = new ArrayList<>();
            if (after != null) {
                sql.append(" and (at, seq) > (?, ?)");
                params.add(Timestamp.from(after.at()));
                params.add(after.seq());
            }
            if (filter.subject() != null) {
                sql.append(" and subject = ?");
                params.add(filter.subject());
            }
            if (filter.actor() != null) {
                sql.append(" and actor = ?");
                params.add(filter.actor());
            }
            if (filter.action() != null) {
                sql.append(" and action = ?");
                params.add(filter.action());
            }
            if (filter.from() != null) {
                sql.append(" and at >= ?");
                params.add(Timestamp.from(filter.from()));
            }
            if (filter.to() != null) {
                sql.append(" and at < ?");
                params.add(Timestamp.from(filter.to()));
            }
            sql.append(" order by at, seq limit ?");
            params.add(limit + 1);
            List<View> items = new ArrayList<>();
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < params.size(); i++) {
                    s.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        items.add(View.of(AuditVerifier.read(rs)));
                    }
                }
            }
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                View last = items.get(limit - 1);
                next = new Position(last.at(), last.seq()).encode();
            }
            return new Page<>(items, next);
        } catch (SQLException e) {
            throw new DatabaseFailures.DatabaseException(e);
        }
    }

    /** One entry by its sequence number. */
    public java.util.Optional<View> entry(long seq) {
        sealer.sealCommitted();
        try {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement("select * from audit_entry where seq = ?")) {
                s.setLong(1, seq);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? java.util.Optional.of(View.of(AuditVerifier.read(rs))) : java.util.Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new DatabaseFailures.DatabaseException(e);
        }
    }

    /**
     * What served in production for (kind, name) at {@code at}, and the audit entries of that
     * version up to that instant: who submitted it, what the gates saw, who approved it, who deployed it.
     */
    public ProductionAt productionAt(String kind, String name, Instant at) {
        sealer.sealCommitted();
        try {
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                    select candidate_id, version, started_at from release_period
                    where kind = ? and name = ? and environment = 'production' and started_at <= ?
                      and (ended_at is null or ended_at > ?)
                    order by started_at desc limit 1""")) {
                s.setString(1, kind);
                s.setString(2, name);
                s.setTimestamp(3, Timestamp.from(at));
                s.setTimestamp(4, Timestamp.from(at));
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return new ProductionAt(kind, name, at, null, null, null, List.of());
                    }
                    String candidateId = rs.getString(1);
                    String version = rs.getString(2);
                    Instant since = rs.getTimestamp(3).toInstant();
                    List<View> entries = new ArrayList<>();
                    try (PreparedStatement e = c.prepareStatement(
                            "select * from audit_entry where subject = ? and at <= ? order by seq")) {
                        e.setString(1, candidateId);
                        e.setTimestamp(2, Timestamp.from(at));
                        try (ResultSet er = e.executeQuery()) {
                            while (er.next()) {
                                entries.add(View.of(AuditVerifier.read(er)));
                            }
                        }
                    }
                    return new ProductionAt(kind, name, at, version, candidateId, since, entries);
                }
            }
        } catch (SQLException e) {
            throw new DatabaseFailures.DatabaseException(e);
        }
    }

    public record ProductionAt(String kind, String name, Instant at, String version, String candidateId, Instant since,
                               List<View> entries) {
    }
}
