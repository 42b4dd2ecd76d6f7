package dev.tollgate.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.TestServices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A release that changes promotion.bpmn, deployed as a rolling update while promotions wait under the previous
 * definition (src/test/upgrade/previous-processes/): for a moment both versions serve, then the old one stops, and
 * every waiting promotion finishes under the new definition.
 */
class ProcessUpgradeIT {

    /** The node today's promotion.bpmn added, as the candidate page's diagram names it. */
    private static final String STAGING_GATEWAY = "data-node-id=\"StagingRequired\"";

    private static Path previousJar;
    private static TestServices services;
    private static Map<String, String> config;
    private static final List<AppProcess> running = new ArrayList<>();

    @BeforeAll
    static void buildThePreviousDefinitionAndStartTheServices() throws Exception {
        previousJar = PreviousProcesses.build();
        services = TestServices.start();
        config = AppProcess.withoutRateLimits(services.config());
    }

    @AfterAll
    static void stop() throws Exception {
        for (AppProcess app : running) {
            app.close();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    void promotionsWaitingUnderThePreviousDefinitionFinishUnderThisOne() throws Exception {
        AppProcess previous = start(previousJar);
        Client old = new Client(previous.baseUrl());
        String evaluating = old.submit(model("evaluating"));
        String staging = old.submit(model("staging"));
        old.report(staging, "offline-eval");
        old.awaitStage(staging, "DEPLOYING_STAGING");
        String approval = old.submit(model("approval"));
        old.report(approval, "offline-eval");
        old.awaitStage(approval, "DEPLOYING_STAGING");
        old.deployed(approval, "staging");
        old.awaitStage(approval, "AWAITING_APPROVAL");
        String production = old.submit(model("production"));
        old.report(production, "offline-eval");
        old.awaitStage(production, "DEPLOYING_STAGING");
        old.deployed(production, "staging");
        old.awaitStage(production, "AWAITING_APPROVAL");
        old.approve("bob", production);
        old.awaitStage(production, "DEPLOYING_PRODUCTION");
        assertThat(diagram(old, staging)).as("the previous definition has no 'Deploy to staging?' gateway")
                .doesNotContain(STAGING_GATEWAY);

        AppProcess current = start(null);
        Client now = new Client(current.baseUrl());
        assertThat(ids(now)).as("both versions serve the same promotions during the rolling update")
                .containsExactlyInAnyOrderElementsOf(ids(old));
        previous.close();
        running.remove(previous);

        now.report(evaluating, "offline-eval");
        now.awaitStage(evaluating, "DEPLOYING_STAGING");
        for (String id : List.of(evaluating, staging)) {
            now.deployed(id, "staging");
            now.awaitStage(id, "AWAITING_APPROVAL");
        }
        for (String id : List.of(evaluating, staging, approval)) {
            now.approve("bob", id);
        }
        for (String id : List.of(evaluating, staging, approval, production)) {
            now.awaitStage(id, "DEPLOYING_PRODUCTION");
            now.deployed(id, "production");
            now.awaitStage(id, "IN_PRODUCTION");
        }
        assertThat(diagram(now, staging)).as("this definition's diagram").contains(STAGING_GATEWAY);

        String skipping = now.submit(model("skipping").replace("\"standard\"", "\"bench\""));
        now.awaitStage(skipping, "AWAITING_APPROVAL");
        assertThat(now.get("audrey", "/api/v1/candidates/" + skipping + "/history").findValuesAsText("to"))
                .as("the new definition's path: no staging deployment").doesNotContain("DEPLOYING_STAGING");
        JsonNode verification = now.get("audrey", "/api/v1/audit/verify");
        assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
    }

    /** Starts a build of the application ({@code null}: this one) on the shared services. */
    private static AppProcess start(Path jar) throws Exception {
        AppProcess app = jar == null ? AppProcess.start("local", config, Map.of())
                : AppProcess.start(jar, "local", config, Map.of());
        running.add(app);
        return app;
    }

    private static List<String> ids(Client client) {
        return client.get("audrey", "/api/v1/candidates?limit=100").path("items").findValuesAsText("id");
    }

    /** The candidate page's picture of its process, drawn from the BPMN the running build has. */
    private static String diagram(Client client, String candidateId) {
        return client.page("bob", "/ui/candidates/" + candidateId);
    }

    private static String model(String name) {
        String unique = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        return """
                {"kind": "MODEL", "name": "%s", "version": "1.0.0", "artifactUri": "s3://models/%s/1.0.0",
                 "digest": "sha256:%s", "pipeline": "standard", "metrics": {"auc": 0.93, "latency_p95_ms": 41.0},
                 "labels": {"team": "upgrade"}}""".formatted(unique, unique, "c".repeat(64));
    }
}
