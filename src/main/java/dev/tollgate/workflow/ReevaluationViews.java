package dev.tollgate.workflow;

import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.pipeline.EvaluationReport;
import dev.tollgate.pipeline.EvaluationService;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.watch.Reevaluation;
import dev.tollgate.watch.Reevaluations;
import dev.tollgate.watch.Signals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Re-evaluations with their evidence (signals, reports, gates, the decision task), for the API and the UI. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ReevaluationViews {

    private final Reevaluations reevaluations;
    private final Signals signals;
    private final EvaluationService evaluations;
    private final ApprovalInbox approvals;
    private final CandidateRepository candidates;

    ReevaluationViews(Reevaluations reevaluations, Signals signals, EvaluationService evaluations, ApprovalInbox approvals,
                      CandidateRepository candidates) {
        this.reevaluations = reevaluations;
        this.signals = signals;
        this.evaluations = evaluations;
        this.approvals = approvals;
        this.candidates = candidates;
    }

    public Optional<ReevaluationView> find(UUID id) {
        return reevaluations.find(id).map(this::of);
    }

    /** A page of re-evaluations, newest first. */
    public Page<ReevaluationView> list(Reevaluations.Filter filter, Cursor after, int limit) {
        List<Reevaluation> rows = reevaluations.page(filter, after, limit + 1);
        List<ReevaluationView> items = rows.subList(0, Math.min(limit, rows.size())).stream().map(this::of).toList();
        String next = rows.size() > limit
                ? new Cursor(items.get(items.size() - 1).startedAt(), items.get(items.size() - 1).id()).encode() : null;
        return new Page<>(items, next);
    }

    /** The re-evaluations of one version, newest first (the candidate page's list). */
    public List<ReevaluationView> ofCandidate(UUID candidateId, int limit) {
        return reevaluations.page(new Reevaluations.Filter(null, null, null, candidateId), null, limit).stream()
                .map(this::of).toList();
    }

    ReevaluationView of(Reevaluation r) {
        Candidate candidate = candidates.findById(r.candidateId);
        List<EvaluationReport> reports = evaluations.reportsOf(r.id);
        Set<String> reported = new LinkedHashSet<>(reports.stream().map(report -> report.suite).toList());
        List<String> pending = Reevaluations.waitsForSuites(r)
                ? r.suiteList().stream().filter(s -> !reported.contains(s)).toList() : List.of();
        Candidate target = r.rollbackTo == null ? null : candidates.findById(r.rollbackTo);
        return new ReevaluationView(r.id, r.candidateId, r.kind, r.name, candidate.version, r.trigger.name(), r.reason,
                r.status.name(), r.verdict == null ? null : r.verdict.name(), r.reaction == null ? null : r.reaction.name(),
                r.suiteList(), pending,
                reports.stream().map(report -> new CandidateView.Report(report.suite, report.passed, report.metrics,
                        report.reportUri, report.reportedBy, report.reportedAt)).toList(),
                r.gates, r.comparison, r.signals, signals.of(r.id).stream().map(SignalView::of).toList(),
                approvals.ofReevaluation(r.id).orElse(null), r.startedAt, r.dueAt, r.judgedAt, r.endedAt, r.outcome,
                r.decidedBy, target == null ? null : new ReevaluationView.RollbackTarget(target.id, target.version),
                r.policyDigest);
    }
}
