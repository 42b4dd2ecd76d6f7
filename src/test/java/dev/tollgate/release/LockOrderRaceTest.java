package dev.tollgate.release;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.stageOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Every write takes its locks in one order (candidate, approval task, release, outbox key, audit head;
 * docs/operations.md, "Locks"). Here the four writes that touch one name's releases race, round after
 * round: a production success, a staging success, a stale result and a rollback.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class LockOrderRaceTest {

    private static final int ROUNDS = 200;
    private static final int NAMES = 4;

    private static String quickModel(String name, int version) {
        return Submissions.model("quick", name, "1." + version + ".0", "sha256:" + String.format("%064x", version + 1),
                0.93, 41.0, false, false);
    }

    /** Submitted by alice, evaluated by eve, staging succeeded: a LOW-risk version waits for production. */
    private static String deployingProduction(String name, int version) {
        String id = Promotions.throughStaging("alice", quickModel(name, version));
        assertThat(stageOf(id)).isEqualTo("DEPLOYING_PRODUCTION");
        return id;
    }

    private static String deployingStaging(String name, int version) {
        String id = Api.submitted("alice", quickModel(name, version));
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        return id;
    }

    private static long deadlocks() throws Exception {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            s.execute("select pg_stat_force_next_flush()");
            try (ResultSet rs = s.executeQuery("select deadlocks from pg_stat_database where datname = current_database()")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void productionSuccessStagingSuccessStaleResultAndRollbackRaceWithoutDeadlockOrServerError() throws Exception {
        long deadlocksBefore = deadlocks();
        // Four names race side by side, so that writes of different names also meet at the shared locks.
        ExecutorService names = Executors.newFixedThreadPool(NAMES);
        try {
            List<Future<List<Integer>>> raced = new ArrayList<>();
            for (int n = 0; n < NAMES; n++) {
                raced.add(names.submit(() -> race(Submissions.uniqueName("locks"), ROUNDS / NAMES)));
            }
            for (Future<List<Integer>> statuses : raced) {
                assertThat(statuses.get()).as("server errors").isEmpty();
            }
        } finally {
            names.shutdownNow();
        }
        Thread.sleep(11_000); // backends report their statistics within 10 s of going idle
        assertThat(deadlocks()).as("deadlocks PostgreSQL detected").isEqualTo(deadlocksBefore);
    }

    /** Rounds of the four racing writes on one name; returns the 5xx statuses seen (none expected). */
    private static List<Integer> race(String name, int rounds) throws Exception {
        String first = Api.submitted("alice", quickModel(name, 0)); // the first release is MEDIUM risk: bob approves
        Promotions.report(first, "offline-eval", 0.93).statusCode(201);
        Promotions.deployment(first, "staging", "SUCCEEDED").statusCode(200);
        Api.decide("bob", Api.taskOf(first), "APPROVE", "first").statusCode(200);
        Promotions.deployedToProduction(first);
        Promotions.deployedToProduction(deployingProduction(name, 1));
        List<Integer> serverErrors = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < rounds; round++) {
                String a = deployingProduction(name, 2 * round + 2);
                String b = deployingStaging(name, 2 * round + 3);
                CyclicBarrier start = new CyclicBarrier(4);
                List<Callable<Integer>> racers = List.of(
                        () -> at(start, () -> Promotions.deployment(a, "production", "SUCCEEDED").extract().statusCode()),
                        () -> at(start, () -> Promotions.deployment(b, "staging", "SUCCEEDED").extract().statusCode()),
                        () -> at(start, () -> Promotions.deployment(a, "staging", "SUCCEEDED").extract().statusCode()),
                        () -> at(start, () -> as("dave").contentType(ContentType.JSON).body("{\"reason\": \"race\"}")
                                .post("/api/v1/releases/MODEL/" + name + "/rollback").then().extract().statusCode()));
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> result : pool.invokeAll(racers)) {
                    statuses.add(result.get());
                }
                statuses.stream().filter(s -> s >= 500).forEach(serverErrors::add);
                assertThat(statuses).as("%s round %d: production, staging, stale, rollback", name, round)
                        .containsExactly(200, 200, 409, 202);
                settle(name, b);
            }
        } finally {
            pool.shutdownNow();
        }
        return serverErrors;
    }

    private static Integer at(CyclicBarrier start, Callable<Integer> request) throws Exception {
        start.await();
        return request.call();
    }

    /** Finishes the rollback and then the staged version, so that the next round starts from one version serving. */
    private static void settle(String name, String staged) {
        String target = as("audrey").queryParam("name", name).queryParam("stage", "DEPLOYING_PRODUCTION")
                .get("/api/v1/candidates").then().statusCode(200).extract().path("items.find { it.id != '" + staged + "' }.id");
        if (target != null) {
            Promotions.deployedToProduction(target);
        }
        assertThat(stageOf(staged)).isEqualTo("DEPLOYING_PRODUCTION");
        Promotions.deployedToProduction(staged);
        List<String> serving = as("audrey").queryParam("name", name).queryParam("stage", "IN_PRODUCTION")
                .get("/api/v1/candidates").then().statusCode(200).extract().path("items.id");
        assertThat(serving).containsExactly(staged);
    }
}
