package dev.tollgate.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.PGConnection;

/**
 * Upgrading from the previous release: this release starts on the database the previous one left
 * (src/test/upgrade/previous-release.snapshot, promotions under way at every kind of wait), migrates it forward, keeps
 * every row, and finishes what was under way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseUpgradeIT {

    /** The snapshot's candidates (its first line says how each got there). */
    private static final String EVALUATING = "e9feb18c-720c-4b3c-b8ee-7e3b19655763";
    private static final String STAGING = "5f40efe6-8fa8-4363-b5d3-92c29fe61cf2";
    private static final String AWAITING_APPROVAL = "22022d8f-a568-48ec-924f-91ff14d785a9";
    private static final String HALF_APPROVED = "1b94ee9c-c480-40cc-935e-329e71c4b83c";
    private static final String PRODUCTION = "51d496f8-29ba-4bf8-be1c-8cb8ac338dcd";
    private static final String FRAUD_SCORER_IN_PRODUCTION = "723d2ae1-f1d7-4680-98fe-94b3824bd55b";
    private static final String PROMPT_IN_PRODUCTION = "4d8a2873-2ccb-4ac4-a266-31002647c56f";
    /** The secret of the snapshot's API token, alice's, made in the previous release (shown once, as tokens are). */
    private static final String TOKEN = "tg_Yj-gU8JgoABfMxrKEr6GMuLbCFGRFqMmKkY9RZR8AJU";

    private static TestServices services;
    private static Map<String, String> config;
    private static DatabaseSnapshot release;
    private static Map<String, String> stagesBefore;
    private static AppProcess app;
    private static Client client;

    @BeforeAll
    static void startThisReleaseOnThePreviousReleasesDatabase() throws Exception {
        services = TestServices.start();
        release = ReleasedDatabase.restore(services.config());
        stagesBefore = stages();
        config = AppProcess.withoutRateLimits(services.config());
        app = AppProcess.start(config);
        client = new Client(app.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    @Order(1)
    void theSchemaMovesForwardFromTheReleasedVersionAndLeavesWhatWasAppliedAsItWas() throws Exception {
        List<String> migrations = migrationVersions();
        List<String> applied = new ArrayList<>();
        try (Connection db = ReleasedDatabase.superuser(services.config()); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select version, success from tollgate_schema_history "
                     + "where version is not null and version <> '0' order by installed_rank")) {
            while (rs.next()) {
                assertThat(rs.getBoolean("success")).as("migration %s succeeded", rs.getString("version")).isTrue();
                applied.add(rs.getString("version"));
            }
        }

        assertThat(applied).containsExactlyElementsOf(migrations);
        assertThat(migrations).as("versions 1, 2, 3, ... with no gap")
                .containsExactlyElementsOf(IntStream.rangeClosed(1, migrations.size()).mapToObj(String::valueOf).toList());
        assertThat(Integer.parseInt(release.schemaVersion())).isLessThan(migrations.size());
        assertThat(releasedHistory(false)).as("the release's history rows, checksums included, as it wrote them")
                .isEqualTo(releasedHistory(true));
    }

    @Test
    @Order(2)
    void everyRowOfThePreviousReleaseIsStillThereAndReadsAsBefore() throws Exception {
        try (Connection db = ReleasedDatabase.superuser(services.config()); Statement s = db.createStatement()) {
            for (DatabaseSnapshot.Table table : release.tables()) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table.name())) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(table.name()).isGreaterThanOrEqualTo(table.rowCount());
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "select count(*) from candidate where stage_entered_at is distinct from updated_at")) {
                rs.next();
                assertThat(rs.getLong(1)).as("V12 takes each candidate's stage time from its last change").isZero();
            }
        }
        Map<String, String> listed = new LinkedHashMap<>();
        client.get("audrey", "/api/v1/candidates?limit=100").path("items")
                .forEach(c -> listed.put(c.path("id").asText(), c.path("stage").asText()));
        assertThat(listed).containsExactlyInAnyOrderEntriesOf(stagesBefore);

        var verification = client.get("audrey", "/api/v1/audit/verify");
        assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
        assertThat(verification.path("entries").asLong())
                .isGreaterThanOrEqualTo(release.rowCounts().get("public.audit_entry"));

        assertThat(client.withToken(TOKEN, "/api/v1/candidates?limit=1").status())
                .as("an API token made by the previous release still signs in").isEqualTo(200);
    }

    @Test
    @Order(3)
    void promotionsUnderWayInThePreviousReleaseFinishInThisOne() throws Exception {
        client.report(EVALUATING, "offline-eval");
        client.awaitStage(EVALUATING, "DEPLOYING_STAGING");
        for (String id : List.of(EVALUATING, STAGING)) {
            client.deployed(id, "staging");
            client.awaitStage(id, "AWAITING_APPROVAL");
        }
        for (String id : List.of(EVALUATING, STAGING, AWAITING_APPROVAL)) {
            client.approve("bob", id);
        }
        client.approve("rita", HALF_APPROVED); // bob's vote, cast in the previous release, still counts
        for (String id : List.of(EVALUATING, STAGING, AWAITING_APPROVAL, HALF_APPROVED, PRODUCTION)) {
            client.awaitStage(id, "DEPLOYING_PRODUCTION");
            client.deployed(id, "production");
            client.awaitStage(id, "IN_PRODUCTION");
        }

        assertThat(client.stage(FRAUD_SCORER_IN_PRODUCTION)).isEqualTo("RETIRED");
        assertThat(client.stage(PROMPT_IN_PRODUCTION)).isEqualTo("RETIRED");
        var verification = client.get("audrey", "/api/v1/audit/verify");
        assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
    }

    @Test
    @Order(4)
    void aReleasedMigrationEditedAfterItsReleaseStopsTheStart() throws Exception {
        try (Connection db = ReleasedDatabase.superuser(services.config()); Statement s = db.createStatement()) {
            s.executeUpdate("update tollgate_schema_history set checksum = checksum + 1 where version = '5'");
            try {
                AppProcess.Exited refused = AppProcess.startExpectingRefusal("local", config, Duration.ofSeconds(120));

                assertThat(refused.exitCode()).isNotZero();
                assertThat(refused.log()).contains("checksum mismatch for migration version 5");
            } finally {
                s.executeUpdate("update tollgate_schema_history set checksum = checksum - 1 where version = '5'");
            }
        }
    }

    /** The versions of the migrations this release ships, in order. */
    private static List<String> migrationVersions() throws Exception {
        Path directory = Path.of(System.getProperty("tollgate.project.dir", "."), "src/main/resources/db/migration");
        try (Stream<Path> files = Files.list(directory)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            assertThat(names).as("only versioned migrations: no undo (U) and no repeatable (R) ones")
                    .allMatch(name -> name.matches("V\\d+__[a-z0-9_]+\\.sql"));
            return names.stream().map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(Comparator.comparingInt(Integer::parseInt)).toList();
        }
    }

    /** Each candidate's stage, read from the database. */
    private static Map<String, String> stages() throws SQLException {
        Map<String, String> stages = new LinkedHashMap<>();
        try (Connection db = ReleasedDatabase.superuser(services.config()); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select id, stage from candidate order by id")) {
            while (rs.next()) {
                stages.put(rs.getString("id"), rs.getString("stage"));
            }
        }
        return stages;
    }

    /** The schema history rows the previous release wrote, now, and as the snapshot has them: column by column. */
    private static List<String> releasedHistory(boolean fromSnapshot) throws Exception {
        DatabaseSnapshot.Table history = release.tables().stream()
                .filter(t -> t.name().equals("public.tollgate_schema_history")).findFirst().orElseThrow();
        String columns = String.join(", ", history.columns());
        try (Connection db = ReleasedDatabase.superuser(services.config()); Statement s = db.createStatement()) {
            String from = "tollgate_schema_history where installed_rank <= " + history.rowCount();
            if (fromSnapshot) {
                s.execute("create temporary table released (like tollgate_schema_history)");
                db.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("copy released (" + columns + ") from stdin", new StringReader(history.rows()));
                from = "released";
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select " + columns + " from " + from + " order by installed_rank")) {
                int count = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= count; i++) {
                        values.add(String.valueOf(rs.getObject(i)));
                    }
                    rows.add(String.join("|", values));
                }
            }
            return rows;
        }
    }
}
