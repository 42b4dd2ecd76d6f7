package dev.tollgate.approval;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Risk tiers set the quorum; separation of duties holds whatever the caller's roles. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ApprovalQuorumTest {

    @Test
    void highRiskNeedsTwoApprovalsFromDistinctGroups() {
        String id = Promotions.throughStaging("alice", Submissions.model("standard", Submissions.uniqueName("high"), "1.0.0",
                Submissions.DIGEST_A, 0.93, 41.0, true, true));
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("risk.tier", equalTo("HIGH"))
                .body("risk.reasons", hasItem("personal data in a customer-facing feature"))
                .body("approvals.required", equalTo(2))
                .body("approvals.distinctGroups", equalTo(true));
        String task = taskOf(id);

        decide("bob", task, "APPROVE", "approver 1").statusCode(200).body("status", equalTo("OPEN"));
        decide("carol", task, "APPROVE", "approver 2").statusCode(200).body("status", equalTo("OPEN"))
                .body("granted", equalTo(2));
        decide("rita", task, "APPROVE", "risk officer").statusCode(200).body("status", equalTo("APPROVED"));
        assertThat(stageOf(id)).isEqualTo("DEPLOYING_PRODUCTION");
    }

    @Test
    void lowRiskIsApprovedAutomaticallyWhenThePolicySaysSo() {
        String name = Submissions.uniqueName("low");
        Promotions.toProduction(Submissions.model("quick", name, "1.0.0", Submissions.DIGEST_A, 0.93, 41.0, false, false));
        String id = Promotions.throughStaging("alice", Submissions.model("quick", name, "1.1.0", Submissions.DIGEST_B,
                0.93, 41.0, false, false));

        assertThat(stageOf(id)).isEqualTo("DEPLOYING_PRODUCTION");
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("risk.tier", equalTo("LOW"))
                .body("approvals", equalTo(null));
        List<String> types = as("audrey").get("/api/v1/candidates/" + id + "/history").then().extract().path("type");
        assertThat(types).contains(EventTypes.APPROVED).doesNotContain(EventTypes.APPROVAL_REQUESTED);
    }

    @Test
    void firstReleaseIsMediumRiskEvenWhenLowIsAutoApproved() {
        String id = Promotions.throughStaging("alice", Submissions.model("quick", Submissions.uniqueName("first"), "1.0.0",
                Submissions.DIGEST_A, 0.93, 41.0, false, false));
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("stage", equalTo("AWAITING_APPROVAL"))
                .body("risk.tier", equalTo("MEDIUM"))
                .body("risk.reasons", equalTo(List.of("first release of this name")));
    }

    @Test
    void secondVoteBySamePersonIsRefused() {
        String id = Promotions.throughStaging("alice", Submissions.model("standard", Submissions.uniqueName("twice"), "1.0.0",
                Submissions.DIGEST_A, 0.93, 41.0, true, true));
        String task = taskOf(id);
        decide("bob", task, "APPROVE", "once").statusCode(200);
        decide("bob", task, "APPROVE", "twice").statusCode(403)
                .body("type", equalTo("https://tollgate.dev/problems/already-voted"));
    }

    @Test
    void submitterWhoIsAlsoAnApproverCannotVote() {
        String id = Promotions.throughStaging("sam", Submissions.model(Submissions.uniqueName("sod"), "1.0.0"));
        decide("sam", taskOf(id), "REJECT", "my own").statusCode(403)
                .body("type", equalTo("https://tollgate.dev/problems/separation-of-duties"));
    }

    @Test
    void concurrentVotesAreNeitherLostNorDoubleCounted() throws Exception {
        String id = Promotions.throughStaging("alice", Submissions.model("council", Submissions.uniqueName("race-votes"),
                "1.0.0", Submissions.DIGEST_A, 0.93, 41.0, false, false));
        String task = taskOf(id);
        List<String> voters = List.of("bob", "carol", "rita", "sam", "bob", "carol");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(voters.size());
        try {
            List<Future<Integer>> results = voters.stream().<Callable<Integer>>map(voter -> () -> {
                start.await();
                return decide(voter, task, "APPROVE", "race").extract().statusCode();
            }).map(pool::submit).toList();
            start.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(3);
            assertThat(statuses).allMatch(s -> s == 200 || s == 403 || s == 409);
        } finally {
            pool.shutdownNow();
        }
        as("audrey").get("/api/v1/candidates/" + id).then()
                .body("approvals.status", equalTo("APPROVED"))
                .body("approvals.granted.size()", equalTo(3))
                .body("stage", equalTo("DEPLOYING_PRODUCTION"));
        List<String> types = as("audrey").get("/api/v1/candidates/" + id + "/history").then().extract().path("type");
        assertThat(types).filteredOn(EventTypes.APPROVAL_GRANTED::equals).hasSize(3);
        assertThat(types).filteredOn(EventTypes.APPROVED::equals).hasSize(1);
    }
}
