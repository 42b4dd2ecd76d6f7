package dev.tollgate.audit;

import dev.tollgate.shared.BackgroundLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import dev.tollgate.shared.AccessRefused;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Records refused requests (401, 403) in the audit log without letting a flood of them flood the log:
 * refusals are counted per caller (or, for anonymous ones, per address), method, path pattern, status
 * and problem, and each such group becomes one {@code access.denied} entry with its count per window
 * ({@code tollgate.audit.denied-window}, a minute by default). Paths are reduced to patterns (ids become
 * {@code {id}}) and cut short, and at most {@value #MAX_GROUPS} groups are kept per window; the rest are
 * counted in one overflow entry. The request's own transaction has rolled back by then, so the entries are
 * written by a background thread, in one transaction per window.
 */
@ApplicationScoped
public class DeniedAttempts {

    static final int MAX_GROUPS = 10_000;
    static final int MAX_PATH = 200;
    private static final Logger LOG = Logger.getLogger(DeniedAttempts.class);
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");

    /** One group of refusals. */
    record Group(String actor, String address, String method, String path, int status, String problem) {
    }

    private static final class Window {
        final AtomicLong count = new AtomicLong();
        final Instant first;
        volatile Instant last;

        Window(Instant first) {
            this.first = first;
            this.last = first;
        }
    }

    private final AuditLog audit;
    private final Clock clock;
    private final Duration window;
    private final java.util.concurrent.locks.ReadWriteLock swap = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private volatile Map<Group, Window> current = new ConcurrentHashMap<>();
    private BackgroundLoop loop;

    DeniedAttempts(AuditLog audit, Clock clock,
                   @ConfigProperty(name = "tollgate.audit.denied-window", defaultValue = "PT1M") Duration window) {
        this.audit = audit;
        this.clock = clock;
        this.window = window;
    }

    /** Counts one refusal; {@code actor} null for an anonymous caller, {@code address} the caller's, if known. */
    /** A refusal the problem mappers reported. */
    void on(@Observes AccessRefused refused) {
        record(refused.actor(), refused.address(), refused.method(), refused.path(), refused.status(),
                refused.problemType());
    }

    public void record(String actor, String address, String method, String path, int status, String problemType) {
        Instant now = clock.instant();
        Group group = new Group(actor == null ? "anonymous" : actor, actor == null ? address : null, method,
                pattern(path), status, problemType);
        swap.readLock().lock();
        try {
            Map<Group, Window> groups = current;
            if (groups.size() >= MAX_GROUPS && !groups.containsKey(group)) {
                group = new Group("(more callers)", null, "*", "*", status, problemType);
            }
            Window counted = groups.computeIfAbsent(group, g -> new Window(now));
            counted.count.incrementAndGet();
            counted.last = now;
        } finally {
            swap.readLock().unlock();
        }
    }

    /** The path with ids and numbers replaced by placeholders, cut to {@value #MAX_PATH} characters. */
    static String pattern(String path) {
        if (path == null) {
            return null;
        }
        String[] segments = path.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (UUID.matcher(segments[i]).matches()) {
                segments[i] = "{id}";
            } else if (NUMBER.matcher(segments[i]).matches()) {
                segments[i] = "{n}";
            } else if (segments[i].length() > 64) {
                segments[i] = "{…}";
            }
        }
        String result = String.join("/", segments);
        return result.length() > MAX_PATH ? result.substring(0, MAX_PATH) + "…" : result;
    }

    void start(@Observes StartupEvent startup) {
        // The refusals stand either way; a window whose entries could not be written is tried with the next one.
        loop = new BackgroundLoop("denied-attempts", window, this::flush, LOG);
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        if (loop != null) {
            loop.stop();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not audit the last denied requests", e);
        }
    }

    /** Writes one entry per group of the window that just ended. */
    public void flush() {
        Map<Group, Window> ended;
        swap.writeLock().lock();
        try {
            ended = current;
            if (ended.isEmpty()) {
                return;
            }
            current = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> ended.forEach((group, counted) -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("method", group.method());
                data.put("path", group.path());
                data.put("status", group.status());
                data.put("problem", group.problem());
                data.put("count", counted.count.get());
                data.put("firstAt", counted.first.toString());
                data.put("lastAt", counted.last.toString());
                if (group.address() != null) {
                    data.put("address", group.address());
                }
                audit.append(group.actor(), AuditActions.ACCESS_DENIED, AuditLog.Subject.NONE, data);
            }));
        } catch (RuntimeException e) {
            // Put the counts back, so that the next window writes them.
            swap.writeLock().lock();
            try {
                ended.forEach((group, counted) -> current.merge(group, counted, (a, b) -> {
                    a.count.addAndGet(b.count.get());
                    return a;
                }));
            } finally {
                swap.writeLock().unlock();
            }
            throw e;
        }
    }
}
