package dev.tollgate.upgrade;

import dev.tollgate.local.LocalServices;
import dev.tollgate.local.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.kie.flyway.initializer.KieFlywayInitializer;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The previous release's database, made again on a fresh PostgreSQL: the schema from the migrations up to the
 * release's version (Tollgate's, then KIE's, as the application runs them at start), then every row of the release's
 * snapshot, its schema history included, so that this release's Flyway holds the migrations it finds against the
 * checksums the release applied.
 */
final class ReleasedDatabase {

    /** src/test/upgrade/: the previous release's database and process definitions (README.md there). */
    static final Path DIRECTORY = Path.of(System.getProperty("tollgate.project.dir", "."), "src/test/upgrade");
    static final Path SNAPSHOT = DIRECTORY.resolve("previous-release.snapshot");

    private ReleasedDatabase() {
    }

    /**
     * Makes the release's database in the services' PostgreSQL and returns its snapshot. Waiting timers and token
     * expiries move forward by the snapshot's age, as if the upgrade came right after the snapshot was taken: a test
     * run months later must not find the approvals of the snapshot expired.
     */
    static DatabaseSnapshot restore(Map<String, String> config) throws Exception {
        DatabaseSnapshot snapshot = DatabaseSnapshot.read(SNAPSHOT);
        String url = config.get(LocalServices.JDBC_URL);
        Flyway.configure()
                .dataSource(url, PostgresServer.OWNER, PostgresServer.OWNER_PASSWORD)
                .table("tollgate_schema_history")
                .baselineOnMigrate(true).baselineVersion("0")
                .placeholders(Map.of("runtime_user", PostgresServer.USER))
                .target(snapshot.schemaVersion())
                .load().migrate();
        PGSimpleDataSource runtime = new PGSimpleDataSource();
        runtime.setURL(url);
        runtime.setUser(PostgresServer.USER);
        runtime.setPassword(PostgresServer.PASSWORD);
        KieFlywayInitializer.builder().withDatasource(runtime)
                .withClassLoader(ReleasedDatabase.class.getClassLoader()).build().migrate();
        try (Connection superuser = superuser(config)) {
            snapshot.restore(superuser);
            bringForward(superuser, Duration.between(snapshot.takenAt(), Instant.now()));
        }
        return snapshot;
    }

    /** A superuser session on Tollgate's database (the test services' superuser is postgres / postgres). */
    static Connection superuser(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(config.get(LocalServices.JDBC_URL), "postgres", "postgres");
    }

    private static void bringForward(Connection connection, Duration age) throws SQLException {
        for (String update : new String[] {
                "update scheduled_timer set due_at = due_at + ? where fired_at is null and cancelled_at is null",
                "update approval_task set due_at = due_at + ? where due_at is not null",
                "update api_token set expires_at = expires_at + ? where expires_at is not null"}) {
            try (PreparedStatement s = connection.prepareStatement(update.replace("?", "cast(? as interval)"))) {
                s.setString(1, age.toSeconds() + " seconds");
                s.executeUpdate();
            }
        }
    }
}
