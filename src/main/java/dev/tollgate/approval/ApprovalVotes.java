package dev.tollgate.approval;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A vote on an approval task. The workflow takes the candidate's row lock first, this the task's, so votes
 * on one task are serialized: none is lost, none counts twice, and a vote that arrives after the task
 * closed is refused. Separation of duties is checked here, never left to the engine.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ApprovalVotes {

    static final int MAX_COMMENT = 4000;

    /** A validated decision request. */
    public record Ballot(ApprovalVote.Decision decision, String comment) {
    }

    /** An event the vote caused, with who caused it and why. */
    public record Announcement(PromotionEvent event, String actor, String reason) {
    }

    /**
     * What the vote did: the events to announce, in order, the task's outcome when it closed ({@code null} while it
     * stays open), and the process instance whose user task the closed task completes (null: the candidate's
     * promotion, for tasks older than re-evaluations).
     */
    public record Cast(List<Announcement> announcements, ApprovalTask.Status closedWith, String processInstanceId) {
    }

    private final ApprovalStore store;
    private final Clock clock;
    private final ApprovalMeters meters;

    ApprovalVotes(ApprovalStore store, Clock clock, ApprovalMeters meters) {
        this.store = store;
        this.clock = clock;
        this.meters = meters;
    }

    /** The candidate a task belongs to, to lock before voting; 404 for an unknown task. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public UUID candidateOf(UUID taskId) {
        return store.find(taskId).orElseThrow(() -> ProblemException.notFound("Approval task " + taskId)).candidateId;
    }

    /** Records the caller's vote on the task, whose candidate the caller has locked. */
    public Cast cast(Candidate candidate, UUID taskId, Ballot ballot, Caller caller) {
        ApprovalTask task = store.lock(taskId);
        List<ApprovalVote> votes = store.votesOn(taskId);
        Refusal refusal = Refusal.of(task, votes, candidate.submittedBy, caller.name(), caller.roles());
        if (refusal != null) {
            throw refusal.problem(task);
        }
        if (!ballot.decision().fits(task)) {
            throw ProblemException.validation(List.of(new FieldError("decision", task.decidesReevaluation()
                    ? "this task decides a re-evaluation: KEEP or ROLL_BACK"
                    : "this task approves a promotion: APPROVE or REJECT")));
        }
        Instant now = clock.instant();
        ApprovalVote vote = new ApprovalVote();
        vote.taskId = taskId;
        vote.voter = caller.name();
        vote.decision = ballot.decision();
        vote.comment = ballot.comment();
        vote.voterRoles = caller.roles().stream().sorted().toArray(String[]::new);
        vote.at = now;
        store.persist(vote);

        if (!ballot.decision().isAssent()) {
            task.close(ApprovalTask.Status.REJECTED, now);
            meters.closed(task);
            return new Cast(List.of(), ApprovalTask.Status.REJECTED, task.processInstanceId);
        }
        List<ApprovalVote> approvals = store.approvalsOn(taskId);
        List<Announcement> announced = new ArrayList<>();
        String reevaluation = task.decidesReevaluation() ? task.reevaluationId.toString() : null;
        announced.add(new Announcement(new PromotionEvent.ApprovalGranted(taskId.toString(), caller.name(), vote.comment,
                approvals.size(), task.required, reevaluation), caller.name(), vote.comment));
        if (!Quorum.isMet(task, approvals)) {
            return new Cast(announced, null, task.processInstanceId);
        }
        task.close(ApprovalTask.Status.APPROVED, now);
        meters.closed(task);
        if (!task.decidesReevaluation()) {
            // A re-evaluation's decision is announced by its process (reevaluation.decided), not as an approval.
            announced.add(new Announcement(PromotionEvent.Approved.byQuorum(taskId.toString(),
                    approvals.stream().map(v -> v.voter).toList()), caller.name(), "Quorum of " + task.required + " reached"));
        }
        return new Cast(announced, ApprovalTask.Status.APPROVED, task.processInstanceId);
    }

    /** The task after the vote, as the decision endpoint answers. */
    public ApprovalViews.DecisionResult result(UUID taskId) {
        store.em().flush();
        ApprovalTask task = store.find(taskId).orElseThrow();
        List<ApprovalVote> votes = store.votesOn(task.id);
        int granted = (int) votes.stream().filter(v -> v.decision.isAssent()).count();
        return new ApprovalViews.DecisionResult(task.id, task.candidateId, task.status.name(), task.required, granted,
                votes.stream().map(ApprovalViews.Vote::of).toList());
    }

    /** Refuses (400 naming each field) a decision that no task could take. */
    public static Ballot validate(DecisionRequest request) {
        List<FieldError> errors = new ArrayList<>();
        ApprovalVote.Decision decision = null;
        if (request.decision() == null) {
            errors.add(new FieldError("decision", "is required (APPROVE or REJECT; KEEP or ROLL_BACK on a re-evaluation)"));
        } else {
            try {
                decision = ApprovalVote.Decision.valueOf(request.decision());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("decision", "must be APPROVE or REJECT (KEEP or ROLL_BACK on a re-evaluation)"));
            }
        }
        if (request.comment() != null && request.comment().length() > MAX_COMMENT) {
            errors.add(new FieldError("comment", "must be at most " + MAX_COMMENT + " characters"));
        } else if (StoredText.problem(request.comment()) != null) {
            errors.add(new FieldError("comment", StoredText.problem(request.comment())));
        }
        String comment = request.comment() == null || request.comment().isBlank() ? null : request.comment().strip();
        if (decision != null && !decision.isAssent() && comment == null) {
            errors.add(new FieldError("comment", decision == ApprovalVote.Decision.REJECT
                    ? "is required when rejecting: say why" : "is required when rolling back: say why"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Ballot(decision, comment);
    }

    /** Why a caller may not vote on a task, in the order the vote checks them. */
    public enum Refusal {
        OWN_CANDIDATE, NOT_IN_GROUPS, CLOSED, ALREADY_VOTED;

        static Refusal of(ApprovalTask task, List<ApprovalVote> votes, String submittedBy, String caller,
                          java.util.Set<String> roles) {
            if (Caller.samePrincipal(submittedBy, caller)) {
                return OWN_CANDIDATE;
            }
            if (java.util.Arrays.stream(task.groups).noneMatch(roles::contains)) {
                return NOT_IN_GROUPS;
            }
            if (!task.isOpen()) {
                return CLOSED;
            }
            if (votes.stream().anyMatch(v -> Caller.samePrincipal(v.voter, caller))) {
                return ALREADY_VOTED;
            }
            return null;
        }

        ProblemException problem(ApprovalTask task) {
            return switch (this) {
                case OWN_CANDIDATE -> new ProblemException(ProblemType.SEPARATION_OF_DUTIES,
                        "You submitted this candidate, so you cannot vote on it");
                case NOT_IN_GROUPS -> new ProblemException(ProblemType.FORBIDDEN,
                        "Only members of " + String.join(", ", task.groups) + " may vote on this task");
                case CLOSED -> new ProblemException(ProblemType.TASK_CLOSED, "This approval task is already " + task.status,
                        List.of(), Map.of("taskStatus", task.status.name()));
                case ALREADY_VOTED -> new ProblemException(ProblemType.ALREADY_VOTED, "You have already voted on this task");
            };
        }
    }
}
