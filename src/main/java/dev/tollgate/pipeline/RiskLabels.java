package dev.tollgate.pipeline;

import java.util.List;
import java.util.Map;

/**
 * The candidate labels that feed risk.dmn, and how a label becomes a risk factor. A factor is
 * {@code true} (the risky value) when the label says {@code "true"}, and also when the policy owns the
 * label: then the submitter's value is recorded but not believed.
 */
public final class RiskLabels {

    public static final String CUSTOMER_FACING = "customer_facing";
    public static final String HANDLES_PII = "handles_pii";
    /** Every label the risk decision reads; a policy may own any of them. */
    public static final List<String> KNOWN = List.of(CUSTOMER_FACING, HANDLES_PII);

    private RiskLabels() {
    }

    /** One factor as the decision sees it, and whether the submitter's value was set aside. */
    public record Factor(boolean value, boolean overridden) {
    }

    public static Factor factor(String label, Map<String, String> labels, PipelinePolicy policy) {
        boolean said = "true".equalsIgnoreCase(labels.get(label));
        if (policy.risk().ownedLabels().contains(label)) {
            return new Factor(true, !said);
        }
        return new Factor(said, false);
    }
}
