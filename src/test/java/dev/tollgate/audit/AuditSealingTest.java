package dev.tollgate.audit;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Entries are written unsealed by their change's transaction and sealed into the chain afterwards, by one
 * sealer at a time (ADR 0010). These tests hold the chain's properties under concurrency: no gap, no fork, no
 * entry of an uncommitted change, a dead sealer's batch sealed again, and writers that never wait for the
 * sealer.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AuditSealingTest {

    @Inject
    AuditLog audit;

    @Inject
    AuditSealer sealer;

    private final ExecutorService pool = Executors.newFixedThreadPool(12);

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
    }

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static Connection runtimeUser() throws SQLException {
        return DriverManager.getConnection(config("quarkus.datasource.jdbc.url"), config("quarkus.datasource.username"),
                config("quarkus.datasource.password"));
    }

    private static long scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void append(String subject, String action) {
        audit.append("alice", action, new AuditLog.Subject(subject, null, null, null), Map.of("n", 1));
    }

    private static void assertChainValid(Connection c) throws SQLException {
        AuditVerifier.Result result = AuditVerifier.verify(c);
        assertThat(result.valid()).as(result.problem()).isTrue();
    }

    @Test
    void parallelWritersSomeRollingBackAndThreeSealersLeaveOneGaplessChainOfExactlyTheCommittedEntries()
            throws Exception {
        String subject = "sealing-" + UUID.randomUUID();
        sealer.sealCommitted();
        long headBefore;
        try (Connection c = runtimeUser()) {
            headBefore = scalar(c, "select seq from audit_head");
        }
        AtomicInteger committed = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int t = 0; t < 40; t++) {
                    int entries = 1 + (writer + t) % 3;
                    boolean rollBack = t % 5 == 4;
                    try {
                        QuarkusTransaction.requiringNew().run(() -> {
                            for (int e = 0; e < entries; e++) {
                                append(subject, rollBack ? "test.rolled-back" : "test.committed");
                            }
                            if (rollBack) {
                                throw new IllegalStateException("the change fails");
                            }
                        });
                        committed.addAndGet(entries);
                    } catch (IllegalStateException expected) {
                        // rolled back: its entries must never appear
                    }
                }
            }));
        }
        // Two sealers of our own beside the background one, as on three replicas.
        List<Future<?>> sealers = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            sealers.add(pool.submit(() -> {
                while (writing.get()) {
                    sealer.sealCommitted();
                }
            }));
        }
        for (Future<?> writer : writers) {
            writer.get(120, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (Future<?> s : sealers) {
            s.get(60, TimeUnit.SECONDS);
        }
        sealer.sealCommitted();

        try (Connection c = runtimeUser()) {
            String ours = "from audit_entry where subject = '" + subject + "'";
            assertThat(scalar(c, "select count(*) " + ours + " and action = 'test.committed' and seq is not null"))
                    .as("every committed entry sealed").isEqualTo(committed.get());
            assertThat(scalar(c, "select count(*) " + ours + " and action = 'test.rolled-back'"))
                    .as("entries of rolled-back changes").isZero();
            assertThat(scalar(c, "select count(*) " + ours + " and seq is null")).as("left unsealed").isZero();
            long headAfter = scalar(c, "select seq from audit_head");
            assertThat(scalar(c, "select count(distinct seq) from audit_entry where seq > " + headBefore
                    + " and seq <= " + headAfter)).as("one entry per sequence number, no gap")
                    .isEqualTo(headAfter - headBefore);
            assertThat(scalar(c, "select count(*) from audit_entry where seq > " + headAfter)).isZero();
            assertThat(scalar(c, "select count(*) from (select at < lag(at) over (order by seq) as back from audit_entry"
                    + " where seq > " + headBefore + ") t where back")).as("time runs backwards along the chain").isZero();
            assertChainValid(c);
        }
    }

    @Test
    void aWriterCommitsWhileTheSealerHoldsTheHeadAndItsEntryIsSealedAfterwards() throws Exception {
        String subject = "held-" + UUID.randomUUID();
        String name = Submissions.uniqueName("held");
        try (Connection sealerSession = runtimeUser(); Connection reader = runtimeUser()) {
            sealerSession.setAutoCommit(false);
            scalar(sealerSession, "select seq from audit_head where id = 1 for update");

            // Neither a plain append nor a whole REST submission waits for the head.
            pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> append(subject, "test.while-held")))
                    .get(30, TimeUnit.SECONDS);
            String candidateId = pool.submit(() -> Api.submitted("alice", Submissions.model(name, "1.0.0"))).get(30, TimeUnit.SECONDS);
            assertThat(scalar(reader, "select count(*) from audit_entry where subject = '" + subject
                    + "' and seq is null")).as("written, not yet sealed").isEqualTo(1);
            assertThat(scalar(reader, "select count(*) from audit_entry where subject = '" + candidateId
                    + "' and seq is null")).as("the submission's entries, unsealed").isPositive();

            sealerSession.rollback();
        }
        sealer.sealCommitted();
        try (Connection c = runtimeUser()) {
            assertThat(scalar(c, "select count(*) from audit_entry where subject = '" + subject + "' and seq is not null"))
                    .isEqualTo(1);
            assertChainValid(c);
        }
    }

    @Test
    void aSealerThatDiesMidBatchLeavesNoTraceAndTheNextSealsTheSameEntries() throws Exception {
        String subject = "killed-" + UUID.randomUUID();
        try (Connection dying = runtimeUser(); Connection admin = DriverManager.getConnection(
                config("quarkus.datasource.jdbc.url"), "postgres", "postgres")) {
            dying.setAutoCommit(false);
            long head = scalar(dying, "select seq from audit_head where id = 1 for update");
            QuarkusTransaction.requiringNew().run(() -> {
                for (int i = 0; i < 5; i++) {
                    append(subject, "test.killed-sealer");
                }
            });
            int pid;
            try (Statement s = dying.createStatement()) {
                s.executeUpdate("update audit_entry set seq = " + head + " + 1, at = now(), prev_hash = repeat('0', 64),"
                        + " hash = repeat('f', 64) where id = (select min(id) from audit_entry where subject = '"
                        + subject + "')");
                try (ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
                    rs.next();
                    pid = rs.getInt(1);
                }
            }
            scalar(admin, "select count(*) from (select pg_terminate_backend(" + pid + ")) t");
            assertThatThrownBy(dying::commit).isInstanceOf(SQLException.class);
        }
        sealer.sealCommitted();
        try (Connection c = runtimeUser()) {
            assertThat(scalar(c, "select count(*) from audit_entry where subject = '" + subject + "' and seq is not null"))
                    .isEqualTo(5);
            assertThat(scalar(c, "select count(*) from audit_entry where hash = repeat('f', 64)")).isZero();
            assertChainValid(c);
        }
    }

    @Test
    void anEntryOfALongTransactionIsSealedWhenItCommitsAfterEntriesThatCommittedBefore() throws Exception {
        String subject = "long-" + UUID.randomUUID();
        try (Connection longWriter = runtimeUser()) {
            longWriter.setAutoCommit(false);
            try (Statement s = longWriter.createStatement()) {
                s.executeUpdate("insert into audit_entry (written_at, actor, action, subject, data) values (now(), 'alice',"
                        + " 'test.long', '" + subject + "', '{}')");
            }
            Callable<Void> shortChange = () -> {
                QuarkusTransaction.requiringNew().run(() -> append(subject, "test.short"));
                return null;
            };
            pool.submit(shortChange).get(30, TimeUnit.SECONDS);
            sealer.sealCommitted();
            try (Connection c = runtimeUser()) {
                assertThat(scalar(c, "select count(*) from audit_entry where subject = '" + subject + "' and seq is not null"))
                        .as("only the committed change is sealed").isEqualTo(1);
            }
            longWriter.commit();
        }
        sealer.sealCommitted();
        try (Connection c = runtimeUser(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select action from audit_entry where subject = '" + subject + "' order by seq")) {
            List<String> order = new ArrayList<>();
            while (rs.next()) {
                order.add(rs.getString(1));
            }
            assertThat(order).as("in the order they committed").containsExactly("test.short", "test.long");
            assertChainValid(c);
        }
    }

    @Test
    void anAuditQueryAnswersWithEveryEntryCommittedBeforeIt() {
        String name = Submissions.uniqueName("read-your-writes");
        String id = Api.submitted("alice", Submissions.model(name, "1.0.0"));
        as("audrey").queryParam("subject", id).get("/api/v1/audit").then().statusCode(200)
                .body("items.action", org.hamcrest.Matchers.hasItem("submitted"));
    }

    @Test
    void theSealingLagAndTheBacklogAreMetrics() {
        QuarkusTransaction.requiringNew().run(() -> append("metrics-" + UUID.randomUUID(), "test.metrics"));
        sealer.sealCommitted();
        as("mona").accept("text/plain").get("/q/metrics").then().statusCode(200)
                .body(containsString("tollgate_audit_sealing_lag_seconds_count"))
                .body(containsString("tollgate_audit_sealing_lag_seconds{quantile=\"0.99\""))
                .body(containsString("tollgate_audit_unsealed_entries"))
                .body(containsString("tollgate_audit_unsealed_age_seconds"));
    }
}
