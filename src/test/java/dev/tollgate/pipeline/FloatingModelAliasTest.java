package dev.tollgate.pipeline;

import static dev.tollgate.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * A PROMPT on a floating model alias (no dated snapshot) can change under the same name at the provider's will: the
 * risk decision flags it, and a policy may raise its tier or refuse it.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class FloatingModelAliasTest {

    private static final String FLOATING = "the prompt's model is a floating alias (no dated snapshot): "
            + "the provider can change it without notice";

    @Test
    void theRiskDecisionFlagsAPromptOnAFloatingAlias() {
        String id = assessed("watched", "gpt-4o");

        as("audrey").get("/api/v1/candidates/" + id).then().body("risk.reasons", hasItem(FLOATING));
    }

    @Test
    void aDatedSnapshotIsNotFlagged() {
        String id = assessed("watched", "gpt-4o-2024-08-06");

        as("audrey").get("/api/v1/candidates/" + id).then().body("risk.reasons", not(hasItem(FLOATING)));
    }

    @Test
    void aPolicyMayRaiseAFloatingAliasToHigh() {
        String id = assessed("watched-auto", "gpt-4o-mini");

        as("audrey").get("/api/v1/candidates/" + id).then().body("risk.tier", equalTo("HIGH"))
                .body("risk.reasons", hasItem("pipeline watched-auto raises a floating model alias to HIGH"));
    }

    @Test
    void aPolicyMayRefuseAFloatingAlias() {
        Api.submit("alice", Watches.prompt("pinned-only", Submissions.uniqueName("floating"), "1", "gpt-4o", "Hi {{q}}"))
                .statusCode(400).body("errors[0].field", equalTo("prompt.model"));
        Api.submit("alice", Watches.prompt("pinned-only", Submissions.uniqueName("pinned"), "1", "gpt-4o-2024-08-06",
                "Hi {{q}}")).statusCode(201);
    }

    private static String assessed(String pipeline, String model) {
        String id = Api.submitted("alice", Watches.prompt(pipeline, Submissions.uniqueName("alias"), "1", model, "Q: {{q}}"));
        as("eve").contentType(ContentType.JSON).body("{\"suite\": \"golden-set\", \"metrics\": {\"answer_relevance\": 0.9}}")
                .post("/api/v1/candidates/" + id + "/evaluations").then().statusCode(201);
        return id;
    }
}
