package dev.tollgate.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pipeline's policy document (YAML under {@code src/main/resources/pipelines/}): which BPMN
 * process runs it and the rules its gates apply. Its digest is pinned on every candidate at
 * submission, so editing the file never changes a running promotion.
 */
public record PipelinePolicy(
        String name,
        String description,
        String process,
        Map<String, Threshold> thresholds,
        Approvals approvals) {

    /** A bound on one metric; at least one of {@code min} and {@code max}, both inclusive. */
    public record Threshold(Double min, Double max) {
    }

    /** How many distinct people from which groups must approve. */
    public record Approvals(int required, List<String> groups) {
    }

    /** Problems that make this policy unusable, one sentence each; empty when it is valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            problems.add("name must match [a-z0-9][a-z0-9._-]{0,62}");
        }
        if (process == null || process.isBlank()) {
            problems.add("process must name the BPMN process id");
        }
        if (thresholds != null) {
            thresholds.forEach((metric, t) -> {
                if (t == null || (t.min() == null && t.max() == null)) {
                    problems.add("thresholds." + metric + " needs min or max");
                } else if (t.min() != null && t.max() != null && t.min() > t.max()) {
                    problems.add("thresholds." + metric + " has min above max");
                }
            });
        }
        if (approvals == null) {
            problems.add("approvals is required");
        } else {
            if (approvals.required() < 1) {
                problems.add("approvals.required must be at least 1");
            }
            if (approvals.groups() == null || approvals.groups().isEmpty()) {
                problems.add("approvals.groups must name at least one role");
            }
        }
        return problems;
    }

    @JsonProperty("thresholds")
    public Map<String, Threshold> thresholds() {
        return thresholds == null ? Map.of() : thresholds;
    }
}
