package dev.tollgate.inventory;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.events.EventTypes;
import dev.tollgate.testing.Api;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The inventory (docs/governance.md): admins and risk officers register names, risk officers classify them with a
 * reason, and the risk decision takes the factors a pipeline owns from the classification, never from the labels
 * the submitter writes. Every change is audited and published on tollgate.governance.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class InventoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NONE_OF_IT = """
            {"customerFacing": false, "personalData": false, "regulatedUse": false, "autonomy": "NONE",
             "reason": "internal batch scoring, no personal data"}""";

    static ValidatableResponse register(String user, String name, String submitters) {
        return as(user).contentType(ContentType.JSON).body("""
                        {"kind": "MODEL", "name": "%s", "ownerTeam": "risk-ml", "intendedUse": "Scores loan applications.",
                         "documentation": "https://wiki.example.com/models/%s", "submitters": %s}"""
                        .formatted(name, name, submitters))
                .post("/api/v1/inventory").then();
    }

    static ValidatableResponse classify(String user, String name, String body) {
        return as(user).contentType(ContentType.JSON).body(body)
                .put("/api/v1/inventory/MODEL/" + name + "/classification").then();
    }

    private static String governedModel(String name, String version, boolean customerFacing, boolean handlesPii) {
        return Submissions.model("governed", name, version, Submissions.DIGEST_A, 0.93, 41.0, customerFacing, handlesPii);
    }

    @Test
    void anAdminRegistersANameAndTheChangeIsAuditedAndPublished() throws Exception {
        String name = Submissions.uniqueName("registered");

        register("admin", name, "[\"alice\"]").statusCode(201)
                .header("Location", endsWith("/api/v1/inventory/MODEL/" + name))
                .body("ownerTeam", equalTo("risk-ml"))
                .body("submitters", equalTo(List.of("alice")))
                .body("classification", nullValue())
                .body("revision", equalTo(1));

        as("audrey").queryParam("type", "inventory.registered").queryParam("limit", 1000).get("/api/v1/audit").then()
                .statusCode(200).body("items.name", hasItem(name));
        List<PromotionEvents.Received> events = PromotionEvents.awaitOn(EventTypes.GOVERNANCE_TOPIC, "MODEL/" + name,
                PromotionEvents.containsType(EventTypes.INVENTORY_REGISTERED), Duration.ofSeconds(30));
        JsonNode data = JSON.readTree(events.get(0).data());
        assertThat(events.get(0).key()).isEqualTo("MODEL/" + name);
        assertThat(events.get(0).sequence()).isEqualTo(1);
        assertThat(data.path("entry").path("ownerTeam").asText()).isEqualTo("risk-ml");
        assertThat(data.path("by").asText()).isEqualTo("admin");
    }

    @Test
    void onlyAdminsAndRiskOfficersRegisterAndOnlyRiskOfficersClassify() {
        String name = Submissions.uniqueName("roles");
        register("alice", name, "[]").statusCode(403);
        register("bob", name, "[]").statusCode(403);
        register("rita", name, "[]").statusCode(201);

        classify("admin", name, NONE_OF_IT).statusCode(403);
        classify("alice", name, NONE_OF_IT).statusCode(403);
        classify("rita", name, NONE_OF_IT).statusCode(200)
                .body("classification.autonomy", equalTo("NONE"))
                .body("classifiedBy", equalTo("rita"))
                .body("classificationReason", equalTo("internal batch scoring, no personal data"));
    }

    @Test
    void aClassificationNeedsEveryAttributeAndAReason() {
        String name = Submissions.uniqueName("incomplete");
        register("admin", name, "[]").statusCode(201);

        classify("rita", name, "{\"customerFacing\": true, \"autonomy\": \"NONE\"}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("personalData", "regulatedUse", "reason"))
                .body("errors.field", not(hasItem("customerFacing")));
        classify("rita", name, "{\"customerFacing\": true, \"personalData\": true, \"regulatedUse\": false, "
                + "\"autonomy\": \"SOMETIMES\", \"reason\": \"x\"}").statusCode(400)
                .contentType("application/problem+json");
        as("audrey").get("/api/v1/inventory/MODEL/" + name).then().statusCode(200)
                .body("entry.classification", nullValue())
                .body("entry.revision", equalTo(1));
    }

    @Test
    void badRegistrationsAreRefusedNamingEachField() {
        as("admin").contentType(ContentType.JSON).body("""
                        {"kind": "DATASET", "name": "Not A Name", "ownerTeam": " ", "documentation": "ftp://x"}""")
                .post("/api/v1/inventory").then().statusCode(400)
                .body("type", equalTo("https://tollgate.dev/problems/validation"))
                .body("errors.field", hasItems("kind", "name", "ownerTeam", "intendedUse", "documentation"));
    }

    @Test
    void registeringANameTwiceIsAConflictAndChangesNeedAReason() {
        String name = Submissions.uniqueName("twice");
        register("admin", name, "[]").statusCode(201);
        register("rita", name, "[]").statusCode(409)
                .body("type", equalTo("https://tollgate.dev/problems/already-registered"));

        as("admin").contentType(ContentType.JSON).body("{\"ownerTeam\": \"fraud-ml\"}")
                .patch("/api/v1/inventory/MODEL/" + name).then().statusCode(400).body("errors.field", hasItem("reason"));
        as("admin").contentType(ContentType.JSON).body("{\"ownerTeam\": \"fraud-ml\", \"reason\": \"team reorganised\"}")
                .patch("/api/v1/inventory/MODEL/" + name).then().statusCode(200)
                .body("ownerTeam", equalTo("fraud-ml"))
                .body("revision", equalTo(2));
        as("admin").contentType(ContentType.JSON).body("{\"ownerTeam\": \"x\", \"reason\": \"y\"}")
                .patch("/api/v1/inventory/MODEL/no-such-" + name).then().statusCode(404);
    }

    private static JsonNode riskFacts(String candidateId) throws Exception {
        List<PromotionEvents.Received> events = PromotionEvents.awaitFor(candidateId,
                PromotionEvents.containsType(EventTypes.RISK_ASSESSED), Duration.ofSeconds(30));
        PromotionEvents.Received assessed = events.stream().filter(e -> e.type().equals(EventTypes.RISK_ASSESSED))
                .findFirst().orElseThrow();
        return JSON.readTree(assessed.data());
    }

    @Test
    void ownedRiskFactorsComeFromTheInventoryNotFromTheSubmittersLabels() throws Exception {
        String name = Submissions.uniqueName("owned");
        register("admin", name, "[]").statusCode(201);
        classify("rita", name, """
                {"customerFacing": false, "personalData": false, "regulatedUse": true, "autonomy": "NONE",
                 "reason": "credit decisions fall under the consumer-credit rules"}""").statusCode(200);

        // The submitter claims the opposite of the inventory on every owned factor.
        String id = Api.submitted("alice", governedModel(name, "1.0.0", true, true));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);

        as("audrey").get("/api/v1/candidates/" + id).then().statusCode(200)
                .body("risk.tier", equalTo("HIGH"))
                .body("risk.reasons", hasItems("used where a regulation applies (credit, employment, health, …)",
                        "customer_facing is owned by pipeline governed: the inventory says false (classified by rita)",
                        "regulated_use is owned by pipeline governed: the inventory says true (classified by rita)"))
                .body("risk.reasons", not(hasItem("customer-facing")))
                .body("approvals.required", equalTo(2));
        JsonNode assessed = riskFacts(id);
        assertThat(assessed.path("facts").path("customerFacing").asBoolean()).isFalse();
        assertThat(assessed.path("facts").path("handlesPii").asBoolean()).isFalse();
        assertThat(assessed.path("facts").path("regulatedUse").asBoolean()).isTrue();
        assertThat(assessed.path("facts").path("autonomy").asText()).isEqualTo("NONE");
        assertThat(assessed.path("distrustedLabels").toString()).contains("customer_facing", "handles_pii");
    }

    @Test
    void aRegisteredButUnclassifiedNameCountsAtItsRiskiest() throws Exception {
        String name = Submissions.uniqueName("unclassified");
        register("admin", name, "[]").statusCode(201);

        String id = Api.submitted("alice", governedModel(name, "1.0.0", false, false));
        Promotions.deployment(id, "staging", "SUCCEEDED").statusCode(200);

        as("audrey").get("/api/v1/candidates/" + id).then().statusCode(200)
                .body("risk.tier", equalTo("HIGH"))
                .body("risk.reasons", hasItem("acts autonomously, with no person in the loop"))
                .body("risk.reasons", hasItem(containsString("the inventory has not classified it yet")));
        assertThat(riskFacts(id).path("facts").path("autonomy").asText()).isEqualTo("AUTONOMOUS");
    }

    @Test
    void aPipelineThatTakesOnlyRegisteredNamesRefusesAnUnregisteredOne() {
        String name = Submissions.uniqueName("unregistered");

        Api.submit("alice", governedModel(name, "1.0.0", false, false)).statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://tollgate.dev/problems/not-registered"))
                .body("detail", containsString("POST /api/v1/inventory"));

        as("audrey").queryParam("name", name).get("/api/v1/candidates").then().statusCode(200)
                .body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void onlyTheSubmittersTheEntryListsMaySubmitVersions() {
        String name = Submissions.uniqueName("listed");
        register("admin", name, "[\"alice\"]").statusCode(201);

        Api.submit("sam", Submissions.model(name, "1.0.0")).statusCode(403)
                .body("type", equalTo("https://tollgate.dev/problems/not-a-listed-submitter"));
        Api.submit("alice", Submissions.model(name, "1.0.0")).statusCode(201);
    }

    @Test
    void theInventoryListsWhatServesInProductionAndNamesWithoutAnEntry() {
        String registered = Submissions.uniqueName("serving");
        register("admin", registered, "[]").statusCode(201);
        classify("rita", registered, NONE_OF_IT).statusCode(200);
        String serving = Promotions.toProduction(Submissions.model(registered, "2.0.0"));
        String stray = Submissions.uniqueName("stray");
        Api.submitted("alice", Submissions.model(stray, "0.1.0"));

        as("mona").get("/api/v1/inventory").then().statusCode(200)
                .body("find { it.name == '" + registered + "' }.registered", equalTo(true))
                .body("find { it.name == '" + registered + "' }.production.candidateId", equalTo(serving))
                .body("find { it.name == '" + registered + "' }.production.version", equalTo("2.0.0"))
                .body("find { it.name == '" + registered + "' }.production.tier", equalTo("MEDIUM"))
                .body("find { it.name == '" + registered + "' }.lastEvaluation.suite", equalTo("offline-eval"))
                .body("find { it.name == '" + registered + "' }.openReevaluations", equalTo(0))
                .body("find { it.name == '" + stray + "' }.registered", equalTo(false))
                .body("find { it.name == '" + stray + "' }.inFlight", equalTo(1));
    }

    @Test
    void aReclassificationIsPublishedWithThePreviousClassificationAndTheReason() throws Exception {
        String name = Submissions.uniqueName("reclassified");
        register("admin", name, "[]").statusCode(201);
        classify("rita", name, NONE_OF_IT).statusCode(200);
        classify("rita", name, """
                {"customerFacing": true, "personalData": false, "regulatedUse": false, "autonomy": "SUPERVISED",
                 "reason": "now answers customers directly"}""").statusCode(200).body("revision", equalTo(3));

        List<PromotionEvents.Received> events = PromotionEvents.awaitOn(EventTypes.GOVERNANCE_TOPIC, "MODEL/" + name,
                received -> received.stream().filter(e -> e.type().equals(EventTypes.INVENTORY_CLASSIFIED)).count() == 2,
                Duration.ofSeconds(30));
        JsonNode last = JSON.readTree(events.get(events.size() - 1).data());
        assertThat(events.stream().map(PromotionEvents.Received::sequence).toList()).containsExactly(1, 2, 3);
        assertThat(last.path("previous").path("autonomy").asText()).isEqualTo("NONE");
        assertThat(last.path("entry").path("classification").path("autonomy").asText()).isEqualTo("SUPERVISED");
        assertThat(last.path("reason").asText()).isEqualTo("now answers customers directly");
    }
}
