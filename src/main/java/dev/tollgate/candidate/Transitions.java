package dev.tollgate.candidate;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.events.EventTypes;
import dev.tollgate.events.Outbox;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.events.PromotionPayload;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place where a candidate's stage changes. Each call writes, in the caller's transaction,
 * the new stage, a history entry, its audit entry and the CloudEvent that announces it; the history entry's
 * {@code seq} and the event's {@code ce_sequence} are the same number, so both are gapless.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Transitions {

    /** The actor recorded for steps the workflow takes by itself. */
    public static final String SYSTEM = "tollgate";

    private final EntityManager em;
    private final Outbox outbox;
    private final AuditLog audit;
    private final Clock clock;
    private final StageMeters meters;

    Transitions(EntityManager em, Outbox outbox, AuditLog audit, Clock clock, StageMeters meters) {
        this.em = em;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
    }

    /** Stores a new candidate in {@code SUBMITTED} and announces it; its history starts here. */
    public void submitted(Candidate candidate, String actor, String reason) {
        Instant now = clock.instant();
        int seq = candidate.advance(Stage.SUBMITTED, now);
        em.persist(candidate);
        meters.moved(candidate, null, null, Stage.SUBMITTED, now, false);
        write(candidate, seq, now, null, Stage.SUBMITTED, new PromotionEvent.Submitted(), actor, reason);
    }

    /** Moves the candidate to {@code to} and announces it with {@code event}. */
    public void move(Candidate candidate, Stage to, PromotionEvent event, String actor, String reason) {
        Instant now = clock.instant();
        Stage from = candidate.stage;
        Instant enteredFrom = candidate.stageEnteredAt;
        int seq = candidate.advance(to, now);
        boolean rollback = event instanceof PromotionEvent.Promoted promoted && Boolean.TRUE.equals(promoted.rollback());
        meters.moved(candidate, from, enteredFrom, to, now, rollback);
        write(candidate, seq, now, from, to, event, actor, reason);
    }

    /** Records a decision that leaves the stage as it is (a vote, a reminder, a risk assessment). */
    public void record(Candidate candidate, PromotionEvent event, String actor, String reason) {
        Instant now = clock.instant();
        int seq = candidate.nextSequence(now);
        write(candidate, seq, now, candidate.stage, candidate.stage, event, actor, reason);
    }

    private void write(Candidate candidate, int seq, Instant at, Stage from, Stage to, PromotionEvent event,
                       String actor, String reason) {
        String type = event.type();
        HistoryEntry entry = new HistoryEntry();
        entry.candidateId = candidate.id;
        entry.seq = seq;
        entry.at = at;
        entry.eventType = type;
        entry.fromStage = from;
        entry.toStage = to;
        entry.actor = actor;
        entry.reason = reason;
        em.persist(entry);

        Map<String, Object> payload = PromotionPayload.of(new PromotionPayload.Subject(candidate.id.toString(),
                        candidate.kind.name(), candidate.name, candidate.version, candidate.digest, candidate.artifactUri,
                        candidate.pipeline, candidate.policyDigest),
                from == null ? null : from.name(), to.name(), actor, reason, at, event);
        Map<String, Object> audited = new LinkedHashMap<>(payload);
        audited.put("sequence", seq);
        audit.append(actor, AuditActions.of(type),
                new AuditLog.Subject(candidate.id.toString(), candidate.kind.name(), candidate.name, candidate.version),
                audited);
        outbox.append(EventTypes.PROMOTIONS_TOPIC, candidate.releaseKey(), type, candidate.id.toString(), seq, at,
                payload);
    }
}
