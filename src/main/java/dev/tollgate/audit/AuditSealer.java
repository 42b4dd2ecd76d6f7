package dev.tollgate.audit;

import dev.tollgate.shared.BackgroundLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Seals committed audit entries into the chain: gives each its sequence number, its time and its hash, in
 * batches, oldest first (ADR 0010). Writers insert entries unsealed and never wait for this.
 *
 * <p>One sealer at a time, across all replicas: a batch runs in a transaction that holds the advisory lock
 * {@link #LOCK_KEY} and then the chain head's row lock; request transactions take neither. The background loop
 * of every replica tries every {@code tollgate.audit.seal-interval} and skips when another sealer holds the
 * lock. Even a second sealer that bypassed the lock could not fork the chain: sequence numbers are unique. A batch reads only entries
 * whose transaction committed (an uncommitted one is invisible to it, a rolled-back one never exists), so
 * the sequence stays gapless and the chain cannot fork; a sealer that dies mid-batch rolls back, and the
 * next one seals the same entries. Readers that must see every committed entry (queries, exports) call
 * {@link #sealCommitted()} first, which waits for a batch under way instead of skipping it.
 */
@ApplicationScoped
public class AuditSealer {

    private static final Logger LOG = Logger.getLogger(AuditSealer.class);
    static final int BATCH = 1000;
    /** The key of the advisory lock a sealer holds for a batch (an operator can hold it to pause sealing). */
    public static final String LOCK_KEY = "hashtextextended('audit-sealer', 0)";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration interval;
    private Timer lag;
    private BackgroundLoop loop;

    /** The entries still waiting to be sealed: how many, and since when the oldest was written. */
    public record Backlog(long entries, double oldestAgeSeconds) {
    }

    AuditSealer(DataSource dataSource, Clock clock,
                @ConfigProperty(name = "tollgate.audit.seal-interval", defaultValue = "PT0.05S") Duration interval) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.interval = interval;
    }

    void start(@Observes StartupEvent startup, MeterRegistry registry) {
        lag = Timer.builder("tollgate.audit.sealing.lag")
                .description("From an entry's commit (its writer's clock) until it is sealed into the chain")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .register(registry);
        Gauge.builder("tollgate.audit.unsealed.entries", this, s -> s.backlog().entries())
                .description("Committed audit entries not yet sealed").register(registry);
        Gauge.builder("tollgate.audit.unsealed.age.seconds", this, s -> s.backlog().oldestAgeSeconds())
                .description("Age of the oldest committed entry not yet sealed").register(registry);
        loop = new BackgroundLoop("audit-sealer", interval, () -> sealAll(false), LOG);
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    /**
     * Seals every entry committed before this call, waiting for a sealer at work on another thread or
     * replica rather than skipping. Returns how many entries this call sealed.
     */
    public long sealCommitted() {
        return sealAll(true);
    }

    private long sealAll(boolean wait) {
        long total = 0;
        while (true) {
            int sealed = QuarkusTransaction.requiringNew().call(() -> sealBatch(wait));
            if (sealed < 0) {
                return total; // another sealer holds the head: it seals these
            }
            total += sealed;
            if (sealed < BATCH) {
                return total;
            }
        }
    }

    private record Unsealed(long id, Instant writtenAt, String actor, String action, String subject, String kind,
                            String name, String version, String data) {
    }

    /** One batch in the caller's transaction: returns how many it sealed, or -1 when another sealer is at work. */
    private int sealBatch(boolean wait) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!anyUnsealed(c)) {
                return 0; // the common case when idle: no lock taken, nothing written
            }
            long seq;
            String previous;
            Instant last;
            try (Statement lock = c.createStatement();
                 ResultSet rs = lock.executeQuery(wait ? "select true from pg_advisory_xact_lock(" + LOCK_KEY + ")"
                         : "select pg_try_advisory_xact_lock(" + LOCK_KEY + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return -1;
                }
            }
            try (PreparedStatement head = c.prepareStatement("select seq, hash, at from audit_head where id = 1 for update");
                 ResultSet rs = head.executeQuery()) {
                rs.next();
                seq = rs.getLong("seq");
                previous = rs.getString("hash").trim();
                Timestamp at = rs.getTimestamp("at");
                last = at == null ? Instant.EPOCH : at.toInstant();
            }
            List<Unsealed> batch = unsealed(c);
            if (batch.isEmpty()) {
                return 0;
            }
            Instant now = clock.instant();
            Instant at = now.isBefore(last) ? last : now;
            try (PreparedStatement seal = c.prepareStatement(
                    "update audit_entry set seq = ?, at = ?, prev_hash = ?, hash = ? where id = ? and seq is null")) {
                for (Unsealed e : batch) {
                    seq++;
                    String hash = AuditEntry.hash(AuditEntry.canonical(seq, at, e.actor(), e.action(), e.subject(),
                            e.kind(), e.name(), e.version(), e.data(), previous));
                    seal.setLong(1, seq);
                    seal.setTimestamp(2, Timestamp.from(at));
                    seal.setString(3, previous);
                    seal.setString(4, hash);
                    seal.setLong(5, e.id());
                    seal.addBatch();
                    previous = hash;
                }
                for (int updated : seal.executeBatch()) {
                    if (updated != 1) {
                        // Only a sealer changes seq, and only under the head's lock: this cannot happen short of tampering.
                        throw new IllegalStateException("An audit entry was sealed by someone not holding the head");
                    }
                }
            }
            try (PreparedStatement head = c.prepareStatement("update audit_head set seq = ?, hash = ?, at = ? where id = 1")) {
                head.setLong(1, seq);
                head.setString(2, previous);
                head.setTimestamp(3, Timestamp.from(at));
                head.executeUpdate();
            }
            if (lag != null) {
                for (Unsealed e : batch) {
                    if (e.writtenAt() != null && !e.writtenAt().isAfter(at)) {
                        lag.record(Duration.between(e.writtenAt(), at));
                    }
                }
            }
            return batch.size();
        }
    }

    private static boolean anyUnsealed(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select exists (select 1 from audit_entry where seq is null)")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static List<Unsealed> unsealed(Connection c) throws SQLException {
        List<Unsealed> batch = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select id, written_at, actor, action, subject, kind, name, version, data
                from audit_entry where seq is null order by id limit ?""")) {
            s.setInt(1, BATCH);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp writtenAt = rs.getTimestamp("written_at");
                    batch.add(new Unsealed(rs.getLong("id"), writtenAt == null ? null : writtenAt.toInstant(),
                            rs.getString("actor"), rs.getString("action"), rs.getString("subject"), rs.getString("kind"),
                            rs.getString("name"), rs.getString("version"), rs.getString("data")));
                }
            }
        }
        return batch;
    }

    /** The entries waiting to be sealed; -1 when the database cannot be read (a gauge cannot fail). */
    public Backlog backlog() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), min(written_at) from audit_entry where seq is null")) {
            rs.next();
            Timestamp oldest = rs.getTimestamp(2);
            double age = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), clock.instant()).toNanos() / 1e9);
            return new Backlog(rs.getLong(1), age);
        } catch (SQLException e) {
            LOG.warnf("Cannot read the audit sealing backlog: %s", e.getMessage());
            return new Backlog(-1, -1);
        }
    }
}
