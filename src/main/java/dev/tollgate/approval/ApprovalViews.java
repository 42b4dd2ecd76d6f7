package dev.tollgate.approval;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The JSON shapes of the approval API. */
public final class ApprovalViews {

    private ApprovalViews() {
    }

    /** An open task in the caller's inbox. */
    public record InboxItem(UUID taskId, UUID candidateId, String kind, String name, String version,
                            String submittedBy, List<String> groups, int required, int granted, Instant createdAt,
                            String tier, Instant dueAt) {
    }

    /** One approval task with its votes, as the task page shows it. */
    public record Task(UUID taskId, UUID candidateId, String status, String tier, List<String> groups, int required,
                       boolean distinctGroups, String submittedBy, Instant createdAt, Instant dueAt, List<Vote> votes) {

        public int granted() {
            return (int) votes.stream().filter(v -> v.decision().equals("APPROVE")).count();
        }

        /** Why this caller may not vote on the task, or null if it may (the vote itself is checked again). */
        public String refusalFor(String caller, java.util.Set<String> roles) {
            if (!status.equals("OPEN")) {
                return "This task is closed (" + status.toLowerCase(java.util.Locale.ROOT) + "): no more votes are taken.";
            }
            if (dev.tollgate.security.Caller.samePrincipal(submittedBy, caller)) {
                return "You submitted this candidate. Separation of duties: someone else must decide.";
            }
            if (votes.stream().anyMatch(v -> dev.tollgate.security.Caller.samePrincipal(v.by(), caller))) {
                return "You have already voted on this task.";
            }
            if (groups.stream().noneMatch(roles::contains)) {
                return "This task is for " + String.join(" or ", groups) + "; your roles do not include them.";
            }
            return null;
        }
    }

    /** A vote as others see it. */
    public record Vote(String by, String decision, String comment, Instant at) {
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
