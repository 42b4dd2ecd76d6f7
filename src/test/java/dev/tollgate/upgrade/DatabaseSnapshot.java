package dev.tollgate.upgrade;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The rows of every table in the schema {@code public}, and where each sequence stands, as a text file: what a
 * release left in its database, to upgrade from in a test. Rows are in PostgreSQL's COPY text format, so every type
 * (bytea, jsonb, timestamps) comes back exactly. The schema itself is not in the file: the test makes it with the
 * release's migrations, which Flyway's checksums (in the snapshot's history rows) hold to what was released.
 *
 * <pre>
 * # a comment
 * table public.candidate (id, kind, ...)
 * ...rows, one per line, COPY text format...
 * \.
 * sequence public.outbox_event_id_seq 42 true
 * </pre>
 *
 * <p>Take one from a running release (a superuser session; {@code mvn -Prun} of the release uses user and password
 * {@code postgres}): {@code java ... dev.tollgate.upgrade.DatabaseSnapshot <jdbc url> <user> <password> <file>
 * <description>}; src/test/upgrade/README.md says when and how.
 */
public final class DatabaseSnapshot {

    private static final String END_OF_ROWS = "\\.";

    /** One table's rows, in COPY text format. */
    record Table(String name, List<String> columns, String rows) {
        long rowCount() {
            return rows.lines().count();
        }
    }

    /** A sequence's position: {@code setval(name, lastValue, isCalled)} restores it. */
    record Sequence(String name, long lastValue, boolean isCalled) {
    }

    private final List<Table> tables;
    private final List<Sequence> sequences;
    private final Instant takenAt;

    private DatabaseSnapshot(List<Table> tables, List<Sequence> sequences, Instant takenAt) {
        this.tables = tables;
        this.sequences = sequences;
        this.takenAt = takenAt;
    }

    List<Table> tables() {
        return tables;
    }

    Instant takenAt() {
        return takenAt;
    }

    /** The highest version in Tollgate's schema history: the schema the rows belong to. */
    String schemaVersion() {
        Table history = tables.stream().filter(table -> table.name().equals("public.tollgate_schema_history"))
                .findFirst().orElseThrow(() -> new IllegalStateException("The snapshot has no schema history"));
        int column = history.columns().indexOf("\"version\"");
        return history.rows().lines().map(row -> row.split("\t")[column]).filter(version -> !version.equals("\\N"))
                .max(Comparator.comparing(MigrationVersion::fromVersion))
                .orElseThrow();
    }

    /** How many rows each table had, by name ({@code public.candidate}). */
    Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        tables.forEach(table -> counts.put(table.name(), table.rowCount()));
        return counts;
    }

    /** Reads every table and sequence of the schema {@code public} through {@code connection}. */
    static DatabaseSnapshot take(Connection connection) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        List<Table> tables = new ArrayList<>();
        for (String table : names(connection, "select tablename from pg_tables where schemaname = 'public' order by 1")) {
            List<String> columns = columns(connection, table);
            ByteArrayOutputStream rows = new ByteArrayOutputStream();
            copy.copyOut("copy (select " + String.join(", ", columns) + " from public." + table + " order by 1) to stdout",
                    rows);
            tables.add(new Table("public." + table, columns, rows.toString(StandardCharsets.UTF_8)));
        }
        List<Sequence> sequences = new ArrayList<>();
        for (String sequence : names(connection,
                "select sequencename from pg_sequences where schemaname = 'public' order by 1")) {
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery("select last_value, is_called from public." + sequence)) {
                rs.next();
                sequences.add(new Sequence("public." + sequence, rs.getLong(1), rs.getBoolean(2)));
            }
        }
        return new DatabaseSnapshot(tables, sequences, Instant.now());
    }

    /**
     * Replaces the rows of the snapshot's tables with the snapshot's and puts its sequences where they stood. Needs a
     * superuser session: triggers (the audit trail's guards) and foreign keys are off while the rows go in, as in a
     * restore, so that the rows are exactly those of the release. Every table of the snapshot must exist with its
     * columns.
     */
    void restore(Connection connection) throws SQLException, IOException {
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("set local session_replication_role = replica");
            s.execute("truncate " + String.join(", ", tables.stream().map(Table::name).toList()));
            for (Table table : tables) {
                copy.copyIn("copy " + table.name() + " (" + String.join(", ", table.columns()) + ") from stdin",
                        new StringReader(table.rows()));
            }
            try (PreparedStatement setval = connection.prepareStatement("select setval(?, ?, ?)")) {
                for (Sequence sequence : sequences) {
                    setval.setString(1, sequence.name());
                    setval.setLong(2, sequence.lastValue());
                    setval.setBoolean(3, sequence.isCalled());
                    setval.execute();
                }
            }
            connection.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    void write(Path file, String description) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("# Tollgate database snapshot: " + description + "\n");
            out.write("# taken " + takenAt + "; format: dev.tollgate.upgrade.DatabaseSnapshot\n");
            for (Table table : tables) {
                out.write("table " + table.name() + " (" + String.join(", ", table.columns()) + ")\n");
                out.write(table.rows());
                out.write(END_OF_ROWS + "\n");
            }
            for (Sequence sequence : sequences) {
                out.write("sequence " + sequence.name() + " " + sequence.lastValue() + " " + sequence.isCalled() + "\n");
            }
        }
    }

    static DatabaseSnapshot read(Path file) throws IOException {
        List<Table> tables = new ArrayList<>();
        List<Sequence> sequences = new ArrayList<>();
        Instant takenAt = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("# taken ")) {
                    takenAt = Instant.parse(line.substring("# taken ".length(), line.indexOf(';')));
                }
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.startsWith("table ")) {
                    String name = line.substring("table ".length(), line.indexOf(' ', "table ".length()));
                    String columns = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                    StringBuilder rows = new StringBuilder();
                    String row;
                    while ((row = in.readLine()) != null && !row.equals(END_OF_ROWS)) {
                        rows.append(row).append('\n');
                    }
                    if (row == null) {
                        throw new IOException(file + ": the rows of " + name + " do not end with \\.");
                    }
                    tables.add(new Table(name, List.of(columns.split(", ")), rows.toString()));
                } else if (line.startsWith("sequence ")) {
                    String[] parts = line.split(" ");
                    sequences.add(new Sequence(parts[1], Long.parseLong(parts[2]), Boolean.parseBoolean(parts[3])));
                } else {
                    throw new IOException(file + ": unexpected line " + line);
                }
            }
        }
        if (takenAt == null) {
            throw new IOException(file + ": the line '# taken <instant>;' is missing");
        }
        return new DatabaseSnapshot(tables, sequences, takenAt);
    }

    private static List<String> names(Connection connection, String query) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static List<String> columns(Connection connection, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("""
                select column_name from information_schema.columns
                where table_schema = 'public' and table_name = ? and is_generated = 'NEVER'
                order by ordinal_position""")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add('"' + rs.getString(1) + '"');
                }
            }
        }
        return columns;
    }

    /** Takes a snapshot: {@code <jdbc url> <user> <password> <file> <description>}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: DatabaseSnapshot <jdbc url> <user> <password> <file> <description>");
            System.exit(2);
        }
        try (Connection connection = DriverManager.getConnection(args[0], args[1], args[2])) {
            DatabaseSnapshot snapshot = take(connection);
            snapshot.write(Path.of(args[3]), args[4]);
            snapshot.rowCounts().forEach((table, rows) -> System.out.println(table + ": " + rows + " rows"));
        }
    }
}
