package dev.tollgate.web;

import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.approval.ApprovalVotes;
import dev.tollgate.workflow.CandidateViews;
import dev.tollgate.workflow.Decisions;
import dev.tollgate.workflow.ReevaluationViews;
import java.util.Locale;
import dev.tollgate.audit.DeniedAttempts;
import dev.tollgate.approval.ApprovalViews;
import dev.tollgate.approval.DecisionRequest;
import dev.tollgate.workflow.CandidateView;
import dev.tollgate.candidate.Kind;
import dev.tollgate.release.ReleaseService;
import dev.tollgate.security.Caller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem;
import dev.tollgate.shared.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;

/** The approver's inbox and task page, where votes are cast. */
@Path("/ui")
@RolesAllowed({Roles.APPROVER, Roles.RISK_OFFICER})
public class ApprovalPages {

    static final int PAGE_SIZE = 50;

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance inbox(Chrome page, List<ApprovalViews.InboxItem> tasks, String next,
                                             boolean firstPage);

        static native TemplateInstance task(Chrome page, TaskPage task);
    }

    /**
     * Everything the task page shows. {@code refusal} is why the caller cannot vote, or null. A re-evaluation's
     * "keep or roll back" task shows the re-evaluation's evidence ({@code reevaluation}) instead of a prompt diff.
     */
    public record TaskPage(ApprovalViews.Task task, CandidateView candidate, PromptDiff diff,
                           ReevaluationEvidence reevaluation, String refusal, String error,
                           List<Problem.FieldError> errors, String decision, String comment) {

        public boolean keepOrRollBack() {
            return task.reevaluationId() != null;
        }

        public String title() {
            return keepOrRollBack() ? "Keep or roll back" : "Approval task";
        }

        public boolean canVote() {
            return refusal == null;
        }

        public List<CandidateView.Gate> gates() {
            return candidate.evaluation() == null ? List.of() : candidate.evaluation().gates();
        }

        public List<CandidateView.Report> reports() {
            return candidate.evaluation() == null ? List.of() : candidate.evaluation().reports();
        }

        public String fieldError(String field) {
            return errors.stream().filter(e -> e.field().equals(field)).map(Problem.FieldError::message)
                    .findFirst().orElse(null);
        }
    }

    private final Ui ui;
    private final ApprovalInbox approvals;
    private final Decisions decisions;
    private final CandidateViews candidates;
    private final ReleaseService releases;
    private final Csrf csrf;
    private final DeniedAttempts denied;
    private final ReevaluationViews reevaluations;

    ApprovalPages(Ui ui, ApprovalInbox approvals, Decisions decisions, CandidateViews candidates,
                  ReleaseService releases, Csrf csrf, DeniedAttempts denied, ReevaluationViews reevaluations) {
        this.ui = ui;
        this.approvals = approvals;
        this.decisions = decisions;
        this.candidates = candidates;
        this.releases = releases;
        this.csrf = csrf;
        this.denied = denied;
        this.reevaluations = reevaluations;
    }

    @GET
    @Path("/inbox")
    public Response inbox(@QueryParam("cursor") String cursor) {
        Page<ApprovalViews.InboxItem> page = approvals.inbox(ui.caller(), Cursor.decode(cursor), PAGE_SIZE);
        return ui.page(Templates.inbox(ui.chrome("Inbox", "inbox"), page.items(), page.next(),
                cursor == null || cursor.isEmpty()));
    }

    @GET
    @Path("/tasks/{taskId}")
    public Response task(@PathParam("taskId") UUID taskId) {
        TaskPage page = taskPage(taskId, null, List.of(), null, null);
        return ui.page(Templates.task(ui.chrome(page.title(), "inbox"), page));
    }

    @POST
    @Path("/tasks/{taskId}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@PathParam("taskId") UUID taskId, @RestForm(Csrf.FIELD) String token,
                           @RestForm String decision, @RestForm String comment) {
        csrf.verify(token);
        try {
            ApprovalViews.DecisionResult result = decisions.decide(taskId, new DecisionRequest(decision, comment),
                    ui.caller());
            return Ui.seeOther("/ui/candidates/" + result.candidateId() + "?voted=" + decision);
        } catch (ProblemException refused) {
            if (refused.type().status() == 403) {
                // A refusal shown on the page is still a refusal: the audit trail records it, as for the API.
                denied.record(ui.caller().name(), null, "POST", "/ui/tasks/" + taskId + "/decision", 403,
                        refused.type().uri().toString());
            }
            // The same page again, with the refusal and what the approver typed, so nothing is lost.
            String message = refused.errors().isEmpty() ? refused.getMessage() : "Please correct the form below.";
            TaskPage page = taskPage(taskId, message, refused.errors(), decision, comment);
            return ui.page(refused.type().status(), Templates.task(ui.chrome(page.title(), "inbox"), page));
        }
    }

    private TaskPage taskPage(UUID taskId, String error, List<Problem.FieldError> errors, String decision,
                              String comment) {
        ApprovalViews.Task task = approvals.task(taskId)
                .orElseThrow(() -> ProblemException.notFound("Approval task " + taskId));
        CandidateView candidate = candidates.find(task.candidateId())
                .orElseThrow(() -> ProblemException.notFound("Candidate " + task.candidateId()));
        Caller caller = ui.caller();
        String refusal = approvals.refusal(taskId, caller).map(r -> refusalText(r, task)).orElse(null);
        if (task.reevaluationId() != null) {
            ReevaluationEvidence evidence = reevaluations.find(task.reevaluationId())
                    .map(r -> ReevaluationEvidence.of(r, candidate))
                    .orElseThrow(() -> ProblemException.notFound("Re-evaluation " + task.reevaluationId()));
            return new TaskPage(task, candidate, null, evidence, refusal, error, errors, decision, comment);
        }
        return new TaskPage(task, candidate, promptDiff(candidate), null, refusal, error, errors, decision, comment);
    }

    /** Why the page offers no vote, in the approver's words. */
    private static String refusalText(ApprovalVotes.Refusal refusal, ApprovalViews.Task task) {
        return switch (refusal) {
            case CLOSED -> "This task is closed (" + closedWith(task) + "): no more votes are taken.";
            case OWN_CANDIDATE -> task.reevaluationId() != null
                    ? "You submitted this version. Separation of duties: someone else must decide whether to keep it."
                    : "You submitted this candidate. Separation of duties: someone else must decide.";
            case ALREADY_VOTED -> "You have already voted on this task.";
            case NOT_IN_GROUPS -> "This task is for " + String.join(" or ", task.groups())
                    + "; your roles do not include them.";
        };
    }

    /** How a task closed, in the words of its decisions: a re-evaluation's task is kept or rolled back. */
    private static String closedWith(ApprovalViews.Task task) {
        return task.reevaluationId() == null ? task.status().toLowerCase(Locale.ROOT)
                : Formats.keepOrRollBack(task.status());
    }

    /** For a PROMPT, the comparison with the version in production; null for a MODEL. */
    private PromptDiff promptDiff(CandidateView candidate) {
        if (!Kind.PROMPT.name().equals(candidate.kind())) {
            return null;
        }
        ReleaseService.Serving production = releases.view(Kind.PROMPT, candidate.name(), null).production();
        if (production == null) {
            return PromptDiff.of(null, Map.of(), candidate.prompt());
        }
        Map<String, Object> before = candidates.find(UUID.fromString(production.candidateId()))
                .map(CandidateView::prompt).orElse(Map.of());
        return PromptDiff.of(production.version(), before, candidate.prompt());
    }
}
