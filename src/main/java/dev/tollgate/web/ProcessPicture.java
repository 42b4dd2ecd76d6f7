package dev.tollgate.web;

import dev.tollgate.candidate.Stage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The promotion process drawn from promotion.bpmn, with the node where a candidate stands marked
 * (class {@code current}). Terminal stages that the process does not draw (cancelled, rolled back,
 * retired) mark nothing; the page says them in words.
 */
@ApplicationScoped
public class ProcessPicture {

    private static final Map<Stage, String> NODES = Map.of(
            Stage.SUBMITTED, "Start",
            Stage.EVALUATING, "WaitEvaluation",
            Stage.RISK_REVIEW, "AssessRisk",
            Stage.DEPLOYING_STAGING, "WaitStaging",
            Stage.AWAITING_APPROVAL, "Approve",
            Stage.DEPLOYING_PRODUCTION, "WaitProduction",
            Stage.IN_PRODUCTION, "EndInProduction",
            Stage.REJECTED, "EndRejected");
    private static final Map<Stage, String> FAILED_AFTER = Map.of(
            Stage.EVALUATING, "EndEvaluationFailed",
            Stage.DEPLOYING_STAGING, "EndStagingFailed",
            Stage.DEPLOYING_PRODUCTION, "EndProductionFailed");

    private final String svg;

    ProcessPicture() {
        try (InputStream in = ProcessPicture.class.getResourceAsStream("/processes/promotion.bpmn")) {
            svg = BpmnDiagram.toSvg(in, "promotion.bpmn")
                    .replaceFirst("<svg ", "<svg class=\"process\" ")
                    .replace("id=\"bpmn-title\"", "id=\"process-title\"")
                    .replace("aria-labelledby=\"bpmn-title\"", "aria-labelledby=\"process-title\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node id for a stage; {@code previous} (the stage before it) tells which failure end a FAILED reached. */
    static String node(Stage stage, Stage previous) {
        return stage == Stage.FAILED ? FAILED_AFTER.get(previous) : NODES.get(stage);
    }

    /** The picture with the candidate's node marked; a plain picture when no node stands for its stage. */
    public String marked(Stage stage, Stage previous) {
        String node = node(stage, previous);
        if (node == null) {
            return svg;
        }
        return svg.replace("<g data-node-id=\"" + node + "\"", "<g class=\"current\" data-node-id=\"" + node + "\"");
    }
}
