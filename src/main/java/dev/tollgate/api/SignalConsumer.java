package dev.tollgate.api;

import dev.tollgate.audit.AuditActions;
import dev.tollgate.events.EventTypes;
import dev.tollgate.events.KafkaClients;
import dev.tollgate.events.TraceContext;
import dev.tollgate.shared.LogSafe;
import dev.tollgate.workflow.DeadLetters;
import dev.tollgate.workflow.Watching;
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
 * Consumes signals from {@code tollgate.signals} (docs/drift.md), the Kafka twin of {@code POST /api/v1/signals}, for
 * monitors that publish. A signal is applied once per id (a redelivery finds it stored); a record that can never be
 * read as a signal is dead-lettered and audited; retries and back-off are {@link InboundConsumer}'s.
 */
@ApplicationScoped
public class SignalConsumer implements InboundConsumer.Records {

    private static final Logger LOG = Logger.getLogger(SignalConsumer.class);

    private final InboundConsumer consumer;
    private final Watching watching;
    private final DeadLetters deadLetters;

    SignalConsumer(Watching watching, DeadLetters deadLetters, TraceContext trace, MeterRegistry metrics,
                   KafkaClients kafka,
                   @ConfigProperty(name = "tollgate.signals.group-id", defaultValue = "tollgate") String groupId,
                   @ConfigProperty(name = "tollgate.deployments.session-timeout", defaultValue = "10s") Duration sessionTimeout,
                   @ConfigProperty(name = "tollgate.signals.consumer-enabled", defaultValue = "true") boolean enabled) {
        consumer = new InboundConsumer(LOG, this, trace, EventTypes.SIGNALS_TOPIC, "tollgate.signals.consumed", metrics,
                kafka, groupId, sessionTimeout, enabled);
        this.watching = watching;
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
        SignalRecord read = SignalRecord.read(record);
        if (read.rejected()) {
            giveUp(record, read.rejection());
            return "dead_lettered";
        }
        Watching.Received received = watching.receive(read.signal(), "kafka:" + record.topic());
        String outcome = received.created() ? received.signal().outcome.name() : "DUPLICATE";
        return outcome.toLowerCase(Locale.ROOT);
    }

    @Override
    public void giveUp(ConsumerRecord<String, byte[]> record, String reason) {
        String eventId = idOf(record);
        LOG.warnf("Dead-lettering signal %s (%s-%d@%d): %s", LogSafe.of(eventId), record.topic(), record.partition(),
                record.offset(), LogSafe.of(reason));
        deadLetters.keep(record, eventId, reason, AuditActions.SIGNAL_REJECTED);
    }

    @Override
    public String idOf(ConsumerRecord<String, byte[]> record) {
        return CloudEventAttributes.eventId(record);
    }
}
