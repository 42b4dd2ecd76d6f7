package dev.tollgate.reliability;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What committed, read from the database, against what was published and what was answered. */
final class Checks {

    /** Published against committed, for a set of candidates. */
    record Events(long committed, long received, long lost, long phantom, long reordered, long redelivered) {
    }

    private Checks() {
    }

    /** Waits (up to {@code wait}) until every committed transition of these candidates was received, then compares. */
    static Events events(Harness harness, EventLedger ledger, Collection<String> ids, Duration wait) throws Exception {
        Map<String, Map<Integer, String>> committed = history(harness, ids);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && !complete(committed, ledger)) {
            Thread.sleep(250);
        }
        long total = 0;
        long received = 0;
        long lost = 0;
        long phantom = 0;
        long reordered = 0;
        long redelivered = 0;
        for (var entry : committed.entrySet()) {
            total += entry.getValue().size();
            Set<String> seen = new HashSet<>();
            Set<Integer> got = new HashSet<>();
            int previous = 0;
            for (EventLedger.Received event : ledger.of(entry.getKey())) {
                received++;
                if (!seen.add(event.eventId())) {
                    redelivered++; // at-least-once: a consumer drops it by ce_id
                    continue;
                }
                if (!event.type().equals(entry.getValue().get(event.sequence())) || got.contains(event.sequence())) {
                    phantom++;
                }
                if (event.sequence() <= previous) {
                    reordered++;
                }
                previous = event.sequence();
                got.add(event.sequence());
            }
            lost += entry.getValue().keySet().stream().filter(seq -> !got.contains(seq)).count();
        }
        return new Events(total, received, lost, phantom, reordered, redelivered);
    }

    private static boolean complete(Map<String, Map<Integer, String>> committed, EventLedger ledger) {
        for (var entry : committed.entrySet()) {
            Set<Integer> got = new HashSet<>();
            ledger.of(entry.getKey()).forEach(e -> got.add(e.sequence()));
            if (!got.containsAll(entry.getValue().keySet())) {
                return false;
            }
        }
        return true;
    }

    /** Each candidate's history: sequence number to event type. */
    static Map<String, Map<Integer, String>> history(Harness harness, Collection<String> ids) throws SQLException {
        Map<String, Map<Integer, String>> history = new HashMap<>();
        ids.forEach(id -> history.put(id, new HashMap<>()));
        query(harness, "select candidate_id::text, seq, event_type from candidate_history where candidate_id = any(?)",
                ids, rs -> history.get(rs.getString(1)).put(rs.getInt(2), rs.getString(3)));
        return history;
    }

    /** 2xx answers whose change is not in the database. */
    static long falseSuccesses(Harness harness, List<Promoter.Success> successes) throws SQLException {
        Set<String> candidates = new HashSet<>();
        Set<String> evaluated = new HashSet<>();
        Set<String> voted = new HashSet<>();
        List<String> ids = successes.stream().map(Promoter.Success::candidateId).distinct().toList();
        query(harness, "select id::text from candidate where id = any(?)", ids, rs -> candidates.add(rs.getString(1)));
        query(harness, "select candidate_id::text from evaluation_report where reported_by = 'eve' and candidate_id = any(?)",
                ids, rs -> evaluated.add(rs.getString(1)));
        query(harness, "select t.candidate_id::text from approval_vote v join approval_task t on t.id = v.task_id "
                + "where v.voter = 'bob' and t.candidate_id = any(?)", ids, rs -> voted.add(rs.getString(1)));
        return successes.stream().filter(s -> switch (s.action()) {
            case "submit" -> !candidates.contains(s.candidateId());
            case "evaluation" -> !evaluated.contains(s.candidateId());
            case "decision" -> !voted.contains(s.candidateId());
            default -> true;
        }).count();
    }

    /** Deployment waits answered twice (a stage with more than one accepted result). */
    static long doubleAppliedResults(Harness harness, Collection<String> ids) throws SQLException {
        long[] count = new long[1];
        query(harness, "select count(*) from (select candidate_id, stage from deployment_result where accepted "
                + "and candidate_id = any(?) group by candidate_id, stage having count(*) > 1) twice", ids,
                rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    /** How many of these candidates are not in {@code stage}. */
    static long notIn(Harness harness, Collection<String> ids, String stage) throws SQLException {
        long[] count = new long[1];
        query(harness, "select count(*) from candidate where stage <> '" + stage + "' and id = any(?)", ids,
                rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    static long unsentEvents(Harness harness) throws SQLException {
        try (Connection c = harness.database(); var s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from outbox_event where sent_at is null")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    static void query(Harness harness, String sql, Collection<String> ids, Row row) throws SQLException {
        try (Connection c = harness.database(); PreparedStatement s = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("uuid", ids.stream().map(java.util.UUID::fromString).toArray());
            s.setArray(1, array);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }
}
