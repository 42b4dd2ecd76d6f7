package dev.tollgate.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 16 server, from binaries that Maven Central serves inside a jar, bound to
 * 127.0.0.1. It holds one database, {@code tollgate}, with the two roles of a production setup
 * (docs/operations.md, "Database roles"): {@code tollgate_owner} owns the database and Tollgate's tables
 * (Flyway migrates as it), and {@code tollgate}, the runtime user the application connects as, may create
 * KIE's own tables but owns none of Tollgate's.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "tollgate";
    public static final String USER = "tollgate";
    public static final String PASSWORD = "tollgate";
    public static final String OWNER = "tollgate_owner";
    public static final String OWNER_PASSWORD = "tollgate_owner";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a new, empty server; anything left in {@code dataDirectory} by an earlier run is removed. */
    public static PostgresServer start(int port, Path dataDirectory) throws IOException, SQLException {
        LocalFiles.deleteRecursively(dataDirectory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create role " + OWNER + " login password '" + OWNER_PASSWORD + "'");
            s.execute("create role " + USER + " login password '" + PASSWORD + "'");
            s.execute("create database " + DATABASE + " owner " + OWNER);
        }
        try (Connection c = postgres.getDatabase("postgres", DATABASE).getConnection(); Statement s = c.createStatement()) {
            // KIE runs its own migrations as the runtime user: its tables are the engine's state, not the audit trail.
            s.execute("grant usage, create on schema public to " + USER);
        }
        return new PostgresServer(postgres);
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
