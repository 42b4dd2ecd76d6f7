package dev.tollgate.security;

import io.quarkus.runtime.StartupEvent;
import dev.tollgate.shared.Profiles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start the production profile with demo users or without an identity provider
 * (contract.md, "Roles and identity"). quarkus-oidc itself already stops a start without
 * {@code quarkus.oidc.auth-server-url}; this guard also stops the way round it, switching the
 * provider off.
 */
@ApplicationScoped
public class ProductionGuard {

    static final String USERS_PREFIX = "quarkus.security.users.embedded.users.";
    /** The same settings as environment variables (QUARKUS_SECURITY_USERS_EMBEDDED_USERS_BOB=...) or any other spelling. */
    static final String USERS_ENV_PREFIX = "QUARKUS_SECURITY_USERS_EMBEDDED_USERS_";

    void check(@Observes StartupEvent startup, Config config) {
        if (Profiles.isProduction()) {
            List<String> problems = problems(config);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("Tollgate will not start in production: " + String.join(" ", problems));
            }
        }
    }

    /** What is wrong with a production configuration; empty when nothing is. */
    static List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        // Every source counts: application.properties, -D options, environment variables, a .env file.
        boolean usersConfigured = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .anyMatch(name -> name.startsWith(USERS_PREFIX)
                        || name.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_").startsWith(USERS_ENV_PREFIX));
        if (usersConfigured) {
            problems.add("Embedded (demo) users are configured. They are for the local and test profiles only; "
                    + "remove every " + USERS_PREFIX + "* setting and " + USERS_ENV_PREFIX + "* environment variable.");
        }
        boolean oidcEnabled = config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true);
        boolean issuer = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class)
                .filter(url -> !url.isBlank()).isPresent();
        if (!oidcEnabled || !issuer) {
            problems.add("No identity provider: set quarkus.oidc.auth-server-url (QUARKUS_OIDC_AUTH_SERVER_URL) "
                    + "and keep quarkus.oidc.tenant-enabled=true. See docs/operations.md.");
        }
        return problems;
    }
}
