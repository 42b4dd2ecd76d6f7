package dev.tollgate.audit;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.SealingPaused;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The audit trail against someone who holds the application's own database credentials, or the
 * database itself (docs/audit.md, "Threat model"). The runtime user cannot change history; what a
 * superuser changes, verification finds, against the checkpoint published on Kafka.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AuditTamperTest {

    @Inject
    AuditCheckpoints checkpoints;

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    /** A session as the runtime user: what anyone with the application's database credentials gets. */
    private static Connection runtimeUser() throws SQLException {
        return DriverManager.getConnection(config("quarkus.datasource.jdbc.url"), config("quarkus.datasource.username"),
                config("quarkus.datasource.password"));
    }

    private static Connection superuser() throws SQLException {
        Connection c = DriverManager.getConnection(config("quarkus.datasource.jdbc.url"), "postgres", "postgres");
        try (Statement s = c.createStatement()) {
            s.execute("set session_replication_role = replica");
        }
        return c;
    }

    private static JsonPath verify() {
        return as("audrey").get("/api/v1/audit/verify").then().statusCode(200).extract().jsonPath();
    }

    private static long head(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select seq from audit_head")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A promotion and a checkpoint of the head after it, published on Kafka; returns the checkpoint's seq. */
    private long publishedCheckpoint() {
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("tamper"), "1.0.0"));
        checkpoints.checkpoint();
        long[] seq = new long[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonPath report = verify();
            assertThat(report.getString("checkpointStatus")).isEqualTo("PUBLISHED");
            assertThat(report.getBoolean("valid")).isTrue();
            seq[0] = report.getLong("checkpoint.seq");
            assertThat(seq[0]).isGreaterThan(5);
        });
        return seq[0];
    }

    @Test
    void theRuntimeUserCanNeitherDisableTheTriggersNorChangeOrDeleteEntries() throws Exception {
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("runtime-user"), "1.0.0"));
        List<String> refused = new ArrayList<>();
        for (String attack : List.of(
                "alter table audit_entry disable trigger all",
                "set session_replication_role = replica",
                "delete from audit_entry where seq = 1",
                "update audit_entry set actor = 'mallory' where seq = 1",
                "update audit_entry set seq = seq + 1000000, hash = prev_hash where seq = 1",
                "truncate audit_entry",
                "drop trigger audit_entry_no_update_or_delete on audit_entry",
                "alter table audit_entry owner to current_user")) {
            try (Connection c = runtimeUser(); Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.execute(attack)).as(attack).isInstanceOf(SQLException.class)
                        .satisfies(e -> refused.add(((SQLException) e).getSQLState()));
            }
        }
        assertThat(refused).as("SQLSTATE of each refusal").containsOnly("42501");
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    @Test
    void aTailCutBySuperuserIsDetectedAgainstTheLatestPublishedCheckpointByDefault() throws Exception {
        long checkpoint = publishedCheckpoint();
        long cut = checkpoint - 2;
        try (SealingPaused paused = SealingPaused.now(); Connection c = superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long headBefore = head(s);
            s.execute("create temp table saved_tail as select * from audit_entry where seq >= " + cut);
            s.execute("delete from audit_entry where seq >= " + cut);
            s.execute("update audit_head set seq = " + (cut - 1) + ", hash = (select hash from audit_entry where seq = "
                    + (cut - 1) + ")");
            c.commit();

            JsonPath report = verify();

            s.execute("select seq from audit_head for update");
            s.execute("delete from audit_entry where seq >= " + cut);
            s.execute("insert into audit_entry select * from saved_tail");
            s.execute("update audit_head set seq = " + headBefore + ", hash = (select hash from audit_entry where seq = "
                    + headBefore + ")");
            c.commit();
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getString("problem")).contains("checkpoint " + checkpoint);
        }
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    @Test
    void aHeadMovedByTheRuntimeUserIsDetected() throws Exception {
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("head"), "1.0.0"));
        try (SealingPaused paused = SealingPaused.now(); Connection c = runtimeUser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            long head = head(s);
            s.execute("select seq from audit_head for update");
            s.execute("update audit_head set seq = " + (head - 3) + ", hash = (select hash from audit_entry where seq = "
                    + (head - 3) + ")");
            c.commit();

            JsonPath report = verify();

            s.execute("select seq from audit_head for update");
            s.execute("update audit_head set seq = (select max(seq) from audit_entry), "
                    + "hash = (select hash from audit_entry where seq is not null order by seq desc limit 1)");
            c.commit();
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getString("problem")).contains("the head says");
        }
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    @Test
    void anEntrySealedByHandWithTheRuntimeUsersCredentialsIsDetectedAndUnsealedContentCannotChange() throws Exception {
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("hand-sealed"), "1.0.0"));
        String forged = "forged-" + java.util.UUID.randomUUID();
        try (SealingPaused paused = SealingPaused.now(); Connection c = runtimeUser(); Statement s = c.createStatement();
             Connection admin = superuser(); Statement restore = admin.createStatement()) {
            s.execute("insert into audit_entry (written_at, actor, action, subject, data) values (now(), 'mallory', "
                    + "'candidate.transition', '" + forged + "', '{}')");
            assertThatThrownBy(() -> s.execute("update audit_entry set actor = 'alice' where subject = '" + forged + "'"))
                    .as("the content of an entry waiting for the sealer").isInstanceOf(SQLException.class);

            c.setAutoCommit(false);
            long head = head(s);
            s.execute("select seq from audit_head for update");
            s.execute("update audit_entry set seq = " + (head + 1) + ", at = now(), prev_hash = (select hash from "
                    + "audit_head), hash = repeat('f', 64) where subject = '" + forged + "'");
            s.execute("update audit_head set seq = " + (head + 1) + ", hash = repeat('f', 64), at = now()");
            c.commit();

            JsonPath report = verify();

            restore.execute("delete from audit_entry where subject = '" + forged + "'");
            restore.execute("update audit_head set seq = " + head + ", hash = (select hash from audit_entry where seq = "
                    + head + "), at = (select at from audit_entry where seq = " + head + ")");
            assertThat(report.getBoolean("valid")).isFalse();
            assertThat(report.getLong("firstInvalidSeq")).isEqualTo(head + 1);
        }
        assertThat(verify().getBoolean("valid")).isTrue();
    }

    @Test
    void anExportWhoseStartOrEndIsCutFailsOfflineVerification() throws Exception {
        Instant from = Instant.now();
        Promotions.toProduction(Submissions.model(Submissions.uniqueName("export-cut"), "1.0.0"));
        for (String format : List.of("jsonl", "csv")) {
            for (boolean window : List.of(false, true)) {
                var request = as("audrey").accept("*/*").queryParam("format", format);
                if (window) {
                    request = request.queryParam("from", from.toString());
                }
                String export = new String(request.get("/api/v1/audit/export").then().statusCode(200).extract()
                        .asByteArray(), StandardCharsets.UTF_8);
                List<String> lines = new ArrayList<>(List.of(export.split("\n")));
                int firstEntry = format.equals("csv") ? 2 : 1;
                String what = format + (window ? " window" : " whole");

                assertThat(verifyExport(format, lines).valid()).as(what + " intact").isTrue();
                List<String> startCut = new ArrayList<>(lines);
                startCut.remove(firstEntry);
                assertThat(verifyExport(format, startCut).problem()).as(what + " start cut").isNotNull();
                List<String> endCut = new ArrayList<>(lines.subList(0, lines.size() - 1));
                assertThat(verifyExport(format, endCut).problem()).as(what + " end cut").contains("end was cut");
                List<String> noAnchor = new ArrayList<>(lines.subList(1, lines.size()));
                assertThat(verifyExport(format, noAnchor).valid()).as(what + " anchor removed").isFalse();
            }
        }
    }

    private static AuditVerifier.Result verifyExport(String format, List<String> lines) throws Exception {
        Path file = Files.createTempFile("audit-", "." + format);
        try {
            Files.writeString(file, String.join("\n", lines) + "\n");
            return AuditVerifyCommand.verifyExport(file, null);
        } finally {
            Files.delete(file);
        }
    }
}
