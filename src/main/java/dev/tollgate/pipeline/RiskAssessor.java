package dev.tollgate.pipeline;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.Kind;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.inventory.InventoryEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Decides a candidate's risk tier with risk.dmn on its facts, trusting the submitter's labels only where
 * the pipeline does not own them (an owned factor is the inventory's), and records the tier with its reasons
 * and inputs.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RiskAssessor {

    /** The tier and the event that announces it. */
    public record Assessed(RiskTier tier, PromotionEvent.RiskAssessed event, String reason) {
    }

    private final PipelinePolicies policies;
    private final EvaluationService evaluations;
    private final RiskDecision decision;
    private final EntityManager em;
    private final Clock clock;

    RiskAssessor(PipelinePolicies policies, EvaluationService evaluations, RiskDecision decision, EntityManager em,
                 Clock clock) {
        this.policies = policies;
        this.evaluations = evaluations;
        this.decision = decision;
        this.em = em;
        this.clock = clock;
    }

    /**
     * Assesses the candidate; {@code production} is the version serving now, if any, and {@code entry} the
     * inventory's record of its name, if registered (the owned risk factors come from it).
     */
    public Assessed assess(Candidate candidate, Optional<Candidate> production, Optional<InventoryEntry> entry) {
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        Map<String, Double> metrics = evaluations.metricsOf(candidate);
        Map<String, RiskLabels.Factor> factors = new LinkedHashMap<>();
        for (String label : RiskLabels.KNOWN) {
            factors.put(label, RiskLabels.factor(label, candidate.labels, policy, candidate.pipeline, entry.orElse(null)));
        }
        RiskDecision.Facts facts = new RiskDecision.Facts(
                (Boolean) factors.get(RiskLabels.CUSTOMER_FACING).value(),
                (Boolean) factors.get(RiskLabels.HANDLES_PII).value(),
                (Boolean) factors.get(RiskLabels.REGULATED_USE).value(),
                String.valueOf(factors.get(RiskLabels.AUTONOMY).value()),
                production.isEmpty(),
                RegressionGate.worstRelativeDrop(policy.evaluation().regression(), metrics,
                        production.map(evaluations::metricsOf).orElse(null)),
                providerOrModelChanged(candidate, production.orElse(null)),
                floatingModelAlias(candidate, policy));
        RiskDecision.Outcome decided = decision.decide(facts);
        List<String> reasons = new ArrayList<>(decided.reasons());
        RiskTier tier = decided.tier();
        if (facts.floatingModelAlias() && policy.risk().floatingAlias() == PipelinePolicy.FloatingAlias.HIGH) {
            tier = RiskTier.HIGH;
            reasons.add("pipeline " + candidate.pipeline + " raises a floating model alias to HIGH");
        }
        List<String> distrusted = new ArrayList<>();
        factors.forEach((label, factor) -> {
            if (factor.overridden()) {
                distrusted.add(label);
            }
            if (factor.source() != null) {
                reasons.add(factor.source());
            }
        });
        // The kind is recorded with the facts as it always was, though no rule reads it.
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("kind", candidate.kind.name());
        inputs.putAll(facts.asMap());
        RiskAssessment assessment = new RiskAssessment();
        assessment.candidateId = candidate.id;
        assessment.tier = tier;
        assessment.reasons = reasons;
        assessment.inputs = inputs;
        assessment.assessedAt = clock.instant();
        em.persist(assessment);
        return new Assessed(tier, new PromotionEvent.RiskAssessed(tier.name(), reasons, inputs, distrusted),
                tier + ": " + String.join("; ", reasons));
    }

    /** The candidate's recorded assessment, if it was assessed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RiskAssessment> find(UUID candidateId) {
        return Optional.ofNullable(em.find(RiskAssessment.class, candidateId));
    }

    /** A PROMPT whose model names no dated snapshot: its provider may repoint it at any time. */
    public static boolean floatingModelAlias(Candidate candidate, PipelinePolicy policy) {
        return candidate.kind == Kind.PROMPT && candidate.prompt != null
                && !policy.risk().pinned(String.valueOf(candidate.prompt.get("model")));
    }

    private static boolean providerOrModelChanged(Candidate candidate, Candidate production) {
        if (candidate.kind != Kind.PROMPT || production == null || production.prompt == null || candidate.prompt == null) {
            return false;
        }
        return !Objects.equals(candidate.prompt.get("provider"), production.prompt.get("provider"))
                || !Objects.equals(candidate.prompt.get("model"), production.prompt.get("model"));
    }
}
