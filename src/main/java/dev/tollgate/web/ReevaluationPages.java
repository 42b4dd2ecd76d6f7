package dev.tollgate.web;

import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.approval.ApprovalViews;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.workflow.CandidateView;
import dev.tollgate.workflow.CandidateViews;
import dev.tollgate.workflow.ReevaluationView;
import dev.tollgate.workflow.ReevaluationViews;
import dev.tollgate.workflow.SignalView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** One re-evaluation of a version in production: why, its timeline, its evidence. Readable by every role. */
@Path("/ui")
// Any of the contract's roles: signing in with none of them (an IdP user Tollgate does not know) is not enough.
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class ReevaluationPages {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance reevaluation(Chrome page, ReevaluationPage reevaluation);
    }

    /** Everything the page shows; {@code canDecide}: the caller's vote on its open task would count. */
    public record ReevaluationPage(ReevaluationEvidence evidence, CandidateView candidate, List<Entry> timeline,
                                   boolean canDecide) {

        public ReevaluationView r() {
            return evidence.reevaluation();
        }
    }

    /** One line of the timeline: when, what happened, who or what did it, and more words when there are any. */
    public record Entry(Instant at, String what, String by, String detail) {
    }

    private final Ui ui;
    private final ReevaluationViews reevaluations;
    private final CandidateViews candidates;
    private final ApprovalInbox approvals;

    ReevaluationPages(Ui ui, ReevaluationViews reevaluations, CandidateViews candidates, ApprovalInbox approvals) {
        this.ui = ui;
        this.reevaluations = reevaluations;
        this.candidates = candidates;
        this.approvals = approvals;
    }

    @GET
    @Path("/reevaluations/{id}")
    public Response reevaluation(@PathParam("id") UUID id) {
        ReevaluationView r = reevaluations.find(id).orElseThrow(() -> ProblemException.notFound("Re-evaluation " + id));
        CandidateView candidate = candidates.find(r.candidateId())
                .orElseThrow(() -> ProblemException.notFound("Candidate " + r.candidateId()));
        boolean canDecide = r.task() != null && approvals.refusal(r.task().taskId(), ui.caller()).isEmpty();
        ReevaluationPage page = new ReevaluationPage(ReevaluationEvidence.of(r, candidate), candidate, timeline(r),
                canDecide);
        return ui.page(Templates.reevaluation(ui.chrome("Re-evaluation of " + r.name() + " " + r.version(), "candidates"),
                page));
    }

    /** The signals, the suites' reports, the verdict, the decision task and its votes, and the end, in time order. */
    static List<Entry> timeline(ReevaluationView r) {
        List<Ordered> lines = new ArrayList<>();
        for (SignalView s : r.signals()) {
            Entry entry = new Entry(s.receivedAt(), signalText(s) + ": " + Formats.outcome(s.outcome()),
                    s.receivedBy(), join(s.source() == null ? null : "from " + s.source(), s.detail()));
            // The signal that started it is stored a moment after the re-evaluation it opened: it still comes first.
            boolean starter = "REEVALUATION_STARTED".equals(s.outcome()) && s.receivedAt() != null
                    && r.startedAt() != null && s.receivedAt().isAfter(r.startedAt());
            lines.add(new Ordered(starter ? r.startedAt() : s.receivedAt(), entry));
        }
        add(lines, new Entry(r.startedAt(), "started: " + Formats.trigger(r.trigger()), null, join(r.reason(),
                r.suites().isEmpty() ? null : "suites asked for again: " + String.join(", ", r.suites()))));
        for (CandidateView.Report report : r.reports()) {
            add(lines, new Entry(report.at(), "suite " + report.suite() + " reported"
                    + (report.passed() == null ? "" : report.passed() ? ", passed" : ", not passed"), report.by(),
                    report.metrics() == null ? null : report.metrics().entrySet().stream()
                            .map(m -> m.getKey() + " = " + Formats.number(m.getValue()))
                            .collect(Collectors.joining(", "))));
        }
        if (r.judgedAt() != null) {
            add(lines, new Entry(r.judgedAt(), "judged: " + Formats.words(r.verdict()), null,
                    r.reaction() == null ? null : "reaction: " + Formats.reaction(r.reaction())));
        }
        ApprovalViews.Task task = r.task();
        if (task != null) {
            add(lines, new Entry(task.createdAt(), "keep-or-roll-back task opened", null,
                    task.required() + " of " + String.join(" or ", task.groups()) + " to keep; one to roll back"));
            for (ApprovalViews.Vote vote : task.votes()) {
                add(lines, new Entry(vote.at(), Formats.decision(vote.decision()), vote.by(), vote.comment()));
            }
        }
        if (r.endedAt() != null) {
            add(lines, new Entry(r.endedAt(), "ended: " + Formats.words(r.status()), r.decidedBy(), r.outcome()));
        }
        // Stable: at the same instant, lines keep the order they were added in.
        lines.sort(Comparator.comparing(Ordered::order, Comparator.nullsLast(Comparator.naturalOrder())));
        return lines.stream().map(Ordered::entry).toList();
    }

    /** A timeline line with the instant it is sorted by. */
    private record Ordered(Instant order, Entry entry) {
    }

    private static void add(List<Ordered> lines, Entry entry) {
        lines.add(new Ordered(entry.at(), entry));
    }

    private static String signalText(SignalView s) {
        if (s.metric() != null) {
            return s.type() + " signal " + s.metric() + " = " + Formats.number(s.value())
                    + (s.threshold() == null ? "" : " (bound " + Formats.number(s.threshold()) + ")")
                    + ("RESOLVED".equals(s.status()) ? ", resolved" : "");
        }
        if (s.model() != null) {
            return s.type() + " signal " + (s.provider() == null ? "" : s.provider() + " ") + s.model()
                    + (s.fingerprint() == null ? "" : " " + s.fingerprint());
        }
        return s.type() + " signal" + ("RESOLVED".equals(s.status()) ? ", resolved" : "");
    }

    private static String join(String a, String b) {
        if (a == null || a.isBlank()) {
            return b;
        }
        return b == null || b.isBlank() ? a : a + "; " + b;
    }
}
