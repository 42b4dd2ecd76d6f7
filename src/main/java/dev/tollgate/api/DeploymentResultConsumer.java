package dev.tollgate.api;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.events.EventTypes;
import dev.tollgate.events.KafkaClients;
import dev.tollgate.events.TraceContext;
import dev.tollgate.workflow.DeadLetters;
import dev.tollgate.shared.LogSafe;
import dev.tollgate.workflow.InboundDeployments;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes deployment results from {@code tollgate.deployments} (CloudEvents, binary mode). A result is applied
 * exactly once ({@link InboundDeployments}); a duplicate or a stale result is recorded and skipped; a record that
 * can never be applied (headers, JSON, text, validation, unknown candidate) is kept in
 * {@code deployment_dead_letter}, audited, counted, and skipped at once. Retries and back-off are
 * {@link InboundConsumer}'s (docs/operations.md, "Deployment results").
 */
@ApplicationScoped
public class DeploymentResultConsumer implements InboundConsumer.Records {

    private static final Logger LOG = Logger.getLogger(DeploymentResultConsumer.class);

    private final InboundConsumer consumer;
    private final InboundDeployments inbound;
    private final DeadLetters deadLetters;

    DeploymentResultConsumer(InboundDeployments inbound, DeadLetters deadLetters, TraceContext trace, MeterRegistry metrics,
                             KafkaClients kafka,
                             @ConfigProperty(name = "tollgate.deployments.group-id", defaultValue = "tollgate") String groupId,
                             @ConfigProperty(name = "tollgate.deployments.session-timeout", defaultValue = "10s")
                             Duration sessionTimeout,
                             @ConfigProperty(name = "tollgate.deployments.consumer-enabled", defaultValue = "true") boolean enabled) {
        consumer = new InboundConsumer(LOG, this, trace, EventTypes.DEPLOYMENTS_TOPIC, "tollgate.deployments.received",
                metrics, kafka, groupId, sessionTimeout, enabled);
        this.inbound = inbound;
        this.deadLetters = deadLetters;
    }

    void start(@Observes StartupEvent startup) {
        consumer.startConsuming();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        consumer.stopConsuming();
    }

    @Override
    public String handle(ConsumerRecord<String, byte[]> record) {
        DeploymentRecord read = DeploymentRecord.read(record);
        if (read.rejected()) {
            return deadLetter(record, read.eventId(), read.rejection());
        }
        InboundDeployments.Outcome outcome;
        try {
            outcome = inbound.apply(read.eventId(), record.topic(), read.candidateId(), read.request(),
                    "kafka:" + record.topic());
        } catch (InboundDeployments.Unusable e) {
            return deadLetter(record, read.eventId(), e.getMessage());
        }
        if (outcome != InboundDeployments.Outcome.ACCEPTED) {
            LOG.infof("Deployment result %s for %s was %s", LogSafe.of(read.eventId()), read.candidateId(), outcome);
        }
        return label(outcome);
    }

    @Override
    public void giveUp(ConsumerRecord<String, byte[]> record, String reason) {
        deadLetter(record, idOf(record), reason);
    }

    @Override
    public String idOf(ConsumerRecord<String, byte[]> record) {
        return DeploymentRecord.read(record).eventId();
    }

    private String deadLetter(ConsumerRecord<String, byte[]> record, String eventId, String reason) {
        LOG.warnf("Dead-lettering deployment result %s (%s-%d@%d): %s", LogSafe.of(eventId), record.topic(),
                record.partition(), record.offset(), LogSafe.of(reason));
        deadLetters.keep(record, eventId, reason, AuditActions.DEPLOYMENT_REJECTED);
        return label(InboundDeployments.Outcome.DEAD_LETTERED);
    }

    private static String label(InboundDeployments.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }
}
