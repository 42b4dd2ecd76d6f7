package dev.tollgate.bench;

import static io.restassured.RestAssured.given;

import dev.tollgate.audit.AuditEntry;
import dev.tollgate.local.LocalServices;
import dev.tollgate.shared.CanonicalJson;
import dev.tollgate.testing.AppProcess;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The audit log at a million entries ({@code mvn -Pbench -Dbench.main=AuditScaleBenchmark}).
 *
 * <p>It starts PostgreSQL, Kafka and the packaged application, appends {@code tollgate.bench.entries}
 * (1,000,000) chained entries with COPY (100,000 subjects of 10 entries, 10 actors, 15 actions,
 * spread over a year), then measures through the API, as an auditor: the history of one subject,
 * a window of 100 entries in a time range, and the verification of the whole chain. Prints
 * p50/p95/max per query and the verification time; docs/audit.md keeps the figures.
 */
public final class AuditScaleBenchmark {

    private static final String[] ACTORS = {"alice", "eve", "bob", "carol", "rita", "sam", "dave", "audrey", "tollgate", "admin"};
    private static final String[] ACTIONS = {"submitted", "evaluation.started", "evaluation.passed", "risk.assessed",
        "deploying", "deployed", "approval.requested", "approval.granted", "approved", "promoted", "retired",
        "rejected", "failed", "cancelled", "access.denied"};

    private AuditScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int entries = Integer.getInteger("tollgate.bench.entries", 1_000_000);
        try (LocalServices services = LocalServices.startTemporary();
             AppProcess app = AppProcess.start(AppProcess.withoutRateLimits(services.config()))) {
            String url = services.config().get(LocalServices.JDBC_URL);
            List<String> subjects = new ArrayList<>();
            Instant start = Instant.parse("2025-12-01T00:00:00Z");
            long fillStarted = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "tollgate", "tollgate")) {
                fill(c, entries, subjects, start);
            }
            System.out.printf("[bench] appended %d entries in %.1f s%n", entries, (System.nanoTime() - fillStarted) / 1e9);
            try (Connection c = DriverManager.getConnection(url, dev.tollgate.local.PostgresServer.OWNER,
                    dev.tollgate.local.PostgresServer.OWNER_PASSWORD); Statement s = c.createStatement()) {
                s.execute("vacuum analyze audit_entry");
            }

            Random random = new Random(7);
            for (int i = 0; i < 100; i++) { // warm-up: the JIT and the connection pool, not measured
                as(app).queryParam("subject", subjects.get(random.nextInt(subjects.size()))).get("/api/v1/audit");
                as(app).queryParam("from", start.plusSeconds(random.nextInt(360 * 24 * 3600)).toString())
                        .queryParam("limit", 100).get("/api/v1/audit");
            }
            List<Double> bySubject = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                String subject = subjects.get(random.nextInt(subjects.size()));
                long t0 = System.nanoTime();
                as(app).queryParam("subject", subject).get("/api/v1/audit").then().statusCode(200);
                bySubject.add((System.nanoTime() - t0) / 1e6);
            }
            List<Double> window = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Instant from = start.plusSeconds(random.nextInt(360 * 24 * 3600));
                long t0 = System.nanoTime();
                as(app).queryParam("from", from.toString()).queryParam("to", from.plus(Duration.ofDays(3)).toString())
                        .queryParam("limit", 100).get("/api/v1/audit").then().statusCode(200);
                window.add((System.nanoTime() - t0) / 1e6);
            }
            long v0 = System.nanoTime();
            String verify = as(app).get("/api/v1/audit/verify").then().statusCode(200).extract().asString();
            double verifySeconds = (System.nanoTime() - v0) / 1e9;
            report("per-subject history", bySubject);
            report("window of 100 entries", window);
            System.out.printf("[bench] RESULT full-chain verification of %d entries: %.1f s %s%n", entries, verifySeconds, verify);
        }
    }

    /** Appends chained entries after the current head with COPY, in batches, and moves the head. */
    private static void fill(Connection c, int entries, List<String> subjects, Instant start) throws Exception {
        c.setAutoCommit(false);
        long seq;
        String prev;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select seq, hash from audit_head for update")) {
            rs.next();
            seq = rs.getLong(1);
            prev = rs.getString(2).trim();
        }
        Random random = new Random(11);
        int perSubject = 10;
        String subject = null;
        String name = null;
        long step = Duration.ofDays(365).toMillis() / entries;
        StringBuilder batch = new StringBuilder();
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        for (int i = 0; i < entries; i++) {
            if (i % perSubject == 0) {
                subject = UUID.randomUUID().toString();
                name = "model-" + (i / perSubject % 5000);
                subjects.add(subject);
            }
            seq++;
            Instant at = start.plusMillis(i * step);
            String actor = ACTORS[random.nextInt(ACTORS.length)];
            String action = ACTIONS[i % perSubject];
            String data = CanonicalJson.canonicalize(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                    .put("candidateId", subject).put("sequence", i % perSubject + 1).put("reason", "bench"));
            String hash = AuditEntry.hash(AuditEntry.canonical(seq, at, actor, action, subject, "MODEL", name, "1.0." + i,
                    data, prev));
            batch.append(seq).append(',').append(at).append(',').append(actor).append(',').append(action).append(',')
                    .append(subject).append(",MODEL,").append(name).append(",1.0.").append(i).append(",\"")
                    .append(data.replace("\"", "\"\"")).append("\",").append(prev).append(',').append(hash).append('\n');
            prev = hash;
            if ((i + 1) % 50_000 == 0 || i == entries - 1) {
                copy.copyIn("copy audit_entry (seq, at, actor, action, subject, kind, name, version, data, prev_hash, hash)"
                        + " from stdin with (format csv)", new StringReader(batch.toString()));
                batch.setLength(0);
            }
        }
        try (var update = c.prepareStatement("update audit_head set seq = ?, hash = ? where id = 1")) {
            update.setLong(1, seq);
            update.setString(2, prev);
            update.executeUpdate();
        }
        c.commit();
    }

    private static void report(String what, List<Double> millis) {
        Collections.sort(millis);
        System.out.printf("[bench] RESULT %s: n=%d p50=%.1fms p95=%.1fms max=%.1fms%n", what, millis.size(),
                millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1),
                millis.get(millis.size() - 1));
    }

    private static RequestSpecification as(AppProcess app) {
        return given().baseUri("http://localhost").port(app.port()).auth().preemptive().basic("audrey", "demo")
                .accept(ContentType.JSON);
    }
}
