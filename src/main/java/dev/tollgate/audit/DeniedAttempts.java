package dev.tollgate.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Records refused requests (401, 403) in the audit log. The request's own transaction has rolled
 * back by then (and role checks refuse on the I/O thread, where the database may not be used), so
 * the entry is written in a transaction of its own on a worker thread, just after the response.
 */
@ApplicationScoped
public class DeniedAttempts {

    private static final Logger LOG = Logger.getLogger(DeniedAttempts.class);

    private final AuditLog audit;
    private final ManagedExecutor workers;

    DeniedAttempts(AuditLog audit, ManagedExecutor workers) {
        this.audit = audit;
        this.workers = workers;
    }

    public void record(String actor, String method, String path, int status, String problemType) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", method);
        data.put("path", path);
        data.put("status", status);
        data.put("problem", problemType);
        workers.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> audit.append(
                        actor == null ? "anonymous" : actor, "access.denied", AuditLog.Subject.NONE, data)))
                .exceptionally(e -> {
                    // The refusal stands either way; losing its audit entry must not turn it into a 500.
                    LOG.warn("Could not audit a denied request", e);
                    return null;
                });
    }
}
