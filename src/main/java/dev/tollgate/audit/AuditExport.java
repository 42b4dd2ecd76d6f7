package dev.tollgate.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Streams the audit log as JSON Lines or CSV, in constant memory (a server-side cursor read in
 * batches), with every field of the chain, so that an export can be verified offline
 * ({@code AuditVerifyCommand --export}).
 *
 * <p>An export is the run of entries from the first one at or after {@code from} to the last one before
 * {@code to}, read from one snapshot. Its first line is its anchor: the hash before its first entry, its
 * last entry's sequence number and hash, how many entries follow, and the latest checkpoint published on
 * Kafka. Cutting entries from its start or its end no longer matches the anchor.
 */
@ApplicationScoped
public class AuditExport {

    static final String CSV_HEADER = "seq,at,actor,action,subject,kind,name,version,data,prev_hash,hash";
    /** A CSV export's first line starts with this, followed by the anchor as JSON. */
    static final String CSV_ANCHOR_PREFIX = "#anchor ";
    static final String FORMAT = "tollgate-audit-export/1";

    private final DataSource dataSource;
    private final PublishedCheckpoints checkpoints;
    private final Clock clock;
    private final AuditSealer sealer;
    private final ObjectMapper json = new ObjectMapper();

    AuditExport(DataSource dataSource, PublishedCheckpoints checkpoints, Clock clock, AuditSealer sealer) {
        this.dataSource = dataSource;
        this.sealer = sealer;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    public void write(String format, Instant from, Instant to, OutputStream out) throws IOException {
        boolean csv = "csv".equals(format);
        PublishedCheckpoints.Latest published = checkpoints.latest();
        sealer.sealCommitted(); // the export holds every entry committed before it began
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            // One snapshot for the anchor and the entries, so that they agree while others append.
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                AuditVerifier.Anchor anchor = anchor(c, from, to);
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                String anchorJson = anchorJson(anchor, published);
                if (csv) {
                    writer.write(CSV_ANCHOR_PREFIX + anchorJson + "\n");
                    writer.write(CSV_HEADER + "\n");
                } else {
                    writer.write(anchorJson + "\n");
                }
                if (anchor.entries() > 0) {
                    try (PreparedStatement s = c.prepareStatement(
                            "select * from audit_entry where seq between ? and ? order by seq")) {
                        s.setFetchSize(1000);
                        s.setLong(1, anchor.firstSeq());
                        s.setLong(2, anchor.lastSeq());
                        try (ResultSet rs = s.executeQuery()) {
                            while (rs.next()) {
                                AuditEntry e = AuditVerifier.read(rs);
                                writer.write(csv ? csvLine(e) : jsonLine(e));
                                writer.write('\n');
                            }
                        }
                    }
                }
                writer.flush();
            } finally {
                c.rollback();
                c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IOException("Export failed", e);
        }
    }

    private static AuditVerifier.Anchor anchor(Connection c, Instant from, Instant to) throws SQLException {
        Long first = null;
        Long last = null;
        try (PreparedStatement s = c.prepareStatement("""
                select (select min(seq) from audit_entry where cast(? as timestamptz) is null or at >= ?),
                       (select max(seq) from audit_entry where cast(? as timestamptz) is null or at < ?)""")) {
            Timestamp f = from == null ? null : Timestamp.from(from);
            Timestamp t = to == null ? null : Timestamp.from(to);
            s.setTimestamp(1, f);
            s.setTimestamp(2, f);
            s.setTimestamp(3, t);
            s.setTimestamp(4, t);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                first = (Long) rs.getObject(1);
                last = (Long) rs.getObject(2);
            }
        }
        if (first == null || last == null || last < first) {
            return new AuditVerifier.Anchor(null, null, null, null, 0);
        }
        return new AuditVerifier.Anchor(first, first == 1 ? AuditVerifier.GENESIS : hashAt(c, first - 1), last,
                hashAt(c, last), last - first + 1);
    }

    private static String hashAt(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select hash from audit_entry where seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                // A missing entry (a gap) gives an anchor that the export itself then contradicts.
                return rs.next() ? rs.getString(1).trim() : null;
            }
        }
    }

    private String anchorJson(AuditVerifier.Anchor anchor, PublishedCheckpoints.Latest published) throws IOException {
        ObjectNode node = json.createObjectNode();
        ObjectNode a = node.putObject("anchor");
        a.put("format", FORMAT);
        a.put("exportedAt", clock.instant().toString());
        a.put("firstSeq", anchor.firstSeq());
        a.put("prevHash", anchor.prevHash());
        a.put("lastSeq", anchor.lastSeq());
        a.put("lastHash", anchor.lastHash());
        a.put("entries", anchor.entries());
        if (published.checkpoint() != null) {
            ObjectNode checkpoint = a.putObject("checkpoint");
            checkpoint.put("seq", published.checkpoint().seq());
            checkpoint.put("hash", published.checkpoint().hash());
        } else {
            a.putNull("checkpoint");
        }
        return json.writeValueAsString(node);
    }

    /** Reads an anchor line (JSON Lines) or its JSON (CSV, after the prefix); null when the line is not one. */
    static AuditVerifier.Anchor parseAnchor(ObjectMapper json, String line, AuditVerifier.Checkpoint[] checkpoint)
            throws IOException {
        var node = json.readTree(line).get("anchor");
        if (node == null || !FORMAT.equals(node.path("format").asText())) {
            return null;
        }
        var cp = node.get("checkpoint");
        if (cp != null && cp.isObject()) {
            checkpoint[0] = new AuditVerifier.Checkpoint(cp.path("seq").asLong(), cp.path("hash").asText());
        }
        return new AuditVerifier.Anchor(node.path("firstSeq").isNumber() ? node.get("firstSeq").asLong() : null,
                node.path("prevHash").isTextual() ? node.get("prevHash").asText() : null,
                node.path("lastSeq").isNumber() ? node.get("lastSeq").asLong() : null,
                node.path("lastHash").isTextual() ? node.get("lastHash").asText() : null,
                node.path("entries").asLong());
    }

    private String jsonLine(AuditEntry e) {
        ObjectNode node = json.createObjectNode();
        node.put("seq", e.seq());
        node.put("at", e.at().toString());
        node.put("actor", e.actor());
        node.put("action", e.action());
        node.put("subject", e.subject());
        node.put("kind", e.kind());
        node.put("name", e.name());
        node.put("version", e.version());
        node.put("data", e.data());
        node.put("prevHash", e.prevHash());
        node.put("hash", e.hash());
        try {
            return json.writeValueAsString(node);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String csvLine(AuditEntry e) {
        return String.join(",", Long.toString(e.seq()), e.at().toString(), csv(e.actor()), csv(e.action()),
                csv(e.subject()), csv(e.kind()), csv(e.name()), csv(e.version()), csv(e.data()), e.prevHash(), e.hash());
    }

    /** RFC 4180 quoting; an absent value is an empty field. */
    static String csv(String value) {
        if (value == null) {
            return "";
        }
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }
}
