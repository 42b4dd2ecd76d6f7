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
                thresholds:
                  auc: {min: 0.8}
                approvals: {required: 2, groups: [approver]}
                """;
        PipelinePolicies.Loaded loaded = PipelinePolicies.load("nightly", yaml);
        assertThat(loaded.policy().approvals().required()).isEqualTo(2);
        assertThat(loaded.digest()).matches("sha256:[0-9a-f]{64}");
        assertThat(PipelinePolicies.load("nightly", yaml + "\n").digest()).isNotEqualTo(loaded.digest());
    }

    @Test
    void policyProblemsAreReportedWithTheFileName() {
        String yaml = """
                name: other
                process: promotion
                thresholds:
                  auc: {}
                approvals: {required: 0, groups: []}
                """;
        assertThatThrownBy(() -> PipelinePolicies.load("nightly", yaml))
                .hasMessageContaining("Pipeline policy nightly is not valid")
                .hasMessageContaining("thresholds.auc needs min or max")
                .hasMessageContaining("approvals.required must be at least 1")
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
