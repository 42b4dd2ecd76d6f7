package dev.tollgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PipelinePoliciesTest {

    @Test
    void validPolicyLoadsWithTheDigestOfItsBytes() {
        String yaml = """
                name: nightly
                process: promotion
                evaluation:
                  suites: [offline-eval]
                  thresholds: {auc: {min: 0.8}}
                  regression: {auc: {maxDecrease: 0.01}}
                approvals:
                  LOW: {required: 1, groups: [approver]}
                  MEDIUM: {required: 1, groups: [approver]}
                  HIGH: {required: 2, groups: [approver, risk-officer], distinctGroups: true}
                autoApproveLow: true
                timeouts: {evaluation: PT1H, staging: PT1H, approval: PT24H, approvalReminder: PT12H, production: PT1H}
                """;
        PipelinePolicies.Loaded loaded = PipelinePolicies.load("nightly", yaml);
        assertThat(loaded.policy().approvalFor(RiskTier.HIGH).required()).isEqualTo(2);
        assertThat(loaded.policy().timeouts().approval()).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(loaded.digest()).matches("sha256:[0-9a-f]{64}");
        assertThat(PipelinePolicies.load("nightly", yaml + "\n").digest()).isNotEqualTo(loaded.digest());
    }

    @Test
    void policyProblemsAreReportedWithTheFileName() {
        String yaml = """
                name: other
                process: promotion
                evaluation:
                  thresholds: {auc: {}}
                  regression: {auc: {maxDecrease: 0.01, maxIncrease: 1}}
                approvals:
                  LOW: {required: 0, groups: [approver]}
                  HIGH: {required: 2, groups: [approver], distinctGroups: true}
                timeouts: {evaluation: PT1H, staging: PT0S, approval: PT1H, approvalReminder: PT2H, production: PT1H}
                """;
        assertThatThrownBy(() -> PipelinePolicies.load("nightly", yaml))
                .hasMessageContaining("Pipeline policy nightly is not valid")
                .hasMessageContaining("evaluation.thresholds.auc needs min or max")
                .hasMessageContaining("evaluation.regression.auc needs exactly one of maxDecrease and maxIncrease")
                .hasMessageContaining("approvals.LOW.required must be at least 1")
                .hasMessageContaining("approvals.MEDIUM is required")
                .hasMessageContaining("approvals.HIGH.distinctGroups needs at least two groups")
                .hasMessageContaining("timeouts.staging must be positive")
                .hasMessageContaining("timeouts.approvalReminder must be shorter than timeouts.approval")
                .hasMessageContaining("does not match the file name");
    }

    @Test
    void unknownPolicyFieldIsAnError() {
        assertThatThrownBy(() -> PipelinePolicies.load("nightly", "name: nightly\nprocess: promotion\nthreshold: {}\n"))
                .hasMessageContaining("threshold");
    }

    @Test
    void builtInPoliciesAreValid() {
        for (String name : PipelinePolicies.BUILT_IN) {
            assertThat(PipelinePolicies.load(name, read("pipelines/" + name + ".yaml")).policy().name()).isEqualTo(name);
        }
    }

    private static String read(String resource) {
        try (var in = PipelinePoliciesTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
