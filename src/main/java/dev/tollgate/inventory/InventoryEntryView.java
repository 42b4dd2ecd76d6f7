package dev.tollgate.inventory;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An inventory entry as the API and the events show it; {@code classification} is null until classified. */
@Schema(name = "InventoryEntry")
public record InventoryEntryView(String kind, String name, String ownerTeam, String intendedUse, String documentation,
                                 List<String> submitters, Classification classification, String classifiedBy,
                                 Instant classifiedAt, String classificationReason, String registeredBy,
                                 Instant registeredAt, String updatedBy, Instant updatedAt, int revision) {

    public static InventoryEntryView of(InventoryEntry e) {
        return new InventoryEntryView(e.kind.name(), e.name, e.ownerTeam, e.intendedUse, e.documentation,
                List.copyOf(e.submitters), e.classification(), e.classifiedBy, e.classifiedAt,
                e.classificationReason, e.registeredBy, e.registeredAt, e.updatedBy, e.updatedAt, e.revision);
    }
}
