package dev.tollgate.inventory;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.candidate.Kind;
import dev.tollgate.events.EventTypes;
import dev.tollgate.events.Outbox;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.AdvisoryLocks;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.StoredText;
import dev.tollgate.shared.WebUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inventory of models and prompts (docs/governance.md): registering a name, changing its owner, use,
 * documentation or submitters, and a risk officer's classification. Every change is one transaction with its
 * audit entry and its event on {@code tollgate.governance}; every change but the registration needs a reason.
 */
@ApplicationScoped
@Transactional
public class Inventory {

    static final int MAX_SUBMITTERS = 50;
    static final int MAX_TEXT = 4000;

    private final EntityManager em;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;

    Inventory(EntityManager em, AuditLog audit, Outbox outbox, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    public InventoryEntryView register(InventoryRequests.Register request, Caller caller) {
        List<FieldError> errors = new ArrayList<>();
        Kind kind = kind(request.kind(), errors);
        if (request.name() == null || !CandidateValidator.NAME.matcher(request.name()).matches()) {
            errors.add(new FieldError("name", "is required and must match " + CandidateValidator.NAME.pattern()));
        }
        text(errors, "ownerTeam", request.ownerTeam(), 128, true);
        text(errors, "intendedUse", request.intendedUse(), MAX_TEXT, true);
        documentation(errors, request.documentation());
        List<String> submitters = submitters(errors, request.submitters());
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        lock(kind, request.name());
        InventoryEntry existing = em.find(InventoryEntry.class, new InventoryEntry.Key(kind, request.name()));
        if (existing != null) {
            throw new ProblemException(ProblemType.ALREADY_REGISTERED, kind + " " + request.name()
                    + " is already in the inventory (owner " + existing.ownerTeam + "); change it with PATCH");
        }
        Instant now = clock.instant();
        InventoryEntry entry = new InventoryEntry();
        entry.kind = kind;
        entry.name = request.name();
        entry.ownerTeam = request.ownerTeam().strip();
        entry.intendedUse = request.intendedUse().strip();
        entry.documentation = blankToNull(request.documentation());
        entry.submitters = submitters;
        entry.registeredBy = caller.name();
        entry.registeredAt = now;
        entry.updatedBy = caller.name();
        entry.updatedAt = now;
        entry.revision = 1;
        em.persist(entry);
        announce(entry, EventTypes.INVENTORY_REGISTERED, AuditActions.INVENTORY_REGISTERED, caller, null, Map.of());
        return InventoryEntryView.of(entry);
    }

    public InventoryEntryView update(Kind kind, String name, InventoryRequests.Update request, Caller caller) {
        List<FieldError> errors = new ArrayList<>();
        text(errors, "ownerTeam", request.ownerTeam(), 128, false);
        text(errors, "intendedUse", request.intendedUse(), MAX_TEXT, false);
        documentation(errors, request.documentation());
        List<String> submitters = request.submitters() == null ? null : submitters(errors, request.submitters());
        text(errors, "reason", request.reason(), MAX_TEXT, true);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        InventoryEntry entry = locked(kind, name);
        Map<String, Object> before = details(entry);
        if (request.ownerTeam() != null) {
            entry.ownerTeam = request.ownerTeam().strip();
        }
        if (request.intendedUse() != null) {
            entry.intendedUse = request.intendedUse().strip();
        }
        if (request.documentation() != null) {
            entry.documentation = blankToNull(request.documentation());
        }
        if (submitters != null) {
            entry.submitters = submitters;
        }
        if (details(entry).equals(before)) {
            return InventoryEntryView.of(entry);
        }
        changed(entry, caller);
        announce(entry, EventTypes.INVENTORY_UPDATED, AuditActions.INVENTORY_UPDATED, caller, request.reason().strip(),
                Map.of("previous", before));
        return InventoryEntryView.of(entry);
    }

    /** A risk officer's classification; the caller's role is checked by the resource. */
    public InventoryEntryView classify(Kind kind, String name, InventoryRequests.Classify request, Caller caller) {
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, Object> attribute : attributes(request).entrySet()) {
            if (attribute.getValue() == null) {
                errors.add(new FieldError(attribute.getKey(), attribute.getKey().equals("autonomy")
                        ? "is required: NONE, SUPERVISED or AUTONOMOUS" : "is required: true or false"));
            }
        }
        text(errors, "reason", request.reason(), MAX_TEXT, true);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        InventoryEntry entry = locked(kind, name);
        Classification previous = entry.classification();
        entry.customerFacing = request.customerFacing();
        entry.personalData = request.personalData();
        entry.regulatedUse = request.regulatedUse();
        entry.autonomy = request.autonomy();
        entry.classifiedBy = caller.name();
        entry.classifiedAt = clock.instant();
        entry.classificationReason = request.reason().strip();
        changed(entry, caller);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("previous", previous);
        announce(entry, EventTypes.INVENTORY_CLASSIFIED, AuditActions.INVENTORY_CLASSIFIED, caller,
                entry.classificationReason, extra);
        return InventoryEntryView.of(entry);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<InventoryEntry> find(Kind kind, String name) {
        return Optional.ofNullable(em.find(InventoryEntry.class, new InventoryEntry.Key(kind, name)));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<InventoryEntry> all() {
        return em.createQuery("from InventoryEntry order by kind, name", InventoryEntry.class).getResultList();
    }

    /**
     * Refuses a submission the inventory does not allow: by someone the entry does not list as a submitter
     * (403), or of a name with no entry when the pipeline requires registration first (422).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void admitSubmission(Kind kind, String name, boolean registrationRequired, String pipeline, Caller caller) {
        Optional<InventoryEntry> entry = find(kind, name);
        if (entry.isEmpty()) {
            if (registrationRequired) {
                throw new ProblemException(ProblemType.NOT_REGISTERED, kind + " " + name + " is not in the inventory, "
                        + "and pipeline " + pipeline + " takes only registered names: ask an admin or a risk officer "
                        + "to register it (POST /api/v1/inventory)");
            }
            return;
        }
        if (!entry.get().admitsSubmitter(caller.name())) {
            throw new ProblemException(ProblemType.NOT_A_LISTED_SUBMITTER, caller.name() + " is not among the "
                    + "submitters the inventory lists for " + kind + " " + name + " (owner " + entry.get().ownerTeam + ")");
        }
    }

    /** The data of an inventory event, and of its audit entry (docs/asyncapi.yaml, InventoryChange). */
    public static Map<String, Object> eventData(InventoryEntryView entry, String by, String reason,
                                                Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("entry", entry);
        data.put("by", by);
        data.put("reason", reason);
        data.putAll(extra);
        return data;
    }

    private void announce(InventoryEntry entry, String type, String action, Caller caller, String reason,
                          Map<String, Object> extra) {
        Map<String, Object> data = eventData(InventoryEntryView.of(entry), caller.name(), reason, extra);
        audit.append(caller.name(), action, new AuditLog.Subject(null, entry.kind.name(), entry.name, null), data);
        outbox.append(EventTypes.GOVERNANCE_TOPIC, entry.kind + "/" + entry.name, type, entry.kind + "/" + entry.name,
                entry.revision, entry.updatedAt, data);
    }

    private void changed(InventoryEntry entry, Caller caller) {
        entry.updatedBy = caller.name();
        entry.updatedAt = clock.instant();
        entry.revision++;
    }

    private InventoryEntry locked(Kind kind, String name) {
        lock(kind, name);
        return Optional.ofNullable(em.find(InventoryEntry.class, new InventoryEntry.Key(kind, name),
                        LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> ProblemException.notFound("Inventory entry " + kind + " " + name));
    }

    private void lock(Kind kind, String name) {
        AdvisoryLocks.hold(em, AdvisoryLocks.INVENTORY, kind + "/" + name);
    }

    /** What {@code inventory.updated} holds as {@code previous}. */
    public static Map<String, Object> details(InventoryEntry e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ownerTeam", e.ownerTeam);
        details.put("intendedUse", e.intendedUse);
        details.put("documentation", e.documentation);
        details.put("submitters", List.copyOf(e.submitters));
        return details;
    }

    private static Map<String, Object> attributes(InventoryRequests.Classify request) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("customerFacing", request.customerFacing());
        attributes.put("personalData", request.personalData());
        attributes.put("regulatedUse", request.regulatedUse());
        attributes.put("autonomy", request.autonomy());
        return attributes;
    }

    private static Kind kind(String value, List<FieldError> errors) {
        Optional<Kind> kind = Kind.parse(value);
        if (kind.isEmpty()) {
            errors.add(new FieldError("kind", "is required: MODEL or PROMPT"));
        }
        return kind.orElse(null);
    }

    private static void text(List<FieldError> errors, String field, String value, int max, boolean required) {
        if (StoredText.problem(value) != null) {
            errors.add(new FieldError(field, StoredText.problem(value)));
        } else if (value == null || value.isBlank()) {
            if (required || value != null) {
                errors.add(new FieldError(field, "is required" + (required ? "" : " when present") + " and not blank"));
            }
        } else if (value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
        }
    }

    private static void documentation(List<FieldError> errors, String value) {
        String problem = value == null || value.isBlank() ? null : WebUrls.problem(value);
        if (problem != null) {
            errors.add(new FieldError("documentation", problem + " (the model card or documentation)"));
        }
    }

    private static List<String> submitters(List<FieldError> errors, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_SUBMITTERS) {
            errors.add(new FieldError("submitters", "at most " + MAX_SUBMITTERS + " principals"));
            return List.of();
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isBlank() || value.length() > 256 || value.strip().contains(" ")
                    || StoredText.problem(value) != null) {
                errors.add(new FieldError("submitters", "each must be a principal name (a user, or token:<owner> "
                        + "for an API token), at most 256 characters, without spaces"));
                return List.of();
            }
            unique.add(value.strip());
        }
        return List.copyOf(unique);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
