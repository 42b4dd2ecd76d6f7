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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends webhook deliveries (docs/governance.md, "Notifications"): each is a POST of its body with the HMAC-SHA256 of
 * the body under the webhook's secret in {@code X-Tollgate-Signature-256: sha256=<hex>} (as GitHub signs its
 * webhooks), its event type and delivery id in headers. A 2xx takes it; anything else, or no answer within the
 * timeout, is tried again after 1, 2, 4 … seconds (at most an hour apart) until {@code max-attempts}, then it is
 * FAILED.
 *
 * <p>No request is made inside a transaction: a short one claims a batch (each delivery counts the attempt and is
 * leased until the timeout has passed twice, so another replica or a crash never sends it twice at once), the POSTs
 * go out with no lock held, and another short one records each answer.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    static final String SIGNATURE = "X-Tollgate-Signature-256";
    private static final int BATCH = 20;

    /** A delivery claimed for one attempt, with what sending it needs. */
    private record Claimed(UUID id, String url, String secret, String eventType, String body, int attempt) {
    }

    /** What one attempt came to: a status code, or the error when there was no answer. */
    private record Answer(Integer status, String error) {
    }

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
        List<Claimed> claimed = QuarkusTransaction.requiringNew().call(this::claim);
        for (Claimed delivery : claimed) {
            Answer answer = post(delivery);
            QuarkusTransaction.requiringNew().run(() -> record(delivery, answer));
        }
        return claimed.size();
    }

    private List<Claimed> claim() {
        Instant now = clock.instant();
        List<WebhookDelivery> due = em.createQuery("""
                        from WebhookDelivery where status = :pending and nextAttemptAt <= :now
                        order by nextAttemptAt""", WebhookDelivery.class)
                .setParameter("pending", WebhookDelivery.Status.PENDING).setParameter("now", now)
                .setMaxResults(BATCH)
                .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .setHint("jakarta.persistence.lock.timeout", -2) // SKIP LOCKED
                .getResultList();
        List<Claimed> claimed = new ArrayList<>();
        for (WebhookDelivery delivery : due) {
            Webhook webhook = em.find(Webhook.class, delivery.webhookId);
            if (webhook == null || webhook.deletedAt != null) {
                delivery.status = WebhookDelivery.Status.FAILED;
                delivery.lastError = "webhook deleted";
                continue;
            }
            delivery.attempts++;
            // Leased: nobody takes it again before this attempt has had its time, twice over.
            delivery.nextAttemptAt = now.plus(timeout.multipliedBy(2));
            claimed.add(new Claimed(delivery.id, webhook.url, webhook.secret, delivery.eventType, delivery.body,
                    delivery.attempts));
        }
        return claimed;
    }

    private Answer post(Claimed delivery) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(delivery.url()))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Tollgate-Webhook")
                    .header("X-Tollgate-Event", delivery.eventType())
                    .header("X-Tollgate-Delivery", delivery.id().toString())
                    .header(SIGNATURE, signature(delivery.secret(), delivery.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
                    .build(), HttpResponse.BodyHandlers.discarding());
            return new Answer(response.statusCode(), null);
        } catch (java.io.IOException | IllegalArgumentException e) {
            return new Answer(null, String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted");
        }
    }

    private void record(Claimed claimed, Answer answer) {
        WebhookDelivery delivery = em.find(WebhookDelivery.class, claimed.id());
        if (delivery == null || delivery.status != WebhookDelivery.Status.PENDING) {
            return;
        }
        Instant now = clock.instant();
        delivery.lastStatusCode = answer.status();
        if (answer.status() != null && answer.status() / 100 == 2) {
            delivery.status = WebhookDelivery.Status.DELIVERED;
            delivery.deliveredAt = now;
            delivery.lastError = null;
            return;
        }
        delivery.lastError = answer.status() != null ? "answered " + answer.status() : answer.error();
        if (claimed.attempt() >= maxAttempts) {
            delivery.status = WebhookDelivery.Status.FAILED;
            LOG.warnf("Webhook delivery %s given up after %d attempts: %s", delivery.id, claimed.attempt(),
                    LogSafe.of(delivery.lastError));
            return;
        }
        delivery.nextAttemptAt = now.plusSeconds(Math.min(3600, 1L << Math.min(claimed.attempt() - 1, 12)));
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
