package dev.tollgate.freeze;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What callers send to create freeze windows and to stop and restart the line. */
public final class FreezeRequests {

    private FreezeRequests() {
    }

    /**
     * A window. {@code effect} DENY or ALLOW. Scope: nothing (every pipeline and name), {@code pipeline}, or
     * {@code kind} and {@code name}. Schedule: {@code startsAt} and {@code endsAt} (RFC 3339), or {@code cron} (five
     * fields), {@code duration} (ISO 8601, e.g. PT64H) and {@code timeZone} (e.g. Europe/Paris).
     */
    @Schema(name = "FreezeWindowRequest")
    public record Window(@Schema(required = true) String name,
                         @Schema(required = true, enumeration = {"DENY", "ALLOW"}) String effect,
                         String pipeline, String kind, @Schema(description = "The model or prompt name, with kind") String subjectName,
                         String startsAt, String endsAt, String cron, String duration, String timeZone,
                         @Schema(required = true) String reason) {
    }

    /** Why the line stops, or why it restarts. */
    @Schema(name = "StopTheLineRequest")
    public record Reason(@Schema(required = true) String reason) {
    }
}
