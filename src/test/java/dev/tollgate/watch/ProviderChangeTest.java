package dev.tollgate.watch;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A provider observation against the snapshot a production prompt was evaluated with (docs/drift.md): the same
 * snapshot changes nothing, another fingerprint starts one re-evaluation, however many copies arrive at once.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ProviderChangeTest {

    private static final String MODEL = "gpt-4o-2024-08-06";

    @Test
    void aFingerprintChangeObservedTenTimesAtOnceStartsExactlyOneReevaluation() throws Exception {
        String name = Submissions.uniqueName("fingerprint");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");

        int copies = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < copies; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return Watches.observe(name, MODEL, "fp_b").statusCode(201).extract().<String>path("outcome");
                }));
            }
            start.countDown();
            List<String> seen = new ArrayList<>();
            for (Future<String> outcome : outcomes) {
                seen.add(outcome.get());
            }
            assertThat(seen).containsOnlyOnce("REEVALUATION_STARTED").containsOnly("REEVALUATION_STARTED", "MERGED");
        } finally {
            pool.shutdownNow();
        }

        String reevaluation = as("audrey").queryParam("candidateId", id).get("/api/v1/reevaluations").then()
                .statusCode(200).body("items", hasSize(1)).extract().path("items[0].id");
        Watches.reevaluation(reevaluation)
                .body("trigger", equalTo("PROVIDER_CHANGE"))
                .body("status", equalTo("RUNNING"))
                .body("signalCount", equalTo(copies))
                .body("signals", hasSize(copies))
                .body("pendingSuites", equalTo(List.of("golden-set")));
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("watch.pinned.fingerprint", equalTo("fp_a"))
                .body("watch.pinned.from", equalTo("EVALUATION"))
                .body("watch.lastObserved.fingerprint", equalTo("fp_b"))
                .body("watch.reevaluation.id", equalTo(reevaluation));
        var events = PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.REEVALUATION_STARTED),
                Duration.ofSeconds(30));
        assertThat(events.stream().filter(e -> e.type().equals(EventTypes.REEVALUATION_STARTED))).hasSize(1);
        assertThat(events.stream().filter(e -> e.type().equals(EventTypes.DRIFT_DETECTED))).hasSize(1);
    }

    @Test
    void oneSignalRetriedTenTimesAtOnceIsStoredOnce() throws Exception {
        String name = Submissions.uniqueName("retried-at-once");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        String signalId = "retry-" + name;

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return Watches.observe(signalId, name, MODEL, "fp_b").body("outcome", equalTo("REEVALUATION_STARTED"))
                            .extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                seen.add(status.get());
            }
            assertThat(seen).containsOnlyOnce(201).containsOnly(201, 200);
        } finally {
            pool.shutdownNow();
        }
        as("audrey").queryParam("candidateId", id).get("/api/v1/reevaluations").then()
                .body("items", hasSize(1)).body("items[0].signalCount", equalTo(1));
    }

    @Test
    void anObservationOfTheEvaluatedSnapshotChangesNothing() {
        String name = Submissions.uniqueName("unchanged");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");

        Watches.observe(name, MODEL, "fp_a").statusCode(201).body("outcome", equalTo("NO_CHANGE"))
                .body("candidateId", equalTo(id));
        as("audrey").queryParam("candidateId", id).get("/api/v1/reevaluations").then().body("items", hasSize(0));
    }

    @Test
    void theSameSignalIdAgainIsTheSameSignalAndWithOtherContentIsRefused() {
        String name = Submissions.uniqueName("retried");
        Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        String signalId = "serving-log-" + name;

        Watches.observe(signalId, name, MODEL, "fp_c").statusCode(201).body("outcome", equalTo("REEVALUATION_STARTED"));
        Watches.observe(signalId, name, MODEL, "fp_c").statusCode(200).body("outcome", equalTo("REEVALUATION_STARTED"));
        Watches.observe(signalId, name, MODEL, "fp_d").statusCode(422)
                .body("type", equalTo("https://tollgate.dev/problems/idempotency-key-reused"));
    }

    @Test
    void aSignalAboutANameWithNothingInProductionIsRecordedAsSuch() {
        Watches.observe(Submissions.uniqueName("nothing"), MODEL, "fp_a").statusCode(201)
                .body("outcome", equalTo("NOTHING_IN_PRODUCTION"));
    }

    @Test
    void aBadSignalIsRefusedNamingEachField() {
        Watches.signal("""
                {"signalId": "has space", "type": "provider", "kind": "MODEL", "name": "Bad Name", "metric": "psi"}""")
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("signalId", "kind", "name", "provider", "model",
                        "metric"));
        Watches.signal("""
                {"signalId": "x", "type": "drift", "kind": "MODEL", "name": "m", "metric": "psi", "value": "high"}""")
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItems("value"));
        as("bob").contentType("application/json").body("{}").post("/api/v1/signals").then().statusCode(403);
    }
}
