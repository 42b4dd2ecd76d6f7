package dev.tollgate.events;

import static dev.tollgate.testing.Api.submitted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The relay is woken after a commit that wrote events, and never from inside the writer's transaction: a
 * transaction that notifies takes a database-wide lock at its commit, which every writer would share.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class OutboxWakeUpTest {

    private static Connection listener() throws SQLException {
        var config = ConfigProvider.getConfig();
        Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
        try (Statement s = c.createStatement()) {
            s.execute("listen " + OutboxRelay.CHANNEL);
        }
        return c;
    }

    private static List<PGNotification> notificationsWithin(Connection c, long millis) throws SQLException {
        List<PGNotification> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            PGNotification[] some = c.unwrap(PGConnection.class).getNotifications(50);
            if (some != null) {
                all.addAll(List.of(some));
            }
        }
        return all;
    }

    private static String applicationName(Connection c, int pid) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select application_name from pg_stat_activity where pid = ?")) {
            s.setInt(1, pid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Test
    void committedEventWakesTheRelayFromTheNotifiersOwnSession() throws Exception {
        try (Connection listening = listener()) {
            notificationsWithin(listening, 300); // whatever other tests left behind
            submitted("alice", Submissions.model(Submissions.uniqueName("wake-up"), "1.0.0"));
            List<PGNotification> received = notificationsWithin(listening, 2000);

            assertThat(received).isNotEmpty();
            for (PGNotification n : received) {
                assertThat(applicationName(listening, n.getPID())).isEqualTo("tollgate-outbox-notifier");
            }
        }
    }
}
