package dev.tollgate.pipeline;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.shared.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Runs every gate of a candidate's pinned policy (suites reported and passed, thresholds, no regression
 * against production) and records each check with its inputs, so the UI and the audit can show why.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Gates {

    /** The gates' verdict and the event that announces it. */
    public record Verdict(boolean passed, PromotionEvent event, String reason) {
    }

    private final PipelinePolicies policies;
    private final EvaluationService evaluations;
    private final EntityManager em;
    private final Clock clock;
    private final MeterRegistry registry;
    private final AfterCommit afterCommit;

    Gates(PipelinePolicies policies, EvaluationService evaluations, EntityManager em, Clock clock, MeterRegistry registry,
          AfterCommit afterCommit) {
        this.policies = policies;
        this.evaluations = evaluations;
        this.em = em;
        this.clock = clock;
        this.registry = registry;
        this.afterCommit = afterCommit;
    }

    /**
     * Judges the candidate; {@code production} is the version serving now, the regression gate's baseline.
     * Suites that have not reported (the evaluation timed out) fail it before any gate runs.
     */
    public Verdict evaluate(Candidate candidate, Optional<Candidate> production) {
        PipelinePolicy policy = policies.pinned(candidate.policyDigest);
        List<String> pending = evaluations.pendingSuites(candidate);
        if (!pending.isEmpty()) {
            countFailures(candidate.pipeline, pending.stream().map(suite -> new GateCheck("TIMEOUT", suite, null,
                    "REPORTED", null, null, false, suite + " did not report in time")).toList());
            return new Verdict(false, PromotionEvent.EvaluationFailed.timedOut(pending),
                    "timeout: evaluation suites " + String.join(", ", pending) + " did not report within "
                            + policy.timeouts().evaluation());
        }
        Map<String, Double> metrics = evaluations.metricsOf(candidate);
        Map<String, Double> baseline = production.filter(p -> !p.id.equals(candidate.id))
                .map(evaluations::metricsOf).orElse(null);
        List<GateCheck> checks = checks(policy, policy.evaluation().suites(), evaluations.reports(candidate.id), metrics,
                baseline, "production");
        record(candidate, checks);
        countFailures(candidate.pipeline, checks);
        List<PromotionEvent.Gate> gates = checks.stream().map(c -> new PromotionEvent.Gate(c.gate(), c.metric(),
                c.value(), c.operator(), c.bound(), c.baseline(), c.passed())).toList();
        List<GateCheck> failed = checks.stream().filter(c -> !c.passed()).toList();
        if (failed.isEmpty()) {
            return new Verdict(true, new PromotionEvent.EvaluationPassed(gates), checks.size() + " gate checks passed");
        }
        return new Verdict(false, PromotionEvent.EvaluationFailed.gatesFailed(gates),
                failed.stream().map(GateCheck::detail).collect(Collectors.joining("; ")));
    }

    /** The checks recorded for a candidate, in the order they ran. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<GateResult> results(UUID candidateId) {
        return em.createQuery("from GateResult where candidateId = :id order by id", GateResult.class)
                .setParameter("id", candidateId).getResultList();
    }

    /**
     * The checks of a re-evaluation of the version in production, stored by the re-evaluation itself: its suites
     * reported and passed, the policy's thresholds on the metrics now (what the suites report again, over the
     * original values), and no regression against the original evaluation.
     */
    public List<GateCheck> rejudge(PipelinePolicy policy, List<String> suites, List<EvaluationReport> reports,
                                   Map<String, Double> original) {
        Map<String, Double> now = new LinkedHashMap<>(original);
        reports.forEach(r -> now.putAll(r.metrics));
        return checks(policy, suites, reports, now, original, "the original evaluation");
    }

    private static List<GateCheck> checks(PipelinePolicy policy, List<String> suites, List<EvaluationReport> reports,
                                          Map<String, Double> metrics, Map<String, Double> baseline, String against) {
        List<GateCheck> checks = new ArrayList<>(suiteChecks(suites, reports));
        checks.addAll(ThresholdGate.evaluate(policy.evaluation().thresholds(), metrics));
        checks.addAll(RegressionGate.evaluate(policy.evaluation().regression(), metrics, baseline, against));
        return checks;
    }

    private static List<GateCheck> suiteChecks(List<String> suites, List<EvaluationReport> reports) {
        Map<String, EvaluationReport> latest = new LinkedHashMap<>();
        reports.forEach(r -> latest.put(r.suite, r));
        return suites.stream().map(suite -> {
            EvaluationReport report = latest.get(suite);
            boolean passed = report != null && !Boolean.FALSE.equals(report.passed);
            String detail = report == null ? suite + " did not report"
                    : passed ? suite + " reported by " + report.reportedBy
                    : suite + " reported a failure" + (report.reportUri == null ? "" : " (" + report.reportUri + ")");
            return new GateCheck(GateCheck.SUITE, suite, null, "REPORTED", null, null, passed, detail);
        }).toList();
    }

    /** Failed gate checks by gate and metric, once the verdict committed (docs/operations.md, "Metrics"). */
    private void countFailures(String pipeline, List<GateCheck> checks) {
        List<GateCheck> failed = checks.stream().filter(c -> !c.passed()).toList();
        if (failed.isEmpty()) {
            return;
        }
        afterCommit.run(() -> failed.forEach(c -> Counter.builder("tollgate.gate.failures")
                .description("Gate checks that failed a promotion")
                .tags("gate", c.gate(), "metric", String.valueOf(c.metric()), "pipeline", pipeline)
                .register(registry).increment()));
    }

    private void record(Candidate candidate, List<GateCheck> checks) {
        Instant now = clock.instant();
        for (GateCheck check : checks) {
            GateResult result = new GateResult();
            result.candidateId = candidate.id;
            result.gate = check.gate();
            result.metric = check.metric();
            result.value = check.value();
            result.operator = check.operator();
            result.bound = check.bound();
            result.baseline = check.baseline();
            result.passed = check.passed();
            result.detail = check.detail();
            result.evaluatedAt = now;
            em.persist(result);
        }
    }
}
