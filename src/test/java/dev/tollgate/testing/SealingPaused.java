package dev.tollgate.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Holds the audit sealer's advisory lock, as an operator can, so that no entry is sealed while a test
 * rewinds the chain's head to play an attacker and puts it back: sealing on a rewound head would only
 * fail on the unique sequence number, but it would mix the test's own entries into the tampered range.
 */
public final class SealingPaused implements AutoCloseable {

    private final Connection session;

    private SealingPaused(Connection session) {
        this.session = session;
    }

    public static SealingPaused now() throws SQLException {
        var config = ConfigProvider.getConfig();
        Connection session = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
        try (Statement s = session.createStatement()) {
            s.execute("select pg_advisory_lock(" + dev.tollgate.audit.AuditSealer.LOCK_KEY + ")");
        }
        return new SealingPaused(session);
    }

    @Override
    public void close() throws SQLException {
        session.close();
    }
}
