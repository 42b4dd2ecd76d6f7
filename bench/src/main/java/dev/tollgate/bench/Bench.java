package dev.tollgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The load harness's command (docs/benchmarks.md): Tollgate through its public API and Kafka at each client
 * count, then the peers' engines on the same PostgreSQL server, then the ratios the targets name.
 *
 * <pre>
 * mvn -q -f bench/pom.xml compile exec:java -Dexec.args="--clients 1,4"
 * </pre>
 */
public final class Bench {

    private final Map<String, String> options = new LinkedHashMap<>();

    {
        options.put("url", "http://127.0.0.1:8080");
        options.put("bootstrap", "127.0.0.1:9092");
        options.put("server", "jdbc:postgresql://127.0.0.1:15432/");
        options.put("admin", "postgres:postgres");
        options.put("database", "tollgate");
        options.put("clients", "1,4");
        options.put("warm-up", "2000");
        options.put("submits", "600");
        options.put("cycles", "600");
        options.put("promotions", "200");
        options.put("decision-rate", "25,50,100");
        options.put("decisions", "500");
        options.put("step-costs", "100");
        options.put("peer-ops", "2000");
        options.put("peers", "camunda,flowable");
        options.put("report", "bench/target/bench-report.txt");
        options.put("prefill-candidates", "0");
        options.put("prefill-audit", "0");
    }
    private final Map<String, Double> results = new LinkedHashMap<>();
    private final List<String> report = new ArrayList<>();

    private Bench(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + options.keySet());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        new Bench(args).run();
        System.exit(0); // the engines leave non-daemon threads behind
    }

    private String option(String name) {
        return options.get(name);
    }

    private int[] clients() {
        return Arrays.stream(option("clients").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private String adminUser() {
        return option("admin").split(":", 2)[0];
    }

    private String adminPassword() {
        return option("admin").split(":", 2)[1];
    }

    private void say(String line) {
        System.out.println(line);
        report.add(line);
    }

    private void run() throws Exception {
        say("Tollgate bench: " + options);
        long pid = HostProbe.findProcess("quarkus-run.jar");
        say("application pid: " + (pid < 0 ? "not found (CPU and RSS not measured)" : pid));
        try (Connection admin = DriverManager.getConnection(option("server") + option("database"), adminUser(),
                adminPassword())) {
            prefill(admin);
            long bytesBefore = HostProbe.databaseBytes(admin, option("database"));
            long[] rowsBefore = HostProbe.rows(admin);
            warmUp(pid);
            // The server's setting, which Tollgate's sessions and the peers' share (mvn -Prun
            // -Dtollgate.postgres.synchronous-commit=on for production's).
            say("synchronous_commit: " + HostProbe.setting(admin, "synchronous_commit"));
            for (int c : clients()) {
                tollgate(c, pid);
            }
            pacedDecisions(pid);
            stepCosts();
            long bytesAfter = HostProbe.databaseBytes(admin, option("database"));
            long[] rowsAfter = HostProbe.rows(admin);
            long candidates = rowsAfter[0] - rowsBefore[0];
            long entries = rowsAfter[1] - rowsBefore[1];
            say(String.format("%ndatabase %s grew by %.1f MiB for %d candidates and %d audit entries: %.1f KiB per "
                    + "candidate, all tables and indexes included", option("database"),
                    (bytesAfter - bytesBefore) / 1048576.0, candidates, entries,
                    (bytesAfter - bytesBefore) / 1024.0 / Math.max(1, candidates)));
        }
        for (String peer : option("peers").split(",")) {
            if (!peer.isBlank() && !peer.equals("none")) {
                peer(peer.trim());
            }
        }
        ratios();
        Path file = Path.of(option("report"));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.write(file, report);
        System.out.println("\nReport written to " + file);
    }

    /**
     * Makes the tables big before the run, as a long-lived installation's are: closed candidates (RETIRED, with
     * no process instance) and sealed audit entries appended to the chain under the sealer's locks. The
     * entries' hashes are not real, so verification of this database fails afterwards; it is a benchmark's
     * database.
     */
    private void prefill(Connection admin) throws Exception {
        long candidates = Long.parseLong(option("prefill-candidates"));
        long entries = Long.parseLong(option("prefill-audit"));
        if (candidates <= 0 && entries <= 0) {
            return;
        }
        long start = System.nanoTime();
        admin.setAutoCommit(false);
        try (Statement s = admin.createStatement()) {
            if (candidates > 0) {
                s.execute("""
                        insert into candidate (id, kind, name, version, digest, pipeline, policy_digest, stage,
                                               submitted_by, submitted_at, metrics, labels, updated_at)
                        select gen_random_uuid(), 'MODEL', 'prefill-' || (g / 10), '1.' || (g %% 10) || '.0',
                               'sha256:' || repeat('c', 64), 'standard',
                               (select digest from policy_snapshot where pipeline = 'standard' limit 1), 'RETIRED',
                               'alice', now() - make_interval(secs => g), '{"auc": 0.9}', '{}', now()
                        from generate_series(1, %d) g""".formatted(candidates));
            }
            if (entries > 0) {
                s.execute("select pg_advisory_xact_lock(hashtextextended('audit-sealer', 0))");
                s.execute("select seq from audit_head where id = 1 for update");
                s.execute("""
                        insert into audit_entry (seq, at, actor, action, subject, data, prev_hash, hash, written_at)
                        select h.seq + g, now(), 'prefill', 'candidate.transition', 'prefill-' || (g %% 100000),
                               '{"n":1}', repeat('0', 64), repeat('1', 64), now()
                        from audit_head h, generate_series(1, %d) g where h.id = 1""".formatted(entries));
                s.execute("update audit_head set seq = seq + %d, hash = repeat('1', 64), at = now() where id = 1"
                        .formatted(entries));
            }
            admin.commit();
            s.execute("analyze");
        } finally {
            admin.setAutoCommit(true);
        }
        say(String.format("prefilled %d candidates and %d audit entries in %.0f s; database now %.0f MiB", candidates,
                entries, (System.nanoTime() - start) / 1e9, HostProbe.databaseBytes(admin, option("database")) / 1048576.0));
    }

    /**
     * Warms the application up until its JIT compiler is quiet: a fixed round of every kind of work, then more
     * rounds until the compiler threads use less than a tenth of a core (at most ten rounds). Measured phases
     * would otherwise share the machine with the compiler, the first of them most of all.
     */
    private void warmUp(long pid) throws Exception {
        int n = Integer.parseInt(option("warm-up"));
        boolean cycles = Integer.parseInt(option("cycles")) > 0;
        try (TollgateDriver driver = new TollgateDriver(option("url"), option("bootstrap"))) {
            long start = System.nanoTime();
            double jitRate = Double.NaN;
            for (int round = 0; round < 11; round++) {
                int size = round == 0 ? n : n / 10;
                double jit = HostProbe.jitCpuSeconds(pid);
                long roundStart = System.nanoTime();
                for (int clients : new int[] {1, 4}) {
                    parallel(clients, size / 2, i -> driver.submitOne("warm-" + UUID.randomUUID(), "standard"));
                    parallel(clients, size / 20, i -> driver.promoteOne("warm-" + UUID.randomUUID()));
                    if (cycles) {
                        parallel(clients, size / 10, i -> driver.benchCycle("warm-" + UUID.randomUUID()));
                    }
                }
                jitRate = (HostProbe.jitCpuSeconds(pid) - jit) / ((System.nanoTime() - roundStart) / 1e9);
                if (round > 0 && !(jitRate >= 0.1)) {
                    break;
                }
            }
            say(String.format("warm-up: %.0f s; JIT compiler at the end %.2f cores", (System.nanoTime() - start) / 1e9,
                    jitRate));
        }
    }

    interface Step {
        void run(int index) throws Exception;
    }

    /** Runs {@code total} steps on {@code clients} threads; returns the wall time in seconds. */
    private static double parallel(int clients, int total, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    for (int i = client; i < total; i += clients) {
                        step.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.MINUTES);
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    private HostProbe.WaitSampler waits() {
        return new HostProbe.WaitSampler(option("server") + option("database"), adminUser(), adminPassword(),
                option("database"));
    }

    /** Runs one measured phase of Tollgate and prints its throughput, the app's CPU and RSS, and the waits. */
    private double phase(String title, int clients, int total, long pid, Step step, List<Stats> stats) throws Exception {
        HostProbe.WaitSampler waits = waits();
        double cpu = HostProbe.cpuSeconds(pid);
        double jit = HostProbe.jitCpuSeconds(pid);
        double seconds = parallel(clients, total, step);
        double cpuUsed = HostProbe.cpuSeconds(pid) - cpu;
        double jitUsed = HostProbe.jitCpuSeconds(pid) - jit;
        say(String.format("%nTollgate, %d client(s): %d %s in %.1f s = %.1f/s; app CPU %.2f cores (JIT %.2f), "
                + "%.1f ms per operation, RSS %.0f MiB", clients, total, title, seconds, total / seconds,
                cpuUsed / seconds, jitUsed / seconds, 1000 * (cpuUsed - jitUsed) / total, HostProbe.rssMiB(pid)));
        for (Stats s : stats) {
            say(s.line(seconds));
        }
        sealingLag();
        say(waits.stop());
        return total / seconds;
    }

    /** The application's own audit sealing lag metric, after a phase (docs/audit.md). */
    private void sealingLag() throws Exception {
        double[] lag = TollgateDriver.sealingLagMillis(option("url"));
        if (lag != null) {
            say(String.format("  audit sealing lag (the application's metric, recent window): p50 %.1f ms, p99 %.1f ms,"
                    + " max %.1f ms", lag[0], lag[1], lag[2]));
        }
    }

    private void tollgate(int clients, long pid) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (TollgateDriver driver = new TollgateDriver(option("url"), option("bootstrap"))) {
            int submits = Integer.parseInt(option("submits"));
            results.put("tollgate.submits." + clients, phase("submissions (to the evaluation wait)", clients, submits,
                    pid, i -> driver.submitOne("bench-" + run + "-s" + i, "standard"), List.of(driver.submit)));

            int cycles = Integer.parseInt(option("cycles"));
            if (cycles > 0) {
                results.put("tollgate.cycles." + clients, phase("bench cycles (submit, vote, production result)",
                        clients, cycles, pid, i -> driver.benchCycle("bench-" + run + "-c" + i),
                        List.of(driver.benchSubmit, driver.benchVote, driver.benchProduction, driver.cycle)));
            }

            int promotions = Integer.parseInt(option("promotions"));
            if (promotions > 0) {
                results.put("tollgate.promotions." + clients, phase(
                        "standard promotions (submit, report, staging, vote, production)", clients, promotions, pid,
                        i -> driver.promoteOne("bench-" + run + "-p" + i), List.of(driver.report, driver.staging,
                                driver.vote, driver.granted, driver.production, driver.promotion)));
            }
        }
    }

    /**
     * Approvals at a fixed rate, whatever the answers' latency (an open loop, as approvers are): the time from
     * sending a vote to its approval.granted event at a consumer.
     */
    private void pacedDecisions(long pid) throws Exception {
        for (String rate : option("decision-rate").split(",")) {
            pacedDecisions(pid, Integer.parseInt(rate.trim()));
        }
    }

    private void pacedDecisions(long pid, int rate) throws Exception {
        int count = Integer.parseInt(option("decisions"));
        if (rate <= 0 || count <= 0) {
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (TollgateDriver driver = new TollgateDriver(option("url"), option("bootstrap"))) {
            List<String> tasks = Collections.synchronizedList(new ArrayList<>());
            parallel(4, count, i -> tasks.add(driver.awaitingApproval("paced-" + run + "-" + i)));
            Stats event = new Stats("vote sent -> approval.granted");
            Stats answer = new Stats("vote (POST decision)");
            HostProbe.WaitSampler waits = waits();
            double cpu = HostProbe.cpuSeconds(pid);
            List<CompletableFuture<Void>> pending = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < tasks.size(); i++) {
                long due = start + (long) (i * 1e9 / rate);
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                pending.add(driver.voteAsync(tasks.get(i), event, answer));
            }
            for (var f : pending) {
                f.get(2, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuUsed = HostProbe.cpuSeconds(pid) - cpu;
            say(String.format("%nTollgate, approvals paced at %d/s: %d in %.1f s; app CPU %.2f cores, RSS %.0f MiB",
                    rate, tasks.size(), seconds, cpuUsed / seconds, HostProbe.rssMiB(pid)));
            say(answer.line(seconds));
            say(event.line(seconds));
            say(waits.stop());
            results.put("tollgate.granted.p99." + rate, event.percentileMillis(99));
        }
    }

    /**
     * What one step costs the database, one client, steps of one kind run back to back: commits, WAL bytes and
     * rows written, from pg_stat_database and the WAL position, net of what the idle background loops cost
     * over the same time.
     */
    private void stepCosts() throws Exception {
        int n = Integer.parseInt(option("step-costs"));
        if (n <= 0) {
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (TollgateDriver driver = new TollgateDriver(option("url"), option("bootstrap"));
             Connection admin = DriverManager.getConnection(option("server") + option("database"), adminUser(),
                     adminPassword())) {
            // Autovacuum's WAL, and the full-page images the first change of a page after a checkpoint writes, would
            // land on whichever step they happen to fall in: both off while measuring, so the WAL is the steps' own.
            setServer(admin, "autovacuum", "off");
            setServer(admin, "full_page_writes", "off");
            Thread.sleep((long) (SETTLE_SECONDS * 1000)); // the phases before finish reporting first
            HostProbe.DatabaseCounters idle = HostProbe.DatabaseCounters.over(admin, option("database"), SETTLE_SECONDS, null);
            say(String.format("%nPer step, 1 client, %d of each, net of the idle background (%.1f commits/s, %.0f WAL bytes/s);"
                    + " WAL without full-page images:",
                    n, idle.commits() / idle.seconds(), idle.walBytes() / idle.seconds()));
            say(String.format("  %-44s %8s %10s %8s %8s %8s", "step", "commits", "WAL bytes", "inserts", "updates",
                    "deletes"));
            List<String> ids = new ArrayList<>();
            List<String> tasks = new ArrayList<>();
            cost(admin, idle, "submit (standard, to the evaluation wait)", n,
                    () -> ids.add(driver.submitOne("cost-" + run + "-" + ids.size(), "standard")));
            Iterator<String> it = ids.iterator();
            cost(admin, idle, "evaluation report (gates, risk, staging asked)", n, () -> driver.report(it.next()));
            Iterator<String> st = ids.iterator();
            cost(admin, idle, "staging result (approval opened)", n, () -> tasks.add(driver.staging(st.next())));
            Iterator<String> vt = tasks.iterator();
            Iterator<String> vi = ids.iterator();
            cost(admin, idle, "vote (approved, production asked)", n, () -> driver.voteOn(vi.next(), vt.next()));
            Iterator<String> pt = ids.iterator();
            cost(admin, idle, "production result (IN_PRODUCTION)", n, () -> driver.production(pt.next()));
            if (Integer.parseInt(option("cycles")) > 0) {
                AtomicInteger cycle = new AtomicInteger();
                cost(admin, idle, "bench cycle (submit, vote, production result)", n,
                        () -> driver.benchCycle("cost-" + run + "-b" + cycle.incrementAndGet()));
            }
            setServer(admin, "autovacuum", null);
            setServer(admin, "full_page_writes", null);
        }
    }

    /**
     * PostgreSQL 15+ backends report their statistics at most once a second, and an idle one only after ten:
     * a measurement waits that long after its work, so that every commit of it is counted.
     */
    private static final double SETTLE_SECONDS = 11;

    private static void setServer(Connection admin, String setting, String value) throws Exception {
        try (Statement s = admin.createStatement()) {
            s.execute(value == null ? "alter system reset " + setting : "alter system set " + setting + " = " + value);
            s.execute("select pg_reload_conf()");
        }
    }

    interface Action {
        void run() throws Exception;
    }

    private void cost(Connection admin, HostProbe.DatabaseCounters idle, String step, int n, Action action)
            throws Exception {
        HostProbe.DatabaseCounters used = HostProbe.DatabaseCounters.over(admin, option("database"), SETTLE_SECONDS, () -> {
            for (int i = 0; i < n; i++) {
                action.run();
            }
        });
        HostProbe.DatabaseCounters net = used.minus(idle.scaledTo(used.seconds()));
        say(String.format("  %-44s %8.1f %10.0f %8.1f %8.1f %8.1f", step, net.commits() / n, net.walBytes() / n,
                net.inserts() / n, net.updates() / n, net.deletes() / n));
    }

    private void peer(String peer) throws Exception {
        String database = "bench_" + peer;
        String url = Peers.freshDatabase(option("server"), adminUser(), adminPassword(), database, adminUser());
        int ops = Integer.parseInt(option("peer-ops"));
        try (Peers.Engine engine = switch (peer) {
            case "camunda" -> Peers.camunda(url, adminUser(), adminPassword(), 20);
            case "flowable" -> Peers.flowable(url, adminUser(), adminPassword(), 20);
            default -> throw new IllegalArgumentException("unknown peer " + peer);
        }) {
            parallel(2, 200, i -> engine.approve(engine.start(0.93))); // warm-up
            for (int c : clients()) {
                Stats starts = new Stats("start (to the approval task)");
                double seconds = parallel(c, ops, i -> {
                    long t = System.nanoTime();
                    engine.start(0.93);
                    starts.record(System.nanoTime() - t);
                });
                Stats cycles = new Stats("start + task query + complete");
                double cycleSeconds = parallel(c, ops, i -> {
                    long t = System.nanoTime();
                    engine.approve(engine.start(0.93));
                    cycles.record(System.nanoTime() - t);
                });
                say(String.format("%n%s (full history, embedded), %d client(s):", engine.name(), c));
                say(starts.line(seconds));
                say(cycles.line(cycleSeconds));
                results.put(peer + ".starts." + c, ops / seconds);
                results.put(peer + ".cycles." + c, ops / cycleSeconds);
            }
        }
    }

    private void ratios() {
        say("\nRatios (this run, same PostgreSQL server):");
        int[] clients = clients();
        int most = Arrays.stream(clients).max().orElse(1);
        int least = Arrays.stream(clients).min().orElse(1);
        if (most != least) {
            ratio("Tollgate submits/s, " + most + " vs " + least + " client(s)", "tollgate.submits." + most,
                    "tollgate.submits." + least, 1.5);
            ratio("Tollgate bench cycles/s, " + most + " vs " + least + " client(s)", "tollgate.cycles." + most,
                    "tollgate.cycles." + least, Double.NaN);
        }
        for (String peer : option("peers").split(",")) {
            if (peer.isBlank() || peer.equals("none")) {
                continue;
            }
            boolean target = peer.trim().equals("camunda");
            ratio("Tollgate submits/s vs " + peer + " starts/s, " + most + " clients", "tollgate.submits." + most,
                    peer.trim() + ".starts." + most, target ? 1.0 : Double.NaN);
            ratio("Tollgate bench cycles/s vs " + peer + " cycles/s, " + most + " clients", "tollgate.cycles." + most,
                    peer.trim() + ".cycles." + most, target ? 1.0 : Double.NaN);
        }
        for (String rate : option("decision-rate").split(",")) {
            Double p99 = results.get("tollgate.granted.p99." + rate.trim());
            if (p99 != null) {
                say(String.format("  vote -> approval.granted p99 at %s decisions/s: %.1f ms%s", rate.trim(), p99,
                        rate.trim().equals("100") ? String.format("  (target <= 25 ms: %s)", p99 <= 25 ? "met" : "missed")
                                : ""));
            }
        }
    }

    private void ratio(String label, String numerator, String denominator, double target) {
        Double n = results.get(numerator);
        Double d = results.get(denominator);
        if (n == null || d == null) {
            return;
        }
        say(String.format("  %-58s %6.2fx%s", label, n / d, Double.isNaN(target) ? ""
                : String.format("  (target >= %.1fx: %s)", target, n / d >= target ? "met" : "missed")));
    }
}
