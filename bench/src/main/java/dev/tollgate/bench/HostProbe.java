package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the run cost outside the harness: the application's CPU time and resident memory (from /proc), the
 * database's growth, and what the database's sessions were waiting for, sampled every 10 ms.
 */
final class HostProbe {

    private static final long CLOCK_TICKS = 100; // USER_HZ on Linux

    private HostProbe() {
    }

    /** The pid of the process whose command line contains {@code needle}, or -1. */
    static long findProcess(String needle) throws IOException {
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(dir.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.contains(needle) && !cmd.contains("dev.tollgate.bench")) {
                        return Long.parseLong(name);
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return -1;
    }

    /** User + system CPU seconds the process used so far. */
    static double cpuSeconds(long pid) throws IOException {
        if (pid < 0) {
            return Double.NaN;
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
    }

    /** CPU seconds the process's JIT compiler threads used so far. */
    static double jitCpuSeconds(long pid) throws IOException {
        if (pid < 0) {
            return Double.NaN;
        }
        double total = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        String stat = Files.readString(task.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        total += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
                    }
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        return total;
    }

    /** Resident set size in MiB. */
    static double rssMiB(long pid) throws IOException {
        if (pid < 0) {
            return Double.NaN;
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    static long databaseBytes(Connection c, String database) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_database_size('" + database + "')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** How many candidates and audit entries the database holds. */
    static long[] rows(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select count(*) from candidate), (select count(*) from audit_entry)")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    static String setting(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** What the database did over a span of time: commits, WAL bytes, rows written. */
    record DatabaseCounters(double seconds, double commits, double walBytes, double inserts, double updates,
                            double deletes) {

        interface Work {
            void run() throws Exception;
        }

        /** Runs {@code work} (or nothing), then waits {@code settleSeconds} for the background to finish it. */
        static DatabaseCounters over(Connection c, String database, double settleSeconds, Work work) throws Exception {
            double[] before = read(c, database);
            long start = System.nanoTime();
            if (work != null) {
                work.run();
            }
            Thread.sleep((long) (settleSeconds * 1000));
            double[] after = read(c, database);
            return new DatabaseCounters((System.nanoTime() - start) / 1e9, after[0] - before[0], after[1] - before[1],
                    after[2] - before[2], after[3] - before[3], after[4] - before[4]);
        }

        DatabaseCounters scaledTo(double otherSeconds) {
            double f = otherSeconds / seconds;
            return new DatabaseCounters(otherSeconds, commits * f, walBytes * f, inserts * f, updates * f, deletes * f);
        }

        DatabaseCounters minus(DatabaseCounters o) {
            return new DatabaseCounters(seconds, commits - o.commits, walBytes - o.walBytes, inserts - o.inserts,
                    updates - o.updates, deletes - o.deletes);
        }

        private static double[] read(Connection c, String database) throws SQLException {
            // Backends publish their counters some time after their transactions end (the caller waits for
            // that); clear this session's cached snapshot and read what has been published.
            try (Statement s = c.createStatement()) {
                s.execute("select pg_stat_clear_snapshot()");
                try (ResultSet rs = s.executeQuery("""
                        select xact_commit, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0'), tup_inserted, tup_updated,
                               tup_deleted from pg_stat_database where datname = '%s'""".formatted(database))) {
                    rs.next();
                    return new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4),
                            rs.getDouble(5)};
                }
            }
        }
    }

    /** Samples pg_stat_activity of one database while a run goes on; {@link #stop} returns the counts. */
    static final class WaitSampler {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<String, Integer> waits = new TreeMap<>();
        private final Thread thread;
        private int samples;
        private int activeSessions;

        WaitSampler(String jdbcUrl, String user, String password, String database) {
            thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                     Statement s = c.createStatement()) {
                    while (running.get()) {
                        try (ResultSet rs = s.executeQuery("""
                                select coalesce(a.wait_event_type || ':' || a.wait_event, 'CPU') as waiting,
                                       (select string_agg(distinct l.locktype || coalesce(' ' || l.relation::regclass::text, '')
                                                || case when l.locktype = 'object' then ' class ' || l.classid::regclass::text
                                                   || ' objid ' || l.objid else '' end, ', ')
                                        from pg_locks l where l.pid = a.pid and not l.granted) as lock,
                                       left(a.query, 60) as query
                                from pg_stat_activity a
                                where a.datname = '%s' and a.state = 'active' and a.pid <> pg_backend_pid()
                                """.formatted(database))) {
                            synchronized (waits) {
                                samples++;
                                while (rs.next()) {
                                    activeSessions++;
                                    String key = rs.getString("waiting");
                                    if (rs.getString("lock") != null) {
                                        key += " [" + rs.getString("lock") + "] " + rs.getString("query");
                                    }
                                    waits.merge(key, 1, Integer::sum);
                                }
                            }
                        }
                        Thread.sleep(10);
                    }
                } catch (SQLException | InterruptedException e) {
                    System.err.println("wait sampler stopped: " + e.getMessage());
                }
            }, "wait-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        String stop() throws InterruptedException {
            running.set(false);
            thread.join(2000);
            StringBuilder out = new StringBuilder();
            synchronized (waits) {
                out.append(String.format("  database sessions, %d samples, %d active session-samples:%n", samples,
                        activeSessions));
                waits.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(8)
                        .forEach(e -> out.append(String.format("    %5.1f%%  %s%n",
                                100.0 * e.getValue() / Math.max(1, activeSessions), e.getKey())));
            }
            return out.toString();
        }
    }
}
