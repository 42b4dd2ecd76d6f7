package dev.tollgate.breakglass;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A break-glass as the API, the UI and the candidate view show it. */
@Schema(name = "BreakGlass")
public record BreakGlassView(UUID id, UUID candidateId, String actor, String reason, List<String> bypassed, Instant at,
                             Instant reviewDueAt, String reviewedBy, Instant reviewedAt, String reviewOutcome,
                             String reviewComment, Instant escalatedAt) {

    public static BreakGlassView of(BreakGlass b) {
        return new BreakGlassView(b.id, b.candidateId, b.actor, b.reason, List.copyOf(b.bypassed), b.at, b.reviewDueAt,
                b.reviewedBy, b.reviewedAt, b.reviewOutcome == null ? null : b.reviewOutcome.name(), b.reviewComment,
                b.escalatedAt);
    }
}
