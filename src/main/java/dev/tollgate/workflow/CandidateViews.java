package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.CandidateService;
import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.breakglass.BreakGlassView;
import dev.tollgate.breakglass.BreakGlasses;
import dev.tollgate.freeze.FreezeViews;
import dev.tollgate.freeze.ProductionHolds;
import dev.tollgate.pipeline.EvaluationService;
import dev.tollgate.pipeline.Gates;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.RiskAssessor;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.watch.ProductionWatch;
import dev.tollgate.watch.ProductionWatches;
import dev.tollgate.watch.Reevaluation;
import dev.tollgate.watch.Reevaluations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** A candidate with everything its promotion gathered (contract.md, "Candidate view"), for the API and the UI. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class CandidateViews {

    private final CandidateService candidates;
    private final PipelinePolicies policies;
    private final EvaluationService evaluations;
    private final Gates gates;
    private final RiskAssessor risk;
    private final ApprovalInbox approvals;
    private final ProductionWatches watches;
    private final Reevaluations reevaluations;
    private final ProductionHolds holds;
    private final BreakGlasses breakGlasses;

    CandidateViews(CandidateService candidates, PipelinePolicies policies, EvaluationService evaluations, Gates gates,
                   RiskAssessor risk, ApprovalInbox approvals, ProductionWatches watches, Reevaluations reevaluations,
                   ProductionHolds holds, BreakGlasses breakGlasses) {
        this.holds = holds;
        this.breakGlasses = breakGlasses;
        this.candidates = candidates;
        this.policies = policies;
        this.evaluations = evaluations;
        this.gates = gates;
        this.risk = risk;
        this.approvals = approvals;
        this.watches = watches;
        this.reevaluations = reevaluations;
    }

    public Optional<CandidateView> find(UUID id) {
        return candidates.find(id).map(this::of);
    }

    public Page<CandidateView> list(CandidateRepository.CandidateFilter filter, Cursor after, int limit) {
        Page<Candidate> page = candidates.list(filter, after, limit);
        return new Page<>(page.items().stream().map(this::of).toList(), page.next());
    }

    public Optional<List<CandidateView.History>> history(UUID id) {
        if (candidates.find(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.history(id).stream()
                .map(h -> new CandidateView.History(h.seq, h.at, h.eventType,
                        h.fromStage == null ? null : h.fromStage.name(), h.toStage.name(), h.actor, h.reason))
                .toList());
    }

    CandidateView of(Candidate c) {
        List<CandidateView.Gate> checks = gates.results(c.id).stream()
                .map(g -> new CandidateView.Gate(g.gate, g.metric, g.value, g.operator, g.bound, g.baseline, g.passed,
                        g.detail))
                .toList();
        CandidateView.Release release = null;
        if (c.stage == Stage.IN_PRODUCTION) {
            Instant since = candidates.history(c.id).stream()
                    .filter(h -> h.toStage == Stage.IN_PRODUCTION).map(h -> h.at).findFirst().orElse(c.updatedAt);
            release = new CandidateView.Release("production", since);
        }
        List<CandidateView.Report> reports = evaluations.reports(c.id).stream()
                .map(r -> new CandidateView.Report(r.suite, r.passed, r.metrics, r.reportUri, r.reportedBy, r.reportedAt))
                .toList();
        List<String> required = policies.pinned(c.policyDigest).evaluation().suites();
        List<String> pending = c.stage == Stage.SUBMITTED || c.stage == Stage.EVALUATING
                ? evaluations.pendingSuites(c) : List.of();
        return new CandidateView(c.id, c.kind.name(), c.name, c.version, c.digest, c.artifactUri, c.prompt,
                c.pipeline, c.policyDigest, c.stage.name(), c.stage.status(), c.submittedBy, c.submittedAt,
                c.metrics, c.labels, c.description,
                new CandidateView.Evaluation(required, pending, reports, checks),
                risk.find(c.id).map(r -> new CandidateView.Risk(r.tier.name(), r.reasons)).orElse(null),
                approvals.summary(c.id).orElse(null), release, watch(c),
                holds.waiting(c.id).map(h -> new FreezeViews.Hold(h.reason, h.heldAt, h.until)).orElse(null),
                breakGlasses.find(c.id).map(BreakGlassView::of).orElse(null));
    }

    /** How the version is watched in production; null for a candidate that never served there. */
    private CandidateView.Watch watch(Candidate c) {
        Optional<ProductionWatch> found = watches.find(c.id);
        if (found.isEmpty()) {
            return null;
        }
        ProductionWatch w = found.get();
        CandidateView.Snapshot pinned = w.pinnedModel == null ? null : new CandidateView.Snapshot(w.pinnedProvider,
                w.pinnedModel, w.pinnedFingerprint, w.pinnedFrom == null ? null : w.pinnedFrom.name(), w.pinnedAt);
        CandidateView.Snapshot observed = w.observedModel == null ? null : new CandidateView.Snapshot(w.observedProvider,
                w.observedModel, w.observedFingerprint, w.observations + " observation(s)", w.observedAt);
        Boolean floating = c.kind == Kind.PROMPT
                ? RiskAssessor.floatingModelAlias(c, policies.pinned(c.policyDigest)) : null;
        CandidateView.Verification verification = w.verificationStatus == null ? null
                : new CandidateView.Verification(w.verificationFrom, w.verificationUntil, w.verificationStatus.name());
        CandidateView.Reevaluation running = reevaluations.underWay(c.id).map(r -> new CandidateView.Reevaluation(r.id,
                r.status.name(), r.trigger.name(), r.reason, r.startedAt, pendingSuites(r), r.signals,
                approvals.ofReevaluation(r.id).filter(t -> "OPEN".equals(t.status())).map(t -> t.taskId()).orElse(null)))
                .orElse(null);
        return new CandidateView.Watch(pinned, observed, floating, verification, running);
    }

    private List<String> pendingSuites(Reevaluation r) {
        if (!Reevaluations.waitsForSuites(r)) {
            return List.of();
        }
        Set<String> reported = new LinkedHashSet<>(evaluations.reportsOf(r.id).stream().map(e -> e.suite).toList());
        return r.suiteList().stream().filter(s -> !reported.contains(s)).toList();
    }
}
