package dev.tollgate.pipeline;

import dev.tollgate.inventory.Autonomy;
import dev.tollgate.inventory.Classification;
import dev.tollgate.inventory.InventoryEntry;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The candidate labels that feed risk.dmn, and where each risk factor's value comes from. A factor the policy
 * does not own takes the submitter's label. A factor the policy owns never does: it takes the inventory's
 * classification of the name, and its riskiest value when the name is unregistered or unclassified.
 */
public final class RiskLabels {

    public static final String CUSTOMER_FACING = "customer_facing";
    public static final String HANDLES_PII = "handles_pii";
    public static final String REGULATED_USE = "regulated_use";
    public static final String AUTONOMY = "autonomy";
    /** Every label the risk decision reads; a policy may own any of them. */
    public static final List<String> KNOWN = List.of(CUSTOMER_FACING, HANDLES_PII, REGULATED_USE, AUTONOMY);

    private RiskLabels() {
    }

    /**
     * One factor as the decision sees it: its value, whether the submitter's word was set aside for it, and
     * the sentence that says where it came from (null when it is simply the submitter's label).
     */
    public record Factor(Object value, boolean overridden, String source) {
    }

    /** The factor of {@code label} for a candidate with these labels, under this policy and inventory entry. */
    public static Factor factor(String label, Map<String, String> labels, PipelinePolicy policy, String pipeline,
                                InventoryEntry entry) {
        Object said = submitted(label, labels.get(label));
        if (!policy.risk().ownedLabels().contains(label)) {
            return new Factor(said, false, null);
        }
        Classification classification = entry == null ? null : entry.classification();
        String owned = label + " is owned by pipeline " + pipeline + ": ";
        if (classification == null) {
            Object riskiest = riskiest(label);
            String why = entry == null ? "the name is not in the inventory" : "the inventory has not classified it yet";
            String submitted = labels.get(label) == null ? "no label" : "the submitter's '" + labels.get(label) + "'";
            return new Factor(riskiest, !riskiest.equals(said),
                    owned + why + " and " + submitted + " is not trusted, so it counts as " + text(riskiest));
        }
        Object classified = classified(label, classification);
        return new Factor(classified, labels.containsKey(label) && !classified.equals(said),
                owned + "the inventory says " + text(classified) + " (classified by " + entry.classifiedBy + ")");
    }

    private static Object submitted(String label, String value) {
        if (label.equals(AUTONOMY)) {
            try {
                return value == null ? Autonomy.NONE : Autonomy.valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                // An autonomy nobody defined: the riskiest reading, never the mildest.
                return Autonomy.AUTONOMOUS;
            }
        }
        return "true".equalsIgnoreCase(value);
    }

    private static Object riskiest(String label) {
        return label.equals(AUTONOMY) ? Autonomy.AUTONOMOUS : Boolean.TRUE;
    }

    private static Object classified(String label, Classification c) {
        return switch (label) {
            case CUSTOMER_FACING -> c.customerFacing();
            case HANDLES_PII -> c.personalData();
            case REGULATED_USE -> c.regulatedUse();
            case AUTONOMY -> c.autonomy();
            default -> throw new IllegalArgumentException("not a risk label: " + label);
        };
    }

    private static String text(Object value) {
        return String.valueOf(value);
    }
}
