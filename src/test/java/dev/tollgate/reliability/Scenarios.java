package dev.tollgate.reliability;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The fault scenarios of docs/reliability.md; each returns its measured figures. */
final class Scenarios {

    private static final int DRIVERS = 4;
    private static final Duration PATIENCE = Duration.ofMinutes(10);
    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final Harness harness;
    private final Scale scale;
    private final Random random = new Random(10);

    Scenarios(Harness harness, Scale scale) {
        this.harness = harness;
        this.scale = scale;
    }

    /** A fault to inject while promotions run; returns how long the system was down for it (ms). */
    interface Fault {
        long inject() throws Exception;
    }

    /** SIGKILL at random points during the promotions, and a restart each time. */
    Figures killedApplication() throws Exception {
        return underFaults("sigkill", scale.killPromotions(), scale.kills(), harness::killAndRestart);
    }

    /** PostgreSQL stopped as by a crash (immediate), and started again after three seconds. */
    Figures stoppedDatabase() throws Exception {
        return underFaults("postgres-stop", scale.postgresPromotions(), scale.postgresStops(), () -> {
            long started = System.nanoTime();
            harness.services.postgres().stopImmediately();
            Thread.sleep(3_000);
            harness.services.postgres().startAgain();
            return (System.nanoTime() - started) / 1_000_000;
        });
    }

    private Figures underFaults(String scenario, int promotions, int faults, Fault fault) throws Exception {
        String prefix = scenario + "-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Promoter promoter = new Promoter(harness.http, PATIENCE);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger finished = new AtomicInteger();
        List<Integer> faultAt = new ArrayList<>();
        while (faultAt.size() < faults) {
            int at = 3 + random.nextInt(Math.max(1, promotions - 6));
            if (!faultAt.contains(at)) {
                faultAt.add(at);
            }
        }
        Collections.sort(faultAt);
        AtomicLong lastFault = new AtomicLong(System.nanoTime());
        List<Long> downMs = Collections.synchronizedList(new ArrayList<>());
        long internalErrorsBefore = harness.http.internalErrors();
        try (EventLedger ledger = new EventLedger(harness.kafka());
             KafkaDeployer deployer = new KafkaDeployer(harness.kafka(), name -> name.startsWith(prefix))) {
            ExecutorService drivers = Executors.newFixedThreadPool(DRIVERS);
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            for (int d = 0; d < DRIVERS; d++) {
                running.add(drivers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < promotions; i = next.getAndIncrement()) {
                        String id = promoter.submit("standard", prefix + i);
                        if (id != null) {
                            ids.add(id);
                            promoter.drive(id, false);
                        }
                        finished.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int at : faultAt) {
                while (finished.get() < at) {
                    Thread.sleep(20);
                }
                Thread.sleep(random.nextInt(300));
                downMs.add(fault.inject());
                lastFault.set(System.nanoTime());
            }
            for (Future<?> driver : running) {
                driver.get(30, TimeUnit.MINUTES);
            }
            drivers.shutdown();
            long stuck = awaitSettled(ids, lastFault.get());
            Checks.Events events = Checks.events(harness, ledger, ids, Duration.ofSeconds(120));
            Map<String, Object> notes = Figures.newNotes();
            notes.put("committedTransitions", events.committed());
            notes.put("eventsReceived", events.received());
            notes.put("redelivered", events.redelivered());
            notes.put("must be 0: reordered", events.reordered());
            notes.put("faultDownMsMedian", median(downMs));
            notes.put("deployerDeliveries", deployer.deliveries());
            notes.put("http500", harness.http.internalErrors() - internalErrorsBefore);
            long duplicates = deployer.duplicateEffects() + Checks.doubleAppliedResults(harness, ids);
            return new Figures(scenario, promotions, faults, events.lost(), events.phantom(), duplicates, stuck,
                    Checks.falseSuccesses(harness, promoter.successes), notes);
        }
    }

    /** Waits until every candidate is in production, or a minute after the last fault; returns those that are not. */
    private long awaitSettled(List<String> ids, long lastFaultNanos) throws Exception {
        while (true) {
            long notDone = Checks.notIn(harness, ids, "IN_PRODUCTION");
            if (notDone == 0 || System.nanoTime() - lastFaultNanos > STUCK_AFTER.toNanos()) {
                return notDone;
            }
            Thread.sleep(500);
        }
    }

    /**
     * Kafka stopped for a while under load: approvals are still taken, new candidates still submitted and
     * evaluated; once the broker is back the backlog drains, in order, without gaps.
     */
    Figures kafkaOutage() throws Exception {
        String prefix = "kafka-outage-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Promoter promoter = new Promoter(harness.http, PATIENCE);
        int half = scale.kafkaOutagePromotions() / 2;
        List<String> waiting = Collections.synchronizedList(new ArrayList<>());
        List<String> fresh = Collections.synchronizedList(new ArrayList<>());
        try (EventLedger ledger = new EventLedger(harness.kafka());
             KafkaDeployer deployer = new KafkaDeployer(harness.kafka(), name -> name.startsWith(prefix))) {
            parallel(half, i -> {
                String id = promoter.submit("standard", prefix + "a" + i);
                waiting.add(id);
                promoter.drive(id, true);
            });
            harness.services.kafka().stop();
            long stoppedAt = System.nanoTime();
            AtomicInteger approvalsRefused = new AtomicInteger();
            parallel(half, i -> {
                String id = waiting.get(i);
                Http.Reply candidate = harness.http.get("audrey", "/api/v1/candidates/" + id);
                if (!promoter.approve(id, candidate.body().path("approvals").path("taskId").asText())) {
                    approvalsRefused.incrementAndGet();
                }
                String other = promoter.submit("standard", prefix + "b" + i);
                fresh.add(other);
                harness.http.post("eve", "/api/v1/candidates/" + other + "/evaluations",
                        "{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}, \"passed\": true}");
            });
            long backlog = Checks.unsentEvents(harness);
            long remaining = scale.kafkaOutageSeconds() * 1000L - (System.nanoTime() - stoppedAt) / 1_000_000;
            Thread.sleep(Math.max(0, remaining));
            long outageMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            harness.services.kafka().restart();
            long restartedAt = System.nanoTime();
            while (Checks.unsentEvents(harness) > 0 && System.nanoTime() - restartedAt < Duration.ofMinutes(2).toNanos()) {
                Thread.sleep(100);
            }
            long drainMs = (System.nanoTime() - restartedAt) / 1_000_000;
            List<String> all = new ArrayList<>(waiting);
            all.addAll(fresh);
            parallel(all.size(), i -> promoter.drive(all.get(i), false));
            long stuck = Checks.notIn(harness, all, "IN_PRODUCTION");
            Checks.Events events = Checks.events(harness, ledger, all, Duration.ofSeconds(120));
            Map<String, Object> notes = Figures.newNotes();
            notes.put("outageMs", outageMs);
            notes.put("must be 0: approvalsRefusedDuringOutage", (long) approvalsRefused.get());
            notes.put("approvalsAcceptedDuringOutage", half - approvalsRefused.get());
            notes.put("backlogAtRestart", backlog);
            notes.put("drainMs", drainMs);
            notes.put("must be 0: reordered", events.reordered());
            notes.put("committedTransitions", events.committed());
            long duplicates = deployer.duplicateEffects() + Checks.doubleAppliedResults(harness, all);
            return new Figures("kafka-outage", all.size(), 1, events.lost(), events.phantom(), duplicates, stuck,
                    Checks.falseSuccesses(harness, promoter.successes), notes);
        }
    }

    /** The same vote sent twice at once: one is counted, one event announces it. */
    Figures doubleVotes() throws Exception {
        String prefix = "double-vote-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        int trials = scale.voteTrials();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> tasks = new ConcurrentHashMap<>();
        parallel(trials, i -> {
            // The council pipeline needs three approvals: bob's vote leaves the task open, so the twin must be refused.
            Http.Reply submitted = harness.http.post("alice", "/api/v1/candidates", Promoter.model("council", prefix + i));
            String id = submitted.text("id");
            harness.http.post("eve", "/api/v1/candidates/" + id + "/evaluations",
                    "{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}, \"passed\": true}");
            harness.http.post("dave", "/api/v1/candidates/" + id + "/deployments",
                    "{\"stage\": \"staging\", \"outcome\": \"SUCCEEDED\"}");
            tasks.put(id, harness.http.get("audrey", "/api/v1/candidates/" + id).body().path("approvals").path("taskId").asText());
            ids.add(id);
        });
        AtomicInteger unexpected = new AtomicInteger();
        ExecutorService pairs = Executors.newFixedThreadPool(2 * DRIVERS);
        try {
            parallel(trials, i -> {
                String id = ids.get(i);
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Http.Reply>> twins = new ArrayList<>();
                for (int twin = 0; twin < 2; twin++) {
                    twins.add(pairs.submit(() -> {
                        together.await();
                        return harness.http.post("bob", "/api/v1/approvals/" + tasks.get(id) + "/decision",
                                "{\"decision\": \"APPROVE\", \"comment\": \"twice\"}");
                    }));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Http.Reply> reply : twins) {
                    statuses.add(reply.get().status());
                }
                Collections.sort(statuses);
                if (!statuses.equals(List.of(200, 403))) {
                    unexpected.incrementAndGet();
                }
            });
        } finally {
            pairs.shutdown();
        }
        long[] counts = new long[2];
        try (Connection c = harness.database(); PreparedStatement s = c.prepareStatement("""
                select (select count(*) from approval_vote v join approval_task t on t.id = v.task_id
                        where t.candidate_id = any(?) and v.voter = 'bob'),
                       (select count(*) from candidate_history h where h.candidate_id = any(?)
                        and h.event_type = 'dev.tollgate.promotion.approval.granted')""")) {
            java.sql.Array array = c.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray());
            s.setArray(1, array);
            s.setArray(2, array);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                counts[0] = rs.getLong(1);
                counts[1] = rs.getLong(2);
            }
        }
        Map<String, Object> notes = Figures.newNotes();
        notes.put("votesCounted", counts[0]);
        notes.put("grantedEvents", counts[1]);
        notes.put("must be 0: unexpectedStatusPairs", (long) unexpected.get());
        long duplicate = Math.max(0, counts[0] - trials) + Math.max(0, counts[1] - trials);
        long lost = Math.max(0, trials - counts[0]) + Math.max(0, trials - counts[1]);
        return new Figures("double-vote", trials, trials, lost, 0, duplicate, 0, 0, notes);
    }

    /** Durable timers due soon, then SIGKILL: after the restart each fires once, within 30 s of its due time. */
    Figures timersAcrossAKill() throws Exception {
        String prefix = "timers-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Promoter promoter = new Promoter(harness.http, PATIENCE);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        parallel(scale.timers(), i -> ids.add(promoter.submit(scale.timerPipeline(), prefix + i)));
        harness.kill();
        Thread.sleep(2_000);
        harness.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (Checks.notIn(harness, ids, "FAILED") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
        }
        long[] figures = new long[4]; // never fired, fired late (> 30 s), fired twice, max lateness ms
        try (Connection c = harness.database(); PreparedStatement s = c.prepareStatement("""
                select extract(epoch from (t.fired_at - t.due_at)) * 1000,
                       (select count(*) from candidate_history h where h.candidate_id = t.candidate_id
                          and h.event_type = 'dev.tollgate.promotion.evaluation.failed')
                from scheduled_timer t where t.purpose = 'EVALUATION_TIMEOUT' and t.candidate_id = any(?)""")) {
            s.setArray(1, c.createArrayOf("uuid", ids.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    double lateMs = rs.getDouble(1);
                    boolean fired = !rs.wasNull();
                    long failures = rs.getLong(2);
                    if (!fired || failures == 0) {
                        figures[0]++;
                    } else if (lateMs > 30_000) {
                        figures[1]++;
                    }
                    if (failures > 1) {
                        figures[2]++;
                    }
                    figures[3] = Math.max(figures[3], (long) lateMs);
                }
            }
        }
        Map<String, Object> notes = Figures.newNotes();
        notes.put("must be 0: neverFired", figures[0]);
        notes.put("must be 0: firedLaterThan30s", figures[1]);
        notes.put("maxLatenessMs", figures[3]);
        return new Figures("timers", ids.size(), 1, 0, 0, figures[2], Checks.notIn(harness, ids, "FAILED"), 0, notes);
    }

    /** A restart while instances wait at every wait state, rollback included: all of them continue. */
    Figures restartAtEveryWaitState() throws Exception {
        String prefix = "wait-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        Http http = harness.http;
        String evaluating = http.post("alice", "/api/v1/candidates", Promoter.model("standard", prefix + "evaluating")).text("id");
        String staging = evaluatedOnly(prefix + "staging");
        String approval = staged(prefix + "approval");
        String production = staged(prefix + "production");
        approve(production);
        String rolledBack = prefix + "rollback";
        String first = staged(rolledBack);
        approve(first);
        deployed(first, "production");
        String second = http.post("alice", "/api/v1/candidates",
                Promoter.model("standard", rolledBack).replace("1.0.0", "2.0.0").replace("c".repeat(64), "d".repeat(64))).text("id");
        evaluate(second);
        deployed(second, "staging");
        approve(second);
        deployed(second, "production");
        http.post("dave", "/api/v1/releases/MODEL/" + rolledBack + "/rollback", "{\"reason\": \"restart test\"}");
        String onTimer = http.post("alice", "/api/v1/candidates", Promoter.model("hasty", prefix + "timer")).text("id");

        harness.kill();
        Thread.sleep(3_000); // the hasty pipeline's 2 s evaluation timeout comes due while nothing runs
        harness.start();

        evaluate(evaluating);
        deployed(evaluating, "staging");
        approve(evaluating);
        deployed(evaluating, "production");
        deployed(staging, "staging");
        approve(staging);
        deployed(staging, "production");
        approve(approval);
        deployed(approval, "production");
        deployed(production, "production");
        deployed(first, "production"); // the rollback's deployment result
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"FAILED".equals(stage(onTimer)) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<String> finishedAsExpected = new ArrayList<>();
        for (String id : List.of(evaluating, staging, approval, production, first)) {
            if ("IN_PRODUCTION".equals(stage(id))) {
                finishedAsExpected.add(id);
            }
        }
        if ("ROLLED_BACK".equals(stage(second))) {
            finishedAsExpected.add(second);
        }
        if ("FAILED".equals(stage(onTimer))) {
            finishedAsExpected.add(onTimer);
        }
        Map<String, Object> notes = Figures.newNotes();
        notes.put("waitStates", "evaluation, staging, approval, production, rollback, timer");
        notes.put("continued", finishedAsExpected.size());
        return new Figures("wait-states", 7, 1, 0, 0, 0, 7 - finishedAsExpected.size(), 0, notes);
    }

    private String evaluatedOnly(String name) {
        String id = harness.http.post("alice", "/api/v1/candidates", Promoter.model("standard", name)).text("id");
        evaluate(id);
        return id;
    }

    private String staged(String name) {
        String id = evaluatedOnly(name);
        deployed(id, "staging");
        return id;
    }

    private void evaluate(String id) {
        harness.http.post("eve", "/api/v1/candidates/" + id + "/evaluations",
                "{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}, \"passed\": true}");
    }

    private void approve(String id) {
        String task = harness.http.get("audrey", "/api/v1/candidates/" + id).body().path("approvals").path("taskId").asText();
        harness.http.post("bob", "/api/v1/approvals/" + task + "/decision", "{\"decision\": \"APPROVE\", \"comment\": \"ok\"}");
    }

    private void deployed(String id, String stage) {
        harness.http.post("dave", "/api/v1/candidates/" + id + "/deployments",
                "{\"stage\": \"" + stage + "\", \"outcome\": \"SUCCEEDED\"}");
    }

    private String stage(String id) {
        return harness.http.get("audrey", "/api/v1/candidates/" + id).text("stage");
    }

    interface Step {
        void run(int i) throws Exception;
    }

    /** Runs {@code n} steps on the drivers' threads and waits for all of them. */
    private static void parallel(int n, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(DRIVERS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    step.run(index);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
