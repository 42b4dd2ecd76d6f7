package dev.tollgate.bench;

import static io.restassured.RestAssured.given;

import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The approval inbox at a hundred thousand open tasks ({@code mvn -Pbench -Dbench.main=InboxScaleBenchmark}).
 *
 * <p>It starts PostgreSQL, Kafka and the packaged application, inserts {@code tollgate.bench.tasks}
 * (100,000) OPEN approval tasks in SQL, each on its own MODEL candidate at AWAITING_APPROVAL
 * (submitted by alice, eve, sam and a few others; tiers LOW, MEDIUM and HIGH with the standard
 * pipeline's groups and quorum; created over 30 days), and an APPROVE vote by bob on a tenth of them
 * (carol on another twentieth), which bob's inbox must leave out. It then measures through the API:
 * bob's first page, bob's deep pages (at cursors collected by walking his whole inbox), and the first
 * page of sam, who submits and approves, so whose own candidates are skipped. Prints p50/p95/max per
 * query and the seeding time; docs/api.md ("Inbox at scale") keeps the figures.
 */
public final class InboxScaleBenchmark {

    private static final int PAGE = 50;

    private InboxScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int tasks = Integer.getInteger("tollgate.bench.tasks", 100_000);
        try (LocalServices services = LocalServices.startTemporary();
             AppProcess app = AppProcess.start(AppProcess.withoutRateLimits(services.config()))) {
            String url = services.config().get(LocalServices.JDBC_URL);
            long expectedForBob;
            long seedStarted = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "tollgate", "tollgate")) {
                seed(c, tasks);
            }
            System.out.printf("[bench] seeded %d open tasks, candidates and votes in %.1f s%n", tasks,
                    (System.nanoTime() - seedStarted) / 1e9);
            try (Connection c = DriverManager.getConnection(url, dev.tollgate.local.PostgresServer.OWNER,
                    dev.tollgate.local.PostgresServer.OWNER_PASSWORD); Statement s = c.createStatement()) {
                s.execute("vacuum analyze candidate");
                s.execute("vacuum analyze approval_task");
                s.execute("vacuum analyze approval_vote");
                try (ResultSet rs = s.executeQuery("""
                        select count(*) from approval_task t
                        where t.status = 'OPEN' and t.submitted_by <> 'bob'
                          and not exists (select 1 from approval_vote v where v.task_id = t.id and v.voter = 'bob')""")) {
                    rs.next();
                    expectedForBob = rs.getLong(1);
                }
            }

            // Bob's whole inbox, page by page: checks that paging loses and repeats nothing, and
            // collects the cursors the deep-page measure starts from.
            List<String> cursors = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            long listed = 0;
            String cursor = null;
            do {
                JsonPath page = inbox(app, "bob", cursor);
                List<String> ids = page.getList("items.taskId", String.class);
                seen.addAll(ids);
                listed += ids.size();
                cursor = page.getString("next");
                if (cursor != null) {
                    cursors.add(cursor);
                }
            } while (cursor != null);
            if (listed != seen.size() || seen.size() != expectedForBob) {
                throw new IllegalStateException("bob's inbox listed " + listed + " tasks (" + seen.size()
                        + " distinct), the database has " + expectedForBob);
            }
            System.out.printf("[bench] walked bob's inbox: %d tasks in %d pages, none lost or repeated%n", listed,
                    cursors.size() + 1);
            List<String> samFirst = inbox(app, "sam", null).getList("items.submittedBy");
            if (samFirst.size() != PAGE || samFirst.contains("sam")) {
                throw new IllegalStateException("sam's first page is not 50 tasks of others: " + samFirst);
            }

            Random random = new Random(7);
            List<Double> bobFirst = measure(() -> inbox(app, "bob", null));
            List<Double> bobDeep = measure(() -> inbox(app, "bob", cursors.get(random.nextInt(cursors.size()))));
            List<Double> samFirstPage = measure(() -> inbox(app, "sam", null));
            // The UI's inbox page: the same query, the count badge, and the page rendered by Qute.
            Map<String, String> session = signIn(app, "bob");
            List<Double> bobPage = measure(() -> given().baseUri(app.baseUrl()).cookies(session).redirects().follow(false)
                    .get("/ui/inbox").then().statusCode(200));
            report("bob, first page of 50", bobFirst);
            report("bob, deep page of 50 at a random cursor", bobDeep);
            report("sam (submitter and approver), first page of 50", samFirstPage);
            report("bob, UI inbox page (50 rows and the count badge, HTML)", bobPage);
        }
    }

    /**
     * Inserts the pinned policy, the candidates, their open tasks and the votes, in one transaction.
     * Every row comes from one temporary table of drawn attributes (seeded, so runs are alike), so
     * that a task always agrees with its candidate. The candidates have no process instance: they
     * are there to be listed, not decided.
     */
    private static void seed(Connection c, int tasks) throws Exception {
        c.setAutoCommit(false);
        String policy;
        try (InputStream in = InboxScaleBenchmark.class.getResourceAsStream("/pipelines/standard.yaml")) {
            policy = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(policy.getBytes(StandardCharsets.UTF_8)));
        try (PreparedStatement insert = c.prepareStatement("""
                insert into policy_snapshot (digest, pipeline, content, first_seen)
                values (?, 'standard', ?, now()) on conflict (digest) do nothing""")) {
            insert.setString(1, digest);
            insert.setString(2, policy);
            insert.executeUpdate();
        }
        try (Statement s = c.createStatement()) {
            s.execute("select setseed(0.42)");
            // submitter: alice 30%, eve 25%, sam 20%, four others 25%; tier: LOW 60%, MEDIUM 20%,
            // HIGH 20%; created evenly over the last 30 days; vote: bob on half the HIGH tasks
            // (required 2 from distinct groups, so still open), carol on a quarter.
            s.execute("""
                    create temporary table bench_task on commit drop as
                    select i, gen_random_uuid() as task_id, gen_random_uuid() as candidate_id,
                           case when r_submitter < 0.30 then 'alice' when r_submitter < 0.55 then 'eve'
                                when r_submitter < 0.75 then 'sam'
                                else (array['priya', 'li', 'nightly-retrain', 'fraud-team'])[1 + i %% 4] end as submitter,
                           case when r_tier < 0.6 then 'LOW' when r_tier < 0.8 then 'MEDIUM' else 'HIGH' end as tier,
                           now() - interval '30 days' + (interval '30 days' / %1$d) * i as created_at,
                           case when r_tier >= 0.8 and r_vote < 0.50 then 'bob'
                                when r_tier >= 0.8 and r_vote < 0.75 then 'carol' end as voter
                    from (select i, random() as r_submitter, random() as r_tier, random() as r_vote
                          from generate_series(1, %1$d) as i) as drawn
                    """.formatted(tasks));
            s.execute("""
                    insert into candidate (id, kind, name, version, digest, artifact_uri, pipeline, policy_digest, stage,
                                           submitted_by, submitted_at, metrics, labels, description, event_count,
                                           updated_at, row_version)
                    select candidate_id, 'MODEL', 'bench-model-' || i %% 2000, '1.0.' || i,
                           'sha256:' || encode(sha256(int8send(i)), 'hex'),
                           's3://models/bench-model-' || i %% 2000 || '/1.0.' || i, 'standard', '%s', 'AWAITING_APPROVAL',
                           submitter, created_at - interval '3 hours',
                           jsonb_build_object('auc', 0.85 + (i %% 10) / 100.0, 'latency_p95_ms', 40 + i %% 50),
                           jsonb_build_object('team', 'bench', 'customer_facing', (tier <> 'LOW')::text,
                                              'handles_pii', (tier = 'HIGH')::text),
                           'seeded by InboxScaleBenchmark', 7, created_at, 0
                    from bench_task""".formatted(digest));
            s.execute("""
                    insert into approval_task (id, candidate_id, submitted_by, candidate_groups, required, status,
                                               created_at, tier, distinct_groups, due_at)
                    select task_id, candidate_id, submitter,
                           case when tier = 'LOW' then array['approver'] else array['approver', 'risk-officer'] end,
                           case when tier = 'HIGH' then 2 else 1 end, 'OPEN', created_at, tier, tier = 'HIGH',
                           created_at + interval '31 days'
                    from bench_task""");
            s.execute("""
                    insert into approval_vote (task_id, voter, decision, comment, voter_roles, at)
                    select task_id, voter, 'APPROVE', 'looks good', array['approver'], created_at + interval '1 hour'
                    from bench_task where voter is not null""");
        }
        c.commit();
    }

    /** 100 unmeasured requests (the JIT, the connection pool, PostgreSQL's cache), then 300 timed ones. */
    private static List<Double> measure(Runnable request) {
        for (int i = 0; i < 100; i++) {
            request.run();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long t0 = System.nanoTime();
            request.run();
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        return millis;
    }

    private static JsonPath inbox(AppProcess app, String user, String cursor) {
        RequestSpecification request = as(app, user).queryParam("limit", PAGE);
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return request.get("/api/v1/approvals").then().statusCode(200).extract().jsonPath();
    }

    private static void report(String what, List<Double> millis) {
        Collections.sort(millis);
        System.out.printf("[bench] RESULT %s: n=%d p50=%.1fms p95=%.1fms max=%.1fms%n", what, millis.size(),
                millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1),
                millis.get(millis.size() - 1));
    }

    /** The cookies of a signed-in UI session (form login). */
    private static Map<String, String> signIn(AppProcess app, String user) {
        return given().baseUri(app.baseUrl()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", user).formParam("j_password", "demo").post("/j_security_check")
                .then().statusCode(302).extract().cookies();
    }

    private static RequestSpecification as(AppProcess app, String user) {
        return given().baseUri("http://localhost").port(app.port()).auth().preemptive().basic(user, "demo")
                .accept(ContentType.JSON);
    }
}
