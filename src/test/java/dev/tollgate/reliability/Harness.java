package dev.tollgate.reliability;

import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The system under fault: a real PostgreSQL (committing durably, {@code synchronous_commit=on}, as
 * production does), a real Kafka broker and the packaged Tollgate as a process of its own, which the
 * scenarios kill with SIGKILL and start again, as a crash and a restart by the platform would.
 */
final class Harness implements AutoCloseable {

    final LocalServices services;
    private final Map<String, String> config;
    private volatile AppProcess app;
    final Http http;
    private int restarts;

    Harness() throws Exception {
        services = LocalServices.startTemporary(Map.of("synchronous_commit", "on"));
        config = new HashMap<>(services.config());
        Path projectDir = Path.of(System.getProperty("tollgate.project.dir", System.getProperty("user.dir")));
        config.put("tollgate.pipelines.directory", projectDir.resolve("src/test/resources/pipelines").toString());
        config.put("tollgate.timers.poll-interval", "200ms");
        config.putAll(AppProcess.withoutRateLimits(config));
        app = AppProcess.start(config);
        http = new Http(this::baseUrl);
    }

    String baseUrl() {
        return app.baseUrl();
    }

    String kafka() {
        return services.config().get(LocalServices.KAFKA);
    }

    /** SIGKILL, then a new instance on the same database and broker; returns how long until it was ready (ms). */
    long killAndRestart() throws Exception {
        AppProcess victim = app;
        victim.kill();
        victim.close();
        long started = System.nanoTime();
        app = AppProcess.start(config);
        restarts++;
        return (System.nanoTime() - started) / 1_000_000;
    }

    void kill() throws Exception {
        app.kill();
        app.close();
    }

    void start() throws Exception {
        app = AppProcess.start(config);
        restarts++;
    }

    int restarts() {
        return restarts;
    }

    /** A superuser session on Tollgate's database, for reading what committed. */
    Connection database() throws SQLException {
        return DriverManager.getConnection(services.config().get(LocalServices.JDBC_URL), "postgres", "postgres");
    }

    @Override
    public void close() throws Exception {
        try {
            app.close();
        } finally {
            services.close();
        }
    }
}
