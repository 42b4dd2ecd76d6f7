package dev.tollgate.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.kie.dmn.api.core.DMNResult;
import org.kie.kogito.Application;
import org.kie.kogito.decision.DecisionModel;
import org.kie.kogito.decision.DecisionModels;

/** Evaluates {@code processes/risk.dmn}: candidate facts in, tier and reasons out. */
@ApplicationScoped
public class RiskDecision {

    static final String NAMESPACE = "https://tollgate.dev/dmn/risk";
    static final String NAME = "risk";

    /** The facts the decision reads; names match the DMN's input data. */
    public record Facts(boolean customerFacing, boolean handlesPii, boolean regulatedUse, String autonomy,
                        boolean firstRelease, double worstRelativeDrop, boolean providerOrModelChanged,
                        boolean floatingModelAlias) {

        Map<String, Object> asMap() {
            return Map.of("customerFacing", customerFacing, "handlesPii", handlesPii,
                    "regulatedUse", regulatedUse, "autonomy", autonomy,
                    "firstRelease", firstRelease, "worstRelativeDrop", worstRelativeDrop,
                    "providerOrModelChanged", providerOrModelChanged, "floatingModelAlias", floatingModelAlias);
        }
    }

    public record Outcome(RiskTier tier, List<String> reasons) {
    }

    private final Application application;

    RiskDecision(Application application) {
        this.application = application;
    }

    public Outcome decide(Facts facts) {
        DecisionModel model = application.get(DecisionModels.class).getDecisionModel(NAMESPACE, NAME);
        return outcome(model.evaluateAll(model.newContext(facts.asMap())));
    }

    /** Reads the decisions {@code tier} and {@code reasons}; no reason at all reads as "no risk factor applies". */
    static Outcome outcome(DMNResult result) {
        if (result.hasErrors()) {
            throw new IllegalStateException("risk.dmn failed: " + result.getMessages().stream()
                    .map(Object::toString).collect(Collectors.joining("; ")));
        }
        Object tier = result.getDecisionResultByName("tier").getResult();
        Object reasons = result.getDecisionResultByName("reasons").getResult();
        List<String> list = new ArrayList<>();
        if (reasons instanceof Collection<?> c) {
            c.forEach(r -> list.add(String.valueOf(r)));
        } else if (reasons != null) {
            list.add(String.valueOf(reasons));
        }
        if (list.isEmpty()) {
            list.add("no risk factor applies");
        }
        return new Outcome(RiskTier.valueOf(String.valueOf(tier)), list);
    }
}
