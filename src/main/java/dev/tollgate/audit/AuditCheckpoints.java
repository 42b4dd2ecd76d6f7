package dev.tollgate.audit;

import dev.tollgate.events.EventTypes;
import dev.tollgate.events.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the chain's head periodically: an {@code audit.checkpoint} entry in the log and, in the
 * same transaction, a {@code dev.tollgate.audit.checkpoint} event on Kafka {@code tollgate.audit}.
 * Kept outside the database (a compacted topic, a WORM bucket, a transparency log), checkpoints let
 * verification detect a truncated tail even if an attacker rewrote the head (docs/audit.md).
 */
@ApplicationScoped
public class AuditCheckpoints {

    private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class);

    private final EntityManager em;
    private final AuditLog audit;
    private final Outbox outbox;
    private final Clock clock;
    private final Duration interval;
    private volatile boolean running;
    private Thread worker;

    AuditCheckpoints(EntityManager em, AuditLog audit, Outbox outbox, Clock clock,
                     @ConfigProperty(name = "tollgate.audit.checkpoint-interval", defaultValue = "PT1H") Duration interval) {
        this.em = em;
        this.audit = audit;
        this.outbox = outbox;
        this.clock = clock;
        this.interval = interval;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        worker = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(interval.toMillis());
                    checkpoint();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Audit checkpoint failed; trying again at the next interval", e);
                }
            }
        }, "audit-checkpoints");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (worker != null) {
            worker.interrupt();
            worker.join(5_000);
        }
    }

    /** Writes a checkpoint of the current head, unless another instance is writing one or nothing changed. */
    public void checkpoint() {
        QuarkusTransaction.requiringNew().run(() -> {
            boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(hashtextextended('audit-checkpoint', 0))")
                    .getSingleResult();
            if (!mine) {
                return;
            }
            Object[] head = (Object[]) em.createNativeQuery("select seq, hash from audit_head where id = 1").getSingleResult();
            long seq = ((Number) head[0]).longValue();
            String hash = ((String) head[1]).trim();
            String lastAction = seq == 0 ? null : (String) em.createNativeQuery(
                    "select action from audit_entry where seq = :seq").setParameter("seq", seq).getSingleResult();
            if (seq == 0 || "audit.checkpoint".equals(lastAction)) {
                return;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("checkpointSeq", seq);
            data.put("checkpointHash", hash);
            audit.append(AuditLog.SYSTEM, "audit.checkpoint", AuditLog.Subject.NONE, data);
            Map<String, Object> event = new LinkedHashMap<>(data);
            event.put("occurredAt", clock.instant().toString());
            outbox.append(EventTypes.AUDIT_TOPIC, "audit", EventTypes.AUDIT_CHECKPOINT, "audit", (int) seq,
                    clock.instant(), event);
        });
    }
}
