package dev.tollgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the production profile refuses to start with (the guard runs at start-up in prod only). */
class ProductionGuardTest {

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(properties, "test", 500)).build();
    }

    @Test
    void anIdentityProviderAndNoDemoUsersIsAcceptable() {
        assertThat(ProductionGuard.problems(config(Map.of(
                "quarkus.oidc.auth-server-url", "https://keycloak.example.com/realms/tollgate")))).isEmpty();
    }

    @Test
    void demoUsersAreRefused() {
        assertThat(ProductionGuard.problems(config(Map.of(
                "quarkus.oidc.auth-server-url", "https://keycloak.example.com/realms/tollgate",
                "quarkus.security.users.embedded.users.alice", "demo"))))
                .singleElement().asString().contains("demo");
    }

    @Test
    void demoUsersGivenAsEnvironmentVariablesAreRefused() {
        assertThat(ProductionGuard.problems(config(Map.of(
                "quarkus.oidc.auth-server-url", "https://keycloak.example.com/realms/tollgate",
                "QUARKUS_SECURITY_USERS_EMBEDDED_USERS_MALLORY", "demo"))))
                .singleElement().asString().contains("demo");
    }

    @Test
    void noIdentityProviderIsRefused() {
        assertThat(ProductionGuard.problems(config(Map.of()))).singleElement().asString()
                .contains("No identity provider");
        assertThat(ProductionGuard.problems(config(Map.of(
                "quarkus.oidc.auth-server-url", "https://keycloak.example.com/realms/tollgate",
                "quarkus.oidc.tenant-enabled", "false")))).singleElement().asString().contains("No identity provider");
    }
}
