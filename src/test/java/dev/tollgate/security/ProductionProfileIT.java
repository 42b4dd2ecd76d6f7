package dev.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.local.LocalServices;
import dev.tollgate.testing.AppProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged application in its production profile, against a real PostgreSQL and Kafka: it refuses unsafe set-ups. */
class ProductionProfileIT {

    private static LocalServices services;

    @BeforeAll
    static void start() throws Exception {
        services = LocalServices.startTemporary();
    }

    @AfterAll
    static void stop() throws Exception {
        services.close();
    }

    @Test
    void refusesToStartWithoutAnIdentityProvider() throws Exception {
        AppProcess.Exited exited = AppProcess.startExpectingRefusal("prod", services.config(), Duration.ofSeconds(90));
        assertThat(exited.exitCode()).isNotZero();
        assertThat(exited.log()).contains("quarkus.oidc.auth-server-url");
    }

    @Test
    void refusesToStartWithDemoUsers() throws Exception {
        Map<String, String> config = new HashMap<>(services.config());
        // An identity provider is named (it is not contacted before the guard runs), so that only the users are wrong.
        config.put("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/tollgate");
        config.put("quarkus.oidc.tenant-enabled", "false");
        config.put("quarkus.security.users.embedded.users.alice", "demo");
        AppProcess.Exited exited = AppProcess.startExpectingRefusal("prod", config, Duration.ofSeconds(90));
        assertThat(exited.exitCode()).isNotZero();
        assertThat(exited.log()).contains("Embedded (demo) users are configured", "No identity provider");
    }
}
