package dev.tollgate.approval;

/** The body of {@code POST /api/v1/approvals/{taskId}/decision}. */
public record DecisionRequest(String decision, String comment) {
}
