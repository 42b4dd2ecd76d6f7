package dev.tollgate.security;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start the production profile with password users configured in properties: demo
 * users belong to the local and test profiles only (contract.md, "Roles and identity").
 */
@ApplicationScoped
public class DemoUsersGuard {

    static final String USERS_PREFIX = "quarkus.security.users.embedded.users.";

    void check(@Observes StartupEvent startup, Config config) {
        boolean production = LaunchMode.current() == LaunchMode.NORMAL
                && ConfigUtils.getProfiles().stream().noneMatch(p -> p.equals("local") || p.equals("test"));
        boolean usersConfigured = StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .anyMatch(name -> name.startsWith(USERS_PREFIX));
        if (production && usersConfigured) {
            throw new IllegalStateException("Embedded (demo) users are configured in the production profile. "
                    + "They are for the local and test profiles only; remove every " + USERS_PREFIX + "* setting.");
        }
    }
}
