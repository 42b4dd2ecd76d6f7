package dev.tollgate.notify;

import dev.tollgate.shared.BackgroundLoop;
import dev.tollgate.shared.LogSafe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends webhook deliveries (docs/governance.md, "Notifications"): each is a POST of its body with the HMAC-SHA256 of
 * the body under the webhook's secret in {@code X-Tollgate-Signature-256: sha256=<hex>} (as GitHub signs its
 * webhooks), its event type and delivery id in headers. A 2xx takes it; anything else, or no answer within the
 * timeout, is tried again after 1, 2, 4 … seconds (at most an hour apart) until {@code max-attempts}, then it is
 * FAILED. Replicas share the work: each takes due deliveries with {@code FOR UPDATE SKIP LOCKED}.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final String SIGNATURE = "X-Tollgate-Signature-256";
    private static final int BATCH = 20;

    private final EntityManager em;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration timeout;
    private final HttpClient http;
    private BackgroundLoop loop;

    WebhookSender(EntityManager em, Clock clock,
                  @ConfigProperty(name = "tollgate.webhooks.max-attempts", defaultValue = "10") int maxAttempts,
                  @ConfigProperty(name = "tollgate.webhooks.timeout", defaultValue = "10s") Duration timeout) {
        this.em = em;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    void start(@Observes StartupEvent startup) {
        loop = new BackgroundLoop("webhook-sender", Duration.ofMillis(500), this::sendDue, LOG);
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
    }

    /** Sends the deliveries that are due, a batch at a time; returns how many it tried. */
    int sendDue() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<WebhookDelivery> due = em.createQuery("""
                            from WebhookDelivery where status = :pending and nextAttemptAt <= :now
                            order by nextAttemptAt""", WebhookDelivery.class)
                    .setParameter("pending", WebhookDelivery.Status.PENDING).setParameter("now", clock.instant())
                    .setMaxResults(BATCH)
                    .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                    .setHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                    .getResultList();
            for (WebhookDelivery delivery : due) {
                send(delivery, em.find(Webhook.class, delivery.webhookId));
            }
            return due.size();
        });
    }

    private void send(WebhookDelivery delivery, Webhook webhook) {
        delivery.attempts++;
        Instant now = clock.instant();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(webhook.url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Tollgate-Webhook")
                    .header("X-Tollgate-Event", delivery.eventType)
                    .header("X-Tollgate-Delivery", delivery.id.toString())
                    .header(SIGNATURE, signature(webhook.secret, delivery.body))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body, StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.ofString());
            delivery.lastStatusCode = response.statusCode();
            if (response.statusCode() / 100 == 2) {
                delivery.status = WebhookDelivery.Status.DELIVERED;
                delivery.deliveredAt = now;
                delivery.lastError = null;
                return;
            }
            delivery.lastError = "answered " + response.statusCode();
        } catch (java.io.IOException | IllegalArgumentException e) {
            delivery.lastError = String.valueOf(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.lastError = "interrupted";
        }
        if (delivery.attempts >= maxAttempts) {
            delivery.status = WebhookDelivery.Status.FAILED;
            LOG.warnf("Webhook %s gave up on delivery %s after %d attempts: %s", webhook.name, delivery.id,
                    delivery.attempts, LogSafe.of(delivery.lastError));
            return;
        }
        long backoff = Math.min(3600, 1L << Math.min(delivery.attempts - 1, 12));
        delivery.nextAttemptAt = now.plusSeconds(backoff);
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} under {@code secret}: what a receiver recomputes. */
    public static String signature(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
