package dev.tollgate.inventory;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What callers send to the inventory. */
public final class InventoryRequests {

    private InventoryRequests() {
    }

    /** A new entry. {@code submitters} empty or absent: anyone with the submitter role may submit versions. */
    @Schema(name = "RegisterInventoryEntryRequest")
    public record Register(@Schema(required = true, enumeration = {"MODEL", "PROMPT"}) String kind,
                           @Schema(required = true, pattern = "[a-z0-9][a-z0-9._-]{0,62}") String name,
                           @Schema(required = true) String ownerTeam,
                           @Schema(required = true) String intendedUse,
                           String documentation,
                           List<String> submitters) {
    }

    /** New owner, use, documentation or submitters of an entry, and why. Absent fields keep their value. */
    @Schema(name = "UpdateInventoryEntryRequest")
    public record Update(String ownerTeam, String intendedUse, String documentation, List<String> submitters,
                         @Schema(required = true) String reason) {
    }

    /** A risk officer's classification of a name: every attribute, and why. */
    @Schema(name = "ClassifyInventoryEntryRequest")
    public record Classify(@Schema(required = true) Boolean customerFacing,
                           @Schema(required = true) Boolean personalData,
                           @Schema(required = true) Boolean regulatedUse,
                           @Schema(required = true) Autonomy autonomy,
                           @Schema(required = true) String reason) {
    }
}
