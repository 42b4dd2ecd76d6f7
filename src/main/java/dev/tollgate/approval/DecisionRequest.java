package dev.tollgate.approval;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/approvals/{taskId}/decision}. */
public record DecisionRequest(
        @Schema(required = true, enumeration = {"APPROVE", "REJECT", "KEEP", "ROLL_BACK"},
                description = "APPROVE or REJECT on a promotion's task; KEEP or ROLL_BACK on a re-evaluation's.")
        String decision,
        @Schema(description = "Required to reject or roll back.") String comment) {
}
