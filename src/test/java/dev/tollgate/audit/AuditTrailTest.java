package dev.tollgate.audit;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.submitted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Every kind of event is audited; the chain detects edits, deletions and reordering. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AuditTrailTest {

    @Inject
    EntityManager em;

    @SuppressWarnings("unchecked")
    private List<String> actions(String subject) {
        return QuarkusTransaction.requiringNew().call(() -> em
                .createNativeQuery("select action from audit_entry where subject = :s order by seq")
                .setParameter("s", subject).getResultList());
    }

    private long count(String where) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from audit_entry where " + where).getSingleResult()).longValue());
    }

    /** A superuser session with triggers disabled: what an attacker with full database access could do. */
    private static Connection superuser() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        try (Statement s = c.createStatement()) {
            s.execute("set session_replication_role = replica");
        }
        return c;
    }

    private static void tamper(String... statements) throws Exception {
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Test
    void everyTransitionVoteAndDeploymentOfAPromotionIsAudited() {
        String id = Promotions.toProduction(Submissions.model(Submissions.uniqueName("audited"), "1.0.0"));
        List<String> types = as("audrey").get("/api/v1/candidates/" + id + "/history").then().extract().path("type");
        assertThat(actions(id)).containsExactlyElementsOf(types.stream()
                .map(t -> t.substring("dev.tollgate.promotion.".length())).toList());
        String gates = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select data from audit_entry where subject = :s and action = 'evaluation.passed'")
                .setParameter("s", id).getSingleResult());
        assertThat(gates).contains("\"metric\":\"auc\"", "\"bound\":0.8", "\"policyDigest\":\"sha256:");
    }

    @Test
    void ignoredDeploymentResultsDeniedRequestsAndPolicyLoadsAreAudited() {
        String id = submitted("alice", Submissions.model(Submissions.uniqueName("ignored"), "1.0.0"));
        Promotions.deployment(id, "production", "SUCCEEDED").statusCode(409);
        assertThat(actions(id)).contains("deployment.ignored");

        long deniedBefore = count("action = 'access.denied' and actor = 'mona'");
        as("mona").get("/api/v1/audit/verify").then().statusCode(403);
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(count("action = 'access.denied' and actor = 'mona'")).isEqualTo(deniedBefore + 1));
        String cancelled = submitted("alice", Submissions.model(Submissions.uniqueName("deny"), "1.0.0"));
        as("bob").contentType("application/json").body("{}").post("/api/v1/candidates/" + cancelled + "/cancel")
                .then().statusCode(403);
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(count("action = 'access.denied' and actor = 'bob'")).isPositive());
        assertThat(count("action = 'policy.loaded'")).isPositive();
    }

    @Inject
    AuditLog audit;

    @Test
    void entriesAreWrittenInTheTransactionOfTheirChangeAndOnlyIfItCommits() {
        String subject = java.util.UUID.randomUUID().toString();
        long[] transaction = new long[1];
        QuarkusTransaction.requiringNew().run(() -> {
            transaction[0] = ((Number) em.createNativeQuery("select txid_current()").getSingleResult()).longValue();
            audit.append("alice", "test.committed", new AuditLog.Subject(subject, null, null, null), java.util.Map.of());
        });
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            audit.append("alice", "test.rolled-back", new AuditLog.Subject(subject, null, null, null), java.util.Map.of());
            throw new IllegalStateException("the change fails");
        })).hasMessageContaining("the change fails");

        assertThat(actions(subject)).containsExactly("test.committed");
        long writtenBy = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select cast(cast(written_in as text) as bigint) from audit_entry where subject = :s")
                .setParameter("s", subject).getSingleResult()).longValue());
        assertThat(writtenBy).as("the entry's inserting transaction").isEqualTo(transaction[0]);
    }

    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void verificationWhileOthersAppendNeverSeesAHeadThatLagsItsEntries() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean appending = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (appending.get()) {
                QuarkusTransaction.requiringNew().run(() -> audit.append("alice", "test.concurrent",
                        AuditLog.Subject.NONE, java.util.Map.of()));
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 20; i++) {
                try (Connection c = dataSource.getConnection()) {
                    AuditVerifier.Result result = AuditVerifier.verify(c);
                    assertThat(result.valid()).as("verification %d: %s", i, result.problem()).isTrue();
                }
            }
        } finally {
            appending.set(false);
            writer.join();
        }
    }

    @Test
    void theApplicationsDatabaseUserMayNotChangeOrDeleteEntries() {
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("update audit_entry set actor = 'mallory' where seq = 1").executeUpdate()))
                .hasStackTraceContaining("permission denied");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("delete from audit_entry where seq = 1").executeUpdate()))
                .hasStackTraceContaining("permission denied");
    }

    @Test
    void evenTheTablesOwnerIsRefusedByTheTriggers() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        try (Connection c = DriverManager.getConnection(url, ConfigProvider.getConfig().getValue("quarkus.flyway.username",
                String.class), ConfigProvider.getConfig().getValue("quarkus.flyway.password", String.class));
             Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("update audit_entry set actor = 'mallory' where seq = 1"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("delete from audit_entry where seq = 1")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("truncate audit_entry")).hasMessageContaining("append-only");
        }
    }

    private static final String COLUMNS = "at, actor, action, subject, kind, name, version, data, prev_hash, hash";

    private long entryToTamperWith() throws Exception {
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("chain"), "1.0.0"));
        as("audrey").get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
        try (Connection c = superuser(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select max(seq) - 5 from audit_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void assertFirstInvalid(long seq) {
        as("audrey").get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(false))
                .body("firstInvalidSeq", equalTo((int) seq));
    }

    private static void assertIntact() {
        as("audrey").get("/api/v1/audit/verify").then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void editingAnEntryIsDetectedAtThatEntry() throws Exception {
        long n = entryToTamperWith();
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("create temp table original as select * from audit_entry where seq = " + n);
            s.execute("update audit_entry set actor = 'mallory' where seq = " + n);
            assertFirstInvalid(n);
            s.execute("update audit_entry set actor = (select actor from original) where seq = " + n);
        }
        assertIntact();
    }

    @Test
    void deletingAnEntryIsDetectedAtThatEntry() throws Exception {
        long n = entryToTamperWith();
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("create temp table original as select * from audit_entry where seq = " + n);
            s.execute("delete from audit_entry where seq = " + n);
            assertFirstInvalid(n);
            s.execute("insert into audit_entry select * from original");
        }
        assertIntact();
    }

    @Test
    void reorderingEntriesIsDetectedAtTheFirstMovedEntry() throws Exception {
        long n = entryToTamperWith();
        try (Connection c = superuser(); Statement s = c.createStatement()) {
            s.execute("create temp table original as select * from audit_entry where seq in (" + n + ", " + (n + 1) + ")");
            s.execute("update audit_entry a set (" + COLUMNS + ") = (select " + COLUMNS + " from original o where o.seq = "
                    + (n + 1) + ") where a.seq = " + n);
            s.execute("update audit_entry a set (" + COLUMNS + ") = (select " + COLUMNS + " from original o where o.seq = "
                    + n + ") where a.seq = " + (n + 1));
            assertFirstInvalid(n);
            s.execute("update audit_entry a set (" + COLUMNS + ") = (select " + COLUMNS + " from original o where o.seq = a.seq)"
                    + " where a.seq in (" + n + ", " + (n + 1) + ")");
        }
        assertIntact();
    }
}
