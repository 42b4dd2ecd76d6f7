package dev.tollgate.notify;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What admins send and see about webhooks; the secret is never shown again after its creation. */
public final class WebhookRequests {

    private WebhookRequests() {
    }

    /**
     * A webhook. {@code secret}: the HMAC-SHA256 key (at least 16 characters; Tollgate makes one when absent and
     * shows it once). {@code eventTypes}: CloudEvent types, a trailing {@code *} for a prefix; absent: pending
     * approvals, reminders, rejections (timeouts included), held deployments, freezes and the line.
     */
    @Schema(name = "CreateWebhookRequest")
    public record Create(@Schema(required = true) String name, @Schema(required = true) String url, String secret,
                         @Schema(enumeration = {"JSON", "SLACK"}) String format, List<String> eventTypes,
                         List<String> pipelines) {
    }

    @Schema(name = "Webhook")
    public record View(UUID id, String name, String url, String format, List<String> eventTypes, List<String> pipelines,
                       String createdBy, Instant createdAt, String deletedBy, Instant deletedAt) {
    }

    /** The answer to a creation: the only time the secret is shown. */
    @Schema(name = "CreatedWebhook")
    public record Created(View webhook, String secret) {
    }

    @Schema(name = "WebhookDelivery")
    public record Delivery(UUID id, UUID eventId, String eventType, String status, int attempts,
                           Instant nextAttemptAt, Integer lastStatusCode, String lastError, Instant createdAt,
                           Instant deliveredAt) {
    }
}
