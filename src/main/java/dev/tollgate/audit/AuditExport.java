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
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Streams the audit log as JSON Lines or CSV, in constant memory (a server-side cursor read in
 * batches), with every field of the chain, so that an export can be verified offline
 * ({@code AuditVerifyCommand --export}).
 */
@ApplicationScoped
public class AuditExport {

    static final String CSV_HEADER = "seq,at,actor,action,subject,kind,name,version,data,prev_hash,hash";

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    AuditExport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void write(String format, Instant from, Instant to, OutputStream out) throws IOException {
        boolean csv = "csv".equals(format);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement s = c.prepareStatement("""
                    select * from audit_entry where (cast(? as timestamptz) is null or at >= ?) and (cast(? as timestamptz) is null or at < ?) order by seq""")) {
                s.setFetchSize(1000);
                Timestamp f = from == null ? null : Timestamp.from(from);
                Timestamp t = to == null ? null : Timestamp.from(to);
                s.setTimestamp(1, f);
                s.setTimestamp(2, f);
                s.setTimestamp(3, t);
                s.setTimestamp(4, t);
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                if (csv) {
                    writer.write(CSV_HEADER);
                    writer.write('\n');
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        AuditEntry e = AuditVerifier.read(rs);
                        writer.write(csv ? csvLine(e) : jsonLine(e));
                        writer.write('\n');
                    }
                }
                writer.flush();
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IOException("Export failed", e);
        }
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
