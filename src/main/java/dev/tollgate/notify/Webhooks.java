package dev.tollgate.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.audit.AuditActions;
import dev.tollgate.audit.AuditLog;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.events.EventTypes;
import dev.tollgate.events.Outbox;
import dev.tollgate.events.OutboxEvent;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.CachedReading;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.StoredText;
import dev.tollgate.shared.WebUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Webhooks (docs/governance.md, "Notifications"): admins register them; every event the outbox takes is matched
 * against them in the writing transaction, and a delivery is written for each webhook that wants it, so a delivery
 * exists if and only if its change committed. {@link WebhookSender} sends them.
 */
@ApplicationScoped
@Transactional
public class Webhooks {

    /** What a webhook gets when it names no event types: what people may have to act on. */
    public static final List<String> DEFAULT_EVENT_TYPES = List.of(EventTypes.APPROVAL_REQUESTED,
            EventTypes.APPROVAL_REMINDER, EventTypes.REJECTED, EventTypes.PRODUCTION_HELD, EventTypes.BREAK_GLASS + "*",
            "dev.tollgate.freeze.*", "dev.tollgate.line.*");
    static final int MIN_SECRET = 16;

    /** A live webhook as the matching needs it. */
    private record Target(UUID id, Webhook.Format format, Webhook webhook) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EntityManager em;
    private final AuditLog audit;
    private final ObjectMapper json;
    private final Clock clock;
    /** Matching runs for every event: the live webhooks are read once a few seconds, not once per event. */
    private final CachedReading<List<Target>> live;

    Webhooks(EntityManager em, AuditLog audit, ObjectMapper json, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.live = new CachedReading<>(this::readLive, Duration.ofSeconds(2));
    }

    public WebhookRequests.Created create(WebhookRequests.Create request, Caller caller) {
        List<FieldError> errors = new ArrayList<>();
        if (StoredText.requiredProblem(request.name(), 128) != null) {
            errors.add(new FieldError("name", StoredText.requiredProblem(request.name(), 128)));
        }
        String url = request.url() == null || request.url().isBlank() ? "is required" : WebUrls.problem(request.url());
        if (url != null) {
            errors.add(new FieldError("url", url));
        }
        if (request.secret() != null && (request.secret().length() < MIN_SECRET || request.secret().length() > 256)) {
            errors.add(new FieldError("secret", "must be " + MIN_SECRET + " to 256 characters (or absent: Tollgate makes one)"));
        }
        Webhook.Format format = null;
        try {
            format = request.format() == null ? Webhook.Format.JSON : Webhook.Format.valueOf(request.format());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("format", "must be JSON or SLACK"));
        }
        List<String> types = request.eventTypes() == null || request.eventTypes().isEmpty() ? DEFAULT_EVENT_TYPES
                : request.eventTypes();
        if (types.size() > 50 || types.stream().anyMatch(t -> t == null || !t.startsWith("dev.tollgate.") || t.length() > 128)) {
            errors.add(new FieldError("eventTypes", "at most 50 CloudEvent types of Tollgate's (dev.tollgate.…), a "
                    + "trailing * for a prefix"));
        }
        List<String> pipelines = request.pipelines() == null ? List.of() : request.pipelines();
        if (pipelines.size() > 50 || pipelines.stream().anyMatch(p -> p == null || !CandidateValidator.NAME.matcher(p).matches())) {
            errors.add(new FieldError("pipelines", "pipeline names, at most 50"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        Webhook webhook = new Webhook();
        webhook.id = UUID.randomUUID();
        webhook.name = request.name().strip();
        webhook.url = request.url().strip();
        webhook.secret = request.secret() != null ? request.secret() : "whsec_" + random();
        webhook.format = format;
        webhook.eventTypes = List.copyOf(types);
        webhook.pipelines = List.copyOf(pipelines);
        webhook.createdBy = caller.name();
        webhook.createdAt = clock.instant();
        em.persist(webhook);
        audit.append(caller.name(), AuditActions.WEBHOOK_CREATED, AuditLog.Subject.NONE, Map.of("webhook", view(webhook)));
        live.invalidate();
        return new WebhookRequests.Created(view(webhook), request.secret() == null ? webhook.secret : null);
    }

    public WebhookRequests.View delete(UUID id, Caller caller) {
        Webhook webhook = Optional.ofNullable(em.find(Webhook.class, id, LockModeType.PESSIMISTIC_WRITE))
                .orElseThrow(() -> ProblemException.notFound("Webhook " + id));
        if (webhook.deletedAt == null) {
            webhook.deletedAt = clock.instant();
            webhook.deletedBy = caller.name();
            em.createQuery("update WebhookDelivery set status = :failed, lastError = :why where webhookId = :id "
                            + "and status = :pending")
                    .setParameter("failed", WebhookDelivery.Status.FAILED).setParameter("why", "webhook deleted")
                    .setParameter("id", id).setParameter("pending", WebhookDelivery.Status.PENDING).executeUpdate();
            audit.append(caller.name(), AuditActions.WEBHOOK_DELETED, AuditLog.Subject.NONE, Map.of("webhook", view(webhook)));
            live.invalidate();
        }
        return view(webhook);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<WebhookRequests.View> list() {
        return em.createQuery("from Webhook order by createdAt desc, id", Webhook.class).setMaxResults(500)
                .getResultStream().map(Webhooks::view).toList();
    }

    /** The newest deliveries of one webhook, for admins. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<WebhookRequests.Delivery> deliveries(UUID webhookId, int limit) {
        if (em.find(Webhook.class, webhookId) == null) {
            throw ProblemException.notFound("Webhook " + webhookId);
        }
        return em.createQuery("from WebhookDelivery where webhookId = :id order by createdAt desc, id", WebhookDelivery.class)
                .setParameter("id", webhookId).setMaxResults(limit).getResultStream()
                .map(d -> new WebhookRequests.Delivery(d.id, d.eventId, d.eventType, d.status.name(), d.attempts,
                        d.nextAttemptAt, d.lastStatusCode, d.lastError, d.createdAt, d.deliveredAt))
                .toList();
    }

    /** Writes a delivery for every live webhook that wants the event, in the transaction that wrote the event. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onEvent(@Observes Outbox.Written written) {
        OutboxEvent event = written.event();
        List<Target> targets = live.get();
        if (targets == null || targets.isEmpty()) {
            return;
        }
        JsonNode data;
        try {
            data = json.readTree(event.payload);
        } catch (IOException e) {
            throw new IllegalStateException("An outbox event's data is not JSON", e);
        }
        String pipeline = data.path("pipeline").isTextual() ? data.path("pipeline").asText() : null;
        for (Target target : targets) {
            if (!target.webhook().wants(event.eventType, pipeline)) {
                continue;
            }
            WebhookDelivery delivery = new WebhookDelivery();
            delivery.id = UUID.randomUUID();
            delivery.webhookId = target.id();
            delivery.eventId = event.eventId;
            delivery.eventType = event.eventType;
            delivery.body = body(target.format(), event, data);
            delivery.status = WebhookDelivery.Status.PENDING;
            delivery.nextAttemptAt = event.occurredAt;
            delivery.createdAt = clock.instant();
            em.persist(delivery);
        }
    }

    /** The body a webhook of {@code format} gets for the event. */
    String body(Webhook.Format format, OutboxEvent event, JsonNode data) {
        try {
            if (format == Webhook.Format.SLACK) {
                return json.writeValueAsString(Map.of("text", SlackText.of(event.eventType, data)));
            }
            ObjectNode cloudEvent = json.createObjectNode();
            cloudEvent.put("specversion", "1.0");
            cloudEvent.put("id", event.eventId.toString());
            cloudEvent.put("source", EventTypes.SOURCE);
            cloudEvent.put("type", event.eventType);
            cloudEvent.put("subject", event.subject);
            cloudEvent.put("time", event.occurredAt.toString());
            cloudEvent.put("datacontenttype", "application/json");
            cloudEvent.set("data", data);
            return json.writeValueAsString(cloudEvent);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("A webhook body is not serializable", e);
        }
    }

    private List<Target> readLive() {
        return em.createQuery("from Webhook where deletedAt is null", Webhook.class).getResultStream()
                .map(w -> {
                    em.detach(w);
                    return new Target(w.id, w.format, w);
                }).toList();
    }

    /**
     * A webhook as admins and the audit trail see it: its URL without path or query, since many receivers (Slack's
     * among them) take the URL itself as the credential.
     */
    private static WebhookRequests.View view(Webhook w) {
        return new WebhookRequests.View(w.id, w.name, redacted(w.url), w.format.name(), w.eventTypes, w.pipelines,
                w.createdBy, w.createdAt, w.deletedBy, w.deletedAt);
    }

    static String redacted(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/") ? "/" : "/…");
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
