package dev.tollgate.audit;

import dev.tollgate.events.AuditCheckpoint;
import dev.tollgate.events.EventTypes;
import dev.tollgate.shared.BackgroundLoop;
import dev.tollgate.events.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the chain's head: an {@code audit.checkpoint} entry in the log and, in the same transaction, a
 * {@code dev.tollgate.audit.checkpoint} event on Kafka {@code tollgate.audit}, every
 * {@code tollgate.audit.checkpoint-every} entries or, when anything was appended, every
 * {@code tollgate.audit.checkpoint-interval}, whichever comes first. Kept outside the database (a topic with
 * restricted writes, a WORM bucket, a transparency log), checkpoints let verification detect a truncated
 * tail even if an attacker rewrote the head (docs/audit.md).
 *
 * <p>A checkpoint is only published when the chain still extends the last one this instance published
 * (or found on Kafka at start): after a cut or a rewrite Tollgate refuses to vouch for the new head.
 */
@ApplicationScoped
public class AuditCheckpoints {

    private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final EntityManager em;
    private final AuditLog audit;
    private final AuditSealer sealer;
    private final Outbox outbox;
    private final PublishedCheckpoints published;
    private final Clock clock;
    private final Duration interval;
    private final long every;
    private BackgroundLoop loop;
    private volatile AuditVerifier.Checkpoint vouched;
    private volatile boolean vouchedRead;
    private Instant lastWritten = Instant.EPOCH;
    private volatile String refused;

    AuditCheckpoints(EntityManager em, AuditLog audit, AuditSealer sealer, Outbox outbox, PublishedCheckpoints published,
                     Clock clock,
                     @ConfigProperty(name = "tollgate.audit.checkpoint-interval", defaultValue = "PT1M") Duration interval,
                     @ConfigProperty(name = "tollgate.audit.checkpoint-every", defaultValue = "1000") long every) {
        this.em = em;
        this.audit = audit;
        this.sealer = sealer;
        this.outbox = outbox;
        this.published = published;
        this.clock = clock;
        this.interval = interval;
        this.every = every;
    }

    void start(@Observes StartupEvent startup) {
        loop = new BackgroundLoop("audit-checkpoints", TICK.compareTo(interval) < 0 ? TICK : interval,
                this::checkpointIfDue, LOG);
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    private void checkpointIfDue() {
        boolean timeIsUp = !clock.instant().isBefore(lastWritten.plus(interval));
        if (write(timeIsUp)) {
            lastWritten = clock.instant();
        }
    }

    /** Writes a checkpoint of the current head now, unless nothing was appended since the last one. */
    public boolean checkpoint() {
        return write(true);
    }

    /**
     * Writes a checkpoint when {@code timeIsUp} and something was appended, or when {@code every} entries
     * came since the last checkpoint; one instance at a time. Returns whether it wrote one.
     */
    private boolean write(boolean timeIsUp) {
        if (!vouchedRead) {
            // What was last published, so that a chain cut while no instance ran is not vouched for either.
            PublishedCheckpoints.Latest latest = published.latest();
            if (latest.reachable()) {
                vouched = latest.checkpoint();
                vouchedRead = true;
            }
        }
        sealer.sealCommitted(); // the head then covers every committed entry, the last checkpoint's included
        AuditVerifier.Checkpoint written = QuarkusTransaction.requiringNew().call(() -> {
            boolean mine = (Boolean) em.createNativeQuery(
                    "select pg_try_advisory_xact_lock(hashtextextended('audit-checkpoint', 0))").getSingleResult();
            if (!mine) {
                return null;
            }
            Tuple head = (Tuple) em.createNativeQuery("select seq, hash from audit_head where id = 1", Tuple.class)
                    .getSingleResult();
            long seq = head.get("seq", Number.class).longValue();
            String hash = head.get("hash", String.class).trim();
            if (seq == 0) {
                return null;
            }
            @SuppressWarnings("unchecked")
            List<Tuple> last = em.createNativeQuery("""
                            select seq, cast(cast(data as jsonb) ->> 'checkpointSeq' as bigint) as covered from audit_entry
                            where action = :action and seq is not null order by at desc, seq desc limit 1""", Tuple.class)
                    .setParameter("action", AuditActions.CHECKPOINT).getResultList();
            long lastEntry = last.isEmpty() ? 0 : last.get(0).get("seq", Number.class).longValue();
            long lastCovered = last.isEmpty() ? 0 : last.get(0).get("covered", Number.class).longValue();
            boolean appendedSince = lastEntry != seq;
            if (!appendedSince || !(timeIsUp || seq - lastCovered >= every)) {
                return null;
            }
            AuditVerifier.Checkpoint before = vouched;
            if (before != null && !extendsCheckpoint(before, seq)) {
                refuse(String.format("The audit chain no longer extends checkpoint %d (%s): entries were cut or "
                        + "rewritten. No checkpoint is published until this is resolved; run GET /api/v1/audit/verify.",
                        before.seq(), before.hash()));
                return null;
            }
            // Vouch only for entries that verify: a head someone moved, or entries someone sealed by hand with
            // the runtime user's credentials, are never published as a checkpoint (docs/audit.md).
            AuditVerifier.Checkpoint from = before != null ? before : lastRecorded(lastCovered);
            AuditVerifier.Result segment = em.unwrap(org.hibernate.Session.class)
                    .doReturningWork(connection -> AuditVerifier.verifySegment(connection, from, seq, hash));
            if (!segment.valid()) {
                refuse(String.format("The audit chain does not verify at entry %d (%s). No checkpoint is published "
                        + "until this is resolved; run GET /api/v1/audit/verify.", segment.firstInvalidSeq(),
                        segment.problem()));
                return null;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("checkpointSeq", seq);
            data.put("checkpointHash", hash);
            audit.append(AuditLog.SYSTEM, AuditActions.CHECKPOINT, AuditLog.Subject.NONE, data);
            AuditCheckpoint event = new AuditCheckpoint(seq, hash, clock.instant());
            outbox.append(EventTypes.AUDIT_TOPIC, "audit", EventTypes.AUDIT_CHECKPOINT, "audit", (int) seq,
                    event.occurredAt(), event.data());
            return new AuditVerifier.Checkpoint(seq, hash);
        });
        if (written != null) {
            vouched = written;
            refused = null;
        }
        return written != null;
    }

    /** Logs why no checkpoint was written, once for as long as the reason stays the same (it is checked every tick). */
    private void refuse(String reason) {
        if (!reason.equals(refused)) {
            LOG.error(reason);
            refused = reason;
        }
    }

    /** The last checkpoint recorded in the log, as its entry stands now; null before the first. */
    private AuditVerifier.Checkpoint lastRecorded(long covered) {
        return covered <= 0 ? null : hashAt(covered).map(hash -> new AuditVerifier.Checkpoint(covered, hash)).orElse(null);
    }

    private boolean extendsCheckpoint(AuditVerifier.Checkpoint checkpoint, long headSeq) {
        return headSeq >= checkpoint.seq() && hashAt(checkpoint.seq()).filter(checkpoint.hash()::equals).isPresent();
    }

    private Optional<String> hashAt(long seq) {
        @SuppressWarnings("unchecked")
        List<String> found = em.createNativeQuery("select hash from audit_entry where seq = :seq")
                .setParameter("seq", seq).getResultList();
        return found.stream().findFirst().map(String::trim);
    }
}
