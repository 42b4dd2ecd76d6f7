package dev.tollgate.freeze;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Freeze windows, the line's state and holds as the API, the UI and the events show them. */
public final class FreezeViews {

    private FreezeViews() {
    }

    /** A window, with its current or next occurrence. */
    @Schema(name = "FreezeWindow")
    public record Window(UUID id, String name, String effect, String scope, String pipeline, String kind,
                         String subjectName, Instant startsAt, Instant endsAt, String cron, String duration,
                         String timeZone, String reason, String createdBy, Instant createdAt, String deletedBy,
                         Instant deletedAt, boolean openNow, Instant currentEnd, Instant nextStart) {
    }

    /** The line: stopped or running, and the stop that holds it. */
    @Schema(name = "StopTheLine")
    public record Line(boolean stopped, UUID stopId, String reason, String stoppedBy, Instant stoppedAt,
                       String restartedBy, Instant restartedAt, String restartReason) {
    }

    /** Why a candidate's production deployment waits, since when, and until when at least. */
    @Schema(name = "ProductionHold")
    public record Hold(String reason, Instant since, Instant until) {
    }
}
