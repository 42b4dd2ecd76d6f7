package dev.tollgate.audit;

import dev.tollgate.shared.Profiles;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Checks at start-up that the database user Tollgate runs as cannot rewrite the audit trail: it must not
 * own {@code audit_entry} (an owner can disable its triggers), be a superuser, or hold UPDATE, DELETE or
 * TRUNCATE on it; it may update only the four columns that sealing sets ({@link AuditSealer}). Production refuses to start otherwise, unless
 * {@code tollgate.audit.allow-privileged-runtime-user=true}; other profiles warn.
 */
@ApplicationScoped
public class AuditStorageCheck {

    private static final Logger LOG = Logger.getLogger(AuditStorageCheck.class);

    private final DataSource dataSource;
    private final boolean allowPrivileged;

    AuditStorageCheck(DataSource dataSource,
                      @ConfigProperty(name = "tollgate.audit.allow-privileged-runtime-user", defaultValue = "false")
                      boolean allowPrivileged) {
        this.dataSource = dataSource;
        this.allowPrivileged = allowPrivileged;
    }

    void check(@Observes StartupEvent startup) throws SQLException {
        List<String> problems = problems();
        if (problems.isEmpty()) {
            return;
        }
        String message = "The database user Tollgate runs as could rewrite the audit trail: " + String.join("; ", problems)
                + ". Run the migrations as the tables' owner (quarkus.flyway.username) and the application as another "
                + "user; see docs/operations.md, \"Database roles\".";
        if (Profiles.isProduction() && !allowPrivileged) {
            throw new IllegalStateException("Tollgate will not start in production: " + message);
        }
        LOG.warn(message);
    }

    List<String> problems() throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("""
                     select t.tableowner = current_user, r.rolsuper,
                            has_table_privilege('audit_entry', 'UPDATE'), has_table_privilege('audit_entry', 'DELETE'),
                            has_table_privilege('audit_entry', 'TRUNCATE'), current_user,
                            exists (select 1 from unnest(array['id', 'written_at', 'written_in', 'actor', 'action', 'subject', 'kind',
                                                             'name', 'version', 'data']) as col
                                    where has_column_privilege('audit_entry', col, 'UPDATE'))
                     from pg_tables t, pg_roles r
                     where t.tablename = 'audit_entry' and t.schemaname = current_schema() and r.rolname = current_user""")) {
            if (!rs.next()) {
                return problems;
            }
            String user = rs.getString(6);
            if (rs.getBoolean(1)) {
                problems.add(user + " owns audit_entry");
            }
            if (rs.getBoolean(2)) {
                problems.add(user + " is a superuser");
            }
            if (rs.getBoolean(3) || rs.getBoolean(4) || rs.getBoolean(5)) {
                problems.add(user + " may update, delete or truncate audit_entry");
            } else if (rs.getBoolean(7)) {
                problems.add(user + " may update what an audit entry says (only sealing columns are allowed)");
            }
        }
        return problems;
    }
}
