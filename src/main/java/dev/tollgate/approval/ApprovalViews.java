package dev.tollgate.approval;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON shapes of the approval API. */
public final class ApprovalViews {

    private ApprovalViews() {
    }

    /** An open task in the caller's inbox; {@code reevaluationId} is set on a re-evaluation's "keep or roll back" task. */
    public record InboxItem(UUID taskId, UUID candidateId, String kind, String name, String version,
                            String submittedBy, List<String> groups, int required, int granted, Instant createdAt,
                            String tier, Instant dueAt, UUID reevaluationId) {
    }

    /** One approval task with its votes, as the task page shows it. */
    public record Task(UUID taskId, UUID candidateId, String status, String tier, List<String> groups, int required,
                       boolean distinctGroups, String submittedBy, Instant createdAt, Instant dueAt, List<Vote> votes,
                       UUID reevaluationId) {

        public int granted() {
            return (int) votes.stream().filter(v -> v.decision().equals("APPROVE") || v.decision().equals("KEEP")).count();
        }
    }

    /** A vote as others see it. */
    public record Vote(String by, String decision, String comment, Instant at) {
        static Vote of(ApprovalVote vote) {
            return new Vote(vote.voter, vote.decision.name(), vote.comment, vote.at);
        }
    }

    /** The outcome of a decision request. */
    public record DecisionResult(UUID taskId, UUID candidateId, String status, int required, int granted,
                                 List<Vote> votes) {
    }

    /** The {@code approvals} member of the candidate view. */
    public record Summary(int required, UUID taskId, String status, String tier, List<String> groups,
                          boolean distinctGroups, Instant dueAt, List<Granted> granted, String rejectedBy) {
    }

    public record Granted(String by, Instant at, String comment) {
    }
}
