package dev.tollgate.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    /** The superuser, as which some tests read and tamper with the database (password: postgres). */
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Map<String, String> settings;

    private PostgresServer(EmbeddedPostgres postgres, Path dataDirectory, Map<String, String> settings) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.settings = settings;
    }

    /** Starts a new, empty server; anything left in {@code dataDirectory} by an earlier run is removed. */
    public static PostgresServer start(int port, Path dataDirectory) throws IOException, SQLException {
        return start(port, dataDirectory, Map.of());
    }

    /**
     * The same, with server settings of the caller's on top of these: {@code synchronous_commit=on} makes a
     * commit durable before it is acknowledged, as production runs it; the default here is the embedded
     * server's {@code off}, which is faster and loses the last commits if the server itself crashes.
     */
    public static PostgresServer start(int port, Path dataDirectory, Map<String, String> extraSettings)
            throws IOException, SQLException {
        LocalFiles.deleteRecursively(dataDirectory);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("listen_addresses", "127.0.0.1");
        settings.putAll(serverSettings(extraSettings));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(true);
        settings.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres = builder.start();
        createRolesAndDatabase(database -> postgres.getDatabase(SUPERUSER, database).getConnection());
        return new PostgresServer(postgres, dataDirectory, settings);
    }

    /** The server settings of every PostgreSQL the tests start, with the caller's on top. */
    static Map<String, String> serverSettings(Map<String, String> extraSettings) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("timezone", "UTC");
        settings.put("synchronous_commit", "off");
        settings.put("max_connections", "200");
        settings.putAll(extraSettings);
        return settings;
    }

    /** A superuser's session on one database of a fresh server. */
    interface Superuser {
        Connection on(String database) throws SQLException;
    }

    /** Sets up a fresh server as production is: the two roles, and the database the owner role owns. */
    static void createRolesAndDatabase(Superuser superuser) throws SQLException {
        try (Connection c = superuser.on("postgres"); Statement s = c.createStatement()) {
            s.execute("create role " + OWNER + " login password '" + OWNER_PASSWORD + "'");
            s.execute("create role " + USER + " login password '" + PASSWORD + "'");
            s.execute("create database " + DATABASE + " owner " + OWNER);
        }
        try (Connection c = superuser.on(DATABASE); Statement s = c.createStatement()) {
            // KIE runs its own migrations as the runtime user: its tables are the engine's state, not the audit trail.
            s.execute("grant usage, create on schema public to " + USER);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    /** Stops the server the way a crash would (pg_ctl stop -m immediate): no checkpoint, recovery at the next start. */
    public void stopImmediately() throws IOException, InterruptedException {
        pgCtl("-m", "immediate", "stop");
    }

    /** Starts the stopped server again, on the same port and data, and waits until it accepts connections. */
    public void startAgain() throws IOException, InterruptedException {
        StringBuilder options = new StringBuilder("-p " + port());
        settings.forEach((key, value) -> options.append(" -c ").append(key).append('=').append(value));
        pgCtl("-o", options.toString(), "-l", dataDirectory.resolveSibling("postgres-restart.log").toString(), "start");
    }

    private void pgCtl(String... arguments) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>();
        if (io.zonky.test.db.postgres.util.LinuxUtils.isUnshareAvailable()) {
            // As the embedded server itself is run: in a user namespace, where root is not root (pg_ctl refuses root).
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(binary("pg_ctl").toString(), "-D", dataDirectory.toString(), "-w", "-t", "60"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("pg_ctl " + String.join(" ", arguments) + " failed: " + output);
        }
    }

    /** A program of the unpacked PostgreSQL distribution the embedded server runs from. */
    private Path binary(String name) throws IOException {
        try {
            var field = EmbeddedPostgres.class.getDeclaredField("pgDir");
            field.setAccessible(true);
            return ((File) field.get(postgres)).toPath().resolve("bin").resolve(name);
        } catch (ReflectiveOperationException e) {
            throw new IOException("Cannot find the embedded PostgreSQL's " + name, e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
