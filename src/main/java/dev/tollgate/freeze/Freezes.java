package dev.tollgate.freeze;

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
import dev.tollgate.shared.QueryParams;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Freeze windows and the stop-the-line switch (docs/governance.md): creating and deleting windows, stopping and
 * restarting the line, and the one decision every production deployment request goes through ({@link #decide}).
 * Every change is audited and published on {@code tollgate.governance}, with the reason given.
 */
@ApplicationScoped
@Transactional
public class Freezes {

    /** Whether a production deployment may be requested now; when not, why and until when at least. */
    public record Verdict(boolean held, String reason, Instant until) {
        static final Verdict FREE = new Verdict(false, null, null);
    }

    static final int MAX_TEXT = 4000;
    private static final String LINE = "the-line";

    private final EntityManager em;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;

    Freezes(EntityManager em, AuditLog audit, Outbox outbox, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
    }

    public FreezeViews.Window create(FreezeRequests.Window request, Caller caller) {
        FreezeWindow window = validated(request);
        window.id = UUID.randomUUID();
        window.createdBy = caller.name();
        window.createdAt = clock.instant();
        em.persist(window);
        FreezeViews.Window view = view(window, window.createdAt);
        announce(EventTypes.FREEZE_CREATED, AuditActions.FREEZE_CREATED, caller, "freeze/" + window.id, 1,
                window.reason, Map.of("window", view));
        return view;
    }

    /** Deletes a window (its row stays, marked deleted); deleting it again changes nothing. */
    public FreezeViews.Window delete(UUID id, Caller caller) {
        FreezeWindow window = Optional.ofNullable(em.find(FreezeWindow.class, id, LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> ProblemException.notFound("Freeze window " + id));
        if (window.deletedAt == null) {
            window.deletedAt = clock.instant();
            window.deletedBy = caller.name();
            announce(EventTypes.FREEZE_DELETED, AuditActions.FREEZE_DELETED, caller, "freeze/" + window.id, 2, null,
                    Map.of("window", view(window, window.deletedAt)));
        }
        return view(window, clock.instant());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<FreezeViews.Window> windows() {
        Instant now = clock.instant();
        return liveWindows().stream().map(w -> view(w, now)).toList();
    }

    /** Stops the line: from now on no production deployment is requested until it restarts. 409 when stopped. */
    public FreezeViews.Line stop(FreezeRequests.Reason request, Caller caller) {
        String reason = reason(request);
        lockLine();
        if (activeStop().isPresent()) {
            throw new ProblemException(ProblemType.LINE_ALREADY, "The line is already stopped: "
                    + activeStop().get().reason);
        }
        ProductionStop stop = new ProductionStop();
        stop.id = UUID.randomUUID();
        stop.reason = reason;
        stop.startedBy = caller.name();
        stop.startedAt = clock.instant();
        em.persist(stop);
        FreezeViews.Line line = line(stop);
        announce(EventTypes.LINE_STOPPED, AuditActions.LINE_STOPPED, caller, "line", 2 * stops() - 1, reason,
                Map.of("line", line));
        return line;
    }

    /** Restarts the line; the caller then releases what it held. 409 when it runs. */
    public FreezeViews.Line restart(FreezeRequests.Reason request, Caller caller) {
        String reason = reason(request);
        lockLine();
        ProductionStop stop = activeStop().orElseThrow(() -> new ProblemException(ProblemType.LINE_ALREADY,
                "The line is not stopped"));
        stop.endedAt = clock.instant();
        stop.endedBy = caller.name();
        stop.endReason = reason;
        FreezeViews.Line line = line(stop);
        announce(EventTypes.LINE_RESTARTED, AuditActions.LINE_RESTARTED, caller, "line", 2 * stops(), reason,
                Map.of("line", line));
        return line;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public FreezeViews.Line line() {
        return activeStop().map(Freezes::line)
                .orElseGet(() -> em.createQuery("from ProductionStop order by startedAt desc", ProductionStop.class)
                        .setMaxResults(1).getResultStream().findFirst().map(Freezes::line)
                        .orElse(new FreezeViews.Line(false, null, null, null, null, null, null, null)));
    }

    /**
     * Whether a production deployment of this candidate may be requested at {@code now}: not while the line is
     * stopped, nor inside a DENY window that covers it, nor outside every ALLOW window that covers it (when one
     * does). A DENY window wins over an ALLOW window.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Verdict decide(Kind kind, String name, String pipeline, Instant now) {
        Optional<ProductionStop> stop = activeStop();
        if (stop.isPresent()) {
            return new Verdict(true, "the line is stopped (by " + stop.get().startedBy + ": " + stop.get().reason + ")",
                    null);
        }
        List<FreezeWindow> covering = liveWindows().stream().filter(w -> w.covers(kind, name, pipeline)).toList();
        Optional<Map.Entry<FreezeWindow, WindowSchedule.Occurrence>> deny = covering.stream()
                .filter(w -> w.effect == FreezeWindow.Effect.DENY)
                .flatMap(w -> WindowSchedule.openAt(w, now).map(o -> Map.entry(w, o)).stream())
                .min(Comparator.comparing(e -> e.getValue().end()));
        if (deny.isPresent()) {
            FreezeWindow w = deny.get().getKey();
            return new Verdict(true, "freeze window '" + w.name + "' (" + w.scope() + ": " + w.reason + ") until "
                    + deny.get().getValue().end(), deny.get().getValue().end());
        }
        // A one-off allow window that is over allows nothing any more, and holds nothing either.
        List<FreezeWindow> allows = covering.stream().filter(w -> w.effect == FreezeWindow.Effect.ALLOW)
                .filter(w -> w.cron != null || w.endsAt.isAfter(now)).toList();
        if (allows.isEmpty() || allows.stream().anyMatch(w -> WindowSchedule.openAt(w, now).isPresent())) {
            return Verdict.FREE;
        }
        Optional<Instant> next = allows.stream().flatMap(w -> WindowSchedule.nextStart(w, now).stream())
                .min(Comparator.naturalOrder());
        return new Verdict(true, "outside every allow window (" + String.join(", ", allows.stream()
                .map(w -> "'" + w.name + "'").toList()) + ")" + next.map(t -> "; the next opens " + t).orElse(""),
                next.orElse(null));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ProductionStop> activeStop() {
        return em.createQuery("from ProductionStop where endedAt is null", ProductionStop.class).getResultStream()
                .findFirst();
    }

    private List<FreezeWindow> liveWindows() {
        return em.createQuery("from FreezeWindow where deletedAt is null order by createdAt, id", FreezeWindow.class)
                .getResultList();
    }

    /** Stopping and restarting take the line's lock alone; {@link #shareLine} lets production checks run together. */
    private void lockLine() {
        AdvisoryLocks.hold(em, AdvisoryLocks.GOVERNANCE, LINE);
    }

    /**
     * Taken by a production check before it decides: a stop or restart then waits for it to commit, and it waits for
     * them, so a hold is never recorded against a line that a restart has already looked at.
     */
    public void shareLine() {
        AdvisoryLocks.holdShared(em, AdvisoryLocks.GOVERNANCE, LINE);
    }

    /** How many times the line was stopped, this one included: the line's events are numbered from it. */
    private int stops() {
        em.flush();
        return ((Number) em.createQuery("select count(s) from ProductionStop s").getSingleResult()).intValue();
    }

    /** The data of a freeze or line event, and of its audit entry (docs/asyncapi.yaml, FreezeChange and LineChange). */
    public static Map<String, Object> eventData(Map<String, Object> what, String by, String reason) {
        Map<String, Object> data = new LinkedHashMap<>(what);
        data.put("by", by);
        data.put("reason", reason);
        return data;
    }

    /** Audits the change and publishes it; {@code sequence} numbers the events of {@code key} 1, 2, 3, … */
    private void announce(String type, String action, Caller caller, String key, int sequence, String reason,
                          Map<String, Object> extra) {
        Map<String, Object> data = eventData(extra, caller.name(), reason);
        audit.append(caller.name(), action, AuditLog.Subject.NONE, data);
        outbox.append(EventTypes.GOVERNANCE_TOPIC, key, type, key, sequence, clock.instant(), data);
    }

    private FreezeWindow validated(FreezeRequests.Window r) {
        List<FieldError> errors = new ArrayList<>();
        FreezeWindow w = new FreezeWindow();
        if (StoredText.requiredProblem(r.name(), 128) != null) {
            errors.add(new FieldError("name", StoredText.requiredProblem(r.name(), 128)));
        } else {
            w.name = r.name().strip();
        }
        if ("DENY".equals(r.effect()) || "ALLOW".equals(r.effect())) {
            w.effect = FreezeWindow.Effect.valueOf(r.effect());
        } else {
            errors.add(new FieldError("effect", "is required: DENY (no production deployment inside) or ALLOW "
                    + "(production deployments only inside)"));
        }
        if (r.pipeline() != null && (r.kind() != null || r.subjectName() != null)) {
            errors.add(new FieldError("pipeline", "a window covers every pipeline, one pipeline, or one name, not both"));
        } else if (r.pipeline() != null) {
            if (!CandidateValidator.NAME.matcher(r.pipeline()).matches()) {
                errors.add(new FieldError("pipeline", "must match " + CandidateValidator.NAME.pattern()));
            }
            w.pipeline = r.pipeline();
        } else if (r.kind() != null || r.subjectName() != null) {
            w.kind = Kind.parse(r.kind()).orElse(null);
            if (w.kind == null) {
                errors.add(new FieldError("kind", "must be MODEL or PROMPT, with subjectName"));
            }
            if (r.subjectName() == null || !CandidateValidator.NAME.matcher(r.subjectName()).matches()) {
                errors.add(new FieldError("subjectName", "must match " + CandidateValidator.NAME.pattern() + ", with kind"));
            }
            w.subjectName = r.subjectName();
        }
        schedule(r, w, errors);
        if (StoredText.requiredProblem(r.reason(), MAX_TEXT) != null) {
            errors.add(new FieldError("reason", StoredText.requiredProblem(r.reason(), MAX_TEXT)));
        } else {
            w.reason = r.reason().strip();
        }
        for (String[] field : new String[][] {{"cron", r.cron()}, {"timeZone", r.timeZone()},
                {"duration", r.duration()}}) {
            String unstorable = StoredText.problem(field[1]);
            if (unstorable != null) {
                errors.add(new FieldError(field[0], unstorable));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return w;
    }

    private static void schedule(FreezeRequests.Window r, FreezeWindow w, List<FieldError> errors) {
        boolean once = r.startsAt() != null || r.endsAt() != null;
        boolean recurring = r.cron() != null || r.duration() != null || r.timeZone() != null;
        if (once == recurring) {
            errors.add(new FieldError("cron", "give either startsAt and endsAt (once), or cron, duration and timeZone "
                    + "(recurring)"));
            return;
        }
        if (once) {
            w.startsAt = instant(errors, "startsAt", r.startsAt());
            w.endsAt = instant(errors, "endsAt", r.endsAt());
            if (w.startsAt != null && w.endsAt != null && !w.endsAt.isAfter(w.startsAt)) {
                errors.add(new FieldError("endsAt", "must be after startsAt"));
            }
            return;
        }
        String problem = r.cron() == null ? "is required for a recurring window"
                : r.cron().length() > 128 ? "must be at most 128 characters" : WindowSchedule.cronProblem(r.cron());
        if (problem != null) {
            errors.add(new FieldError("cron", problem));
        } else {
            w.cron = r.cron().strip();
        }
        try {
            Duration duration = Duration.parse(String.valueOf(r.duration()));
            if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofDays(366)) > 0) {
                errors.add(new FieldError("duration", "must be positive and at most a year"));
            } else {
                w.durationSeconds = duration.toSeconds();
            }
        } catch (java.time.format.DateTimeParseException e) {
            errors.add(new FieldError("duration", "is required: an ISO 8601 duration such as PT8H or P2DT12H"));
        }
        try {
            w.timeZone = ZoneId.of(String.valueOf(r.timeZone())).getId();
        } catch (DateTimeException e) {
            errors.add(new FieldError("timeZone", "is required: a time zone such as Europe/Paris or UTC"));
        }
    }

    private static Instant instant(List<FieldError> errors, String field, String value) {
        try {
            Instant at = QueryParams.instant(field, value);
            if (at == null) {
                errors.add(new FieldError(field, "is required: an RFC 3339 date-time such as 2026-12-24T18:00:00+01:00"));
            } else if (at.isBefore(Instant.parse("2000-01-01T00:00:00Z")) || at.isAfter(Instant.parse("9999-12-31T00:00:00Z"))) {
                errors.add(new FieldError(field, "must be between the years 2000 and 9999"));
                return null;
            }
            return at;
        } catch (ProblemException invalid) {
            errors.addAll(invalid.errors());
            return null;
        }
    }

    private static String reason(FreezeRequests.Reason request) {
        String reason = request == null ? null : request.reason();
        String problem = StoredText.requiredProblem(reason, MAX_TEXT);
        if (problem != null) {
            throw ProblemException.validation(List.of(new FieldError("reason", problem)));
        }
        return reason.strip();
    }

    public static FreezeViews.Window view(FreezeWindow w, Instant now) {
        Optional<WindowSchedule.Occurrence> open = w.deletedAt == null ? WindowSchedule.openAt(w, now) : Optional.empty();
        Instant next = w.deletedAt == null ? WindowSchedule.nextStart(w, now).orElse(null) : null;
        return new FreezeViews.Window(w.id, w.name, w.effect.name(), w.scope(), w.pipeline,
                w.kind == null ? null : w.kind.name(), w.subjectName, w.startsAt, w.endsAt, w.cron,
                w.durationSeconds == null ? null : Duration.ofSeconds(w.durationSeconds).toString(), w.timeZone, w.reason,
                w.createdBy, w.createdAt, w.deletedBy, w.deletedAt, open.isPresent(),
                open.map(WindowSchedule.Occurrence::end).orElse(null), next);
    }

    public static FreezeViews.Line line(ProductionStop s) {
        return new FreezeViews.Line(s.endedAt == null, s.id, s.reason, s.startedBy, s.startedAt, s.endedBy, s.endedAt,
                s.endReason);
    }
}
