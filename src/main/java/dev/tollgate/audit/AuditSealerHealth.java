package dev.tollgate.audit;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The audit sealer in the readiness detail: entries committed and not yet sealed, and how old the oldest is. Like
 * the outbox's, a lag does not make the instance unready (every replica would go at once, for a condition a restart
 * does not cure); the alert on {@code tollgate_audit_unsealed_age_seconds} is for that (docs/operations.md). DOWN only
 * when the backlog cannot be read.
 */
@ApplicationScoped
@Readiness
public class AuditSealerHealth implements HealthCheck {

    private final AuditSealer sealer;

    AuditSealerHealth(AuditSealer sealer) {
        this.sealer = sealer;
    }

    @Override
    public HealthCheckResponse call() {
        AuditSealer.Backlog backlog = sealer.backlog();
        return HealthCheckResponse.named("audit-sealer")
                .status(backlog.entries() >= 0)
                .withData("unsealedEntries", backlog.entries())
                .withData("oldestUnsealedAgeSeconds", (long) Math.ceil(backlog.oldestAgeSeconds()))
                .build();
    }
}
