package dev.tollgate.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;

/**
 * Checks the whole hash chain: sequence numbers 1, 2, 3, … without gaps, each entry's previous
 * hash equal to the hash before it, each hash equal to the one recomputed from the entry, and the
 * head equal to the last entry. Names the first sequence number where any of this fails. Works on
 * a database connection (the API, the command line) and on an export, against the anchor it carries.
 *
 * <p>Longer than 200 lines on purpose: it runs without the application (the offline verification command), so the chain walk, the anchor and the export reader stay in one self-contained class.
 */
public final class AuditVerifier {

    /** The outcome: {@code firstInvalidSeq} is null when the chain is intact. */
    public record Result(boolean valid, long entries, String headHash, Long firstInvalidSeq, String problem) {
    }

    static final String GENESIS = "0".repeat(64);

    private AuditVerifier() {
    }

    /** A head hash published outside the database (an {@code audit.checkpoint} event on Kafka). */
    public record Checkpoint(long seq, String hash) {
    }

    /**
     * What an export says it holds, written before its first entry: the hash before that entry, the last
     * entry's sequence number and hash, and how many there are. An export cut at its start or its end no
     * longer matches its anchor. {@code firstSeq} and {@code lastSeq} are null for an empty export.
     */
    public record Anchor(Long firstSeq, String prevHash, Long lastSeq, String lastHash, long entries) {
    }

    /** Verifies an export against its anchor and, if given, a checkpoint the auditor holds. */
    public static Result verifyExport(Iterator<AuditEntry> entries, Anchor anchor, Checkpoint checkpoint) {
        if (anchor == null) {
            return new Result(false, 0, null, null,
                    "the export has no anchor line, so a cut start or end could not be seen; export it again");
        }
        if (anchor.firstSeq() != null && anchor.firstSeq() == 1 && !GENESIS.equals(anchor.prevHash())) {
            return new Result(false, 0, null, 1L, "an export from entry 1 must start from the genesis hash");
        }
        Walk walk = Walk.of(entries, anchor.firstSeq() == null ? 1 : anchor.firstSeq(),
                anchor.firstSeq() == null ? GENESIS : anchor.prevHash(), checkpoint);
        if (walk.broken() != null) {
            return walk.broken();
        }
        long count = walk.count();
        long expectedSeq = walk.nextSeq();
        String previous = walk.lastHash();
        if (count != anchor.entries() || (anchor.lastSeq() != null && expectedSeq - 1 != anchor.lastSeq())) {
            return new Result(false, count, previous, expectedSeq,
                    "the anchor announces " + anchor.entries() + " entries up to " + anchor.lastSeq() + "; the export has "
                            + count + (count == 0 ? "" : " up to " + (expectedSeq - 1)) + ": its end was cut");
        }
        if (anchor.lastHash() != null && !anchor.lastHash().equals(previous)) {
            return new Result(false, count, previous, expectedSeq - 1, "the last entry's hash differs from the anchor's");
        }
        return new Result(true, count, previous, null, null);
    }

    /**
     * Follows the chain from {@code firstSeq}, whose predecessor's hash is {@code previous}, to its end or
     * its first bad entry: how many entries it read, the next sequence number expected, the last hash,
     * and the problem found, if any.
     */
    private record Walk(long count, long nextSeq, String lastHash, Result broken) {

        static Walk of(Iterator<AuditEntry> entries, long firstSeq, String previous, Checkpoint checkpoint) {
            long expectedSeq = firstSeq;
            long count = 0;
            while (entries.hasNext()) {
                AuditEntry entry = entries.next();
                count++;
                Result broken = check(entry, expectedSeq, previous, count, checkpoint);
                if (broken != null) {
                    return new Walk(count, expectedSeq, previous, broken);
                }
                previous = entry.hash();
                expectedSeq++;
            }
            return new Walk(count, expectedSeq, previous, null);
        }
    }

    /** The problem with one entry in its place in the chain, or null when it is sound. */
    private static Result check(AuditEntry entry, long expectedSeq, String previous, long count, Checkpoint checkpoint) {
        if (entry.seq() != expectedSeq) {
            return new Result(false, count, previous, expectedSeq, "entry " + expectedSeq + " is missing or out of order");
        }
        if (!entry.prevHash().equals(previous)) {
            return new Result(false, count, previous, entry.seq(), "prevHash does not match the entry before");
        }
        if (!entry.expectedHash().equals(entry.hash())) {
            return new Result(false, count, previous, entry.seq(), "hash does not match the entry's content");
        }
        if (checkpoint != null && entry.seq() == checkpoint.seq() && !entry.hash().equals(checkpoint.hash())) {
            return new Result(false, count, previous, entry.seq(), "the entry differs from the published checkpoint");
        }
        return null;
    }

    /**
     * Verifies the stored entries, in sequence order, from the first. With a checkpoint, the chain must
     * also reach it with the same hash: that detects a truncated tail even when the head was rewritten to match.
     */
    static Result verify(Iterator<AuditEntry> entries, long headSeq, String headHash, Checkpoint checkpoint) {
        Walk walk = Walk.of(entries, 1, GENESIS, checkpoint);
        if (walk.broken() != null) {
            return walk.broken();
        }
        long count = walk.count();
        long expectedSeq = walk.nextSeq();
        String previous = walk.lastHash();
        if (checkpoint != null && expectedSeq - 1 < checkpoint.seq()) {
            return new Result(false, count, previous, expectedSeq,
                    "the log ends at " + (expectedSeq - 1) + " but checkpoint " + checkpoint.seq() + " was published: the tail is missing");
        }
        return endsAtHead(walk, headSeq, headHash);
    }

    /** Whether a sound walk ended exactly at the head, with the head's hash. */
    private static Result endsAtHead(Walk walk, long headSeq, String headHash) {
        long lastSeq = walk.nextSeq() - 1;
        if (headSeq != lastSeq) {
            return new Result(false, walk.count(), walk.lastHash(), lastSeq < headSeq ? walk.nextSeq() : headSeq,
                    "the head says " + headSeq + " entries; " + lastSeq + " are present");
        }
        if (!headHash.equals(walk.lastHash())) {
            return new Result(false, walk.count(), walk.lastHash(), lastSeq, "the head hash does not match the last entry");
        }
        return new Result(true, walk.count(), walk.lastHash(), null, null);
    }

    /** Verifies the chain stored in a database, reading it in batches. */
    public static Result verify(Connection connection) throws SQLException {
        return verify(connection, null);
    }

    public static Result verify(Connection connection, Checkpoint checkpoint) throws SQLException {
        // One snapshot for the head and the entries: an append commits both together, so a concurrent one is
        // either wholly seen or not at all, never as a head that lags its entries.
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        if (autoCommit) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
        try {
            return verifySnapshot(connection, checkpoint);
        } finally {
            if (autoCommit) {
                connection.rollback();
                connection.setTransactionIsolation(isolation);
                connection.setAutoCommit(true);
            }
        }
    }

    private static Result verifySnapshot(Connection connection, Checkpoint checkpoint) throws SQLException {
        long headSeq;
        String headHash;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select seq, hash from audit_head where id = 1")) {
            rs.next();
            headSeq = rs.getLong(1);
            headHash = rs.getString(2).trim();
        }
        DatabaseEntries entries = new DatabaseEntries(connection);
        try {
            return verify(entries, headSeq, headHash, checkpoint);
        } catch (UncheckedSql e) {
            throw e.cause;
        }
    }

    /**
     * Verifies the stored entries after {@code from} (a checkpoint already vouched for, or the start of the chain
     * when null) up to the head {@code headSeq}, whose hash must be {@code headHash}: what a new checkpoint would
     * vouch for, without reading the whole chain again.
     */
    static Result verifySegment(Connection connection, Checkpoint from, long headSeq, String headHash) {
        long firstSeq = from == null ? 1 : from.seq() + 1;
        Walk walk = Walk.of(new DatabaseEntries(connection, firstSeq - 1, headSeq), firstSeq,
                from == null ? GENESIS : from.hash(), null);
        return walk.broken() != null ? walk.broken() : endsAtHead(walk, headSeq, headHash);
    }

    /** Reads entries in sequence order, 5,000 at a time, in constant memory. */
    static final class DatabaseEntries implements Iterator<AuditEntry> {
        private final Connection connection;
        private final long last;
        private java.util.ArrayDeque<AuditEntry> batch = new java.util.ArrayDeque<>();
        private long after;
        private boolean exhausted;

        DatabaseEntries(Connection connection) {
            this(connection, 0, Long.MAX_VALUE);
        }

        /** The entries after {@code after} up to {@code last}. */
        DatabaseEntries(Connection connection, long after, long last) {
            this.connection = connection;
            this.after = after;
            this.last = last;
        }

        @Override
        public boolean hasNext() {
            if (batch.isEmpty() && !exhausted) {
                fill();
            }
            return !batch.isEmpty();
        }

        @Override
        public AuditEntry next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            return batch.poll();
        }

        private void fill() {
            try (PreparedStatement select = connection.prepareStatement("""
                    select seq, at, actor, action, subject, kind, name, version, data, prev_hash, hash
                    from audit_entry where seq > ? and seq <= ? order by seq limit 5000""")) {
                select.setLong(1, after);
                select.setLong(2, last);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        AuditEntry entry = read(rs);
                        batch.add(entry);
                        after = entry.seq();
                    }
                }
                exhausted = batch.isEmpty();
            } catch (SQLException e) {
                throw new UncheckedSql(e);
            }
        }
    }

    static AuditEntry read(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong("seq"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                rs.getString("action"), rs.getString("subject"), rs.getString("kind"), rs.getString("name"),
                rs.getString("version"), rs.getString("data"), rs.getString("prev_hash").trim(),
                rs.getString("hash").trim());
    }

    private static final class UncheckedSql extends RuntimeException {
        private final SQLException cause;

        UncheckedSql(SQLException cause) {
            super(cause);
            this.cause = cause;
        }
    }
}
