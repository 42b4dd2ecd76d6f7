package dev.tollgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.MockIdentityProvider;
import dev.tollgate.testing.TestJwts;
import dev.tollgate.testing.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged application in its production profile, against a real PostgreSQL and Kafka: it refuses unsafe set-ups,
 * and serves what production should (and nothing the local run adds).
 */
class ProductionProfileIT {

    private static TestServices services;

    @BeforeAll
    static void start() throws Exception {
        services = TestServices.start();
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

    @Test
    void refusesToStartWithDemoUsersGivenAsEnvironmentVariables() throws Exception {
        Map<String, String> config = new HashMap<>(services.config());
        config.put("quarkus.oidc.auth-server-url", "http://127.0.0.1:9/realms/tollgate");
        config.put("quarkus.oidc.tenant-enabled", "false");
        AppProcess.Exited exited = AppProcess.startExpectingRefusal("prod", config,
                Map.of("QUARKUS_SECURITY_USERS_EMBEDDED_USERS_MALLORY", "demo",
                        "QUARKUS_SECURITY_USERS_EMBEDDED_ROLES_MALLORY", "admin"), Duration.ofSeconds(90));
        assertThat(exited.exitCode()).isNotZero();
        assertThat(exited.log()).contains("Embedded (demo) users are configured");
    }

    @Test
    void refusesToStartWhenItsDatabaseUserCouldRewriteTheAuditTrail() throws Exception {
        // A database of its own, set up with one role for both: the application runs as the audit tables' owner.
        // An identity provider that answers, so that the database user is the only thing wrong.
        MockIdentityProvider idp = new MockIdentityProvider();
        try (TestServices single = TestServices.start()) {
            Map<String, String> config = new HashMap<>(single.config());
            config.putAll(idp.start());
            config.put("quarkus.datasource.username", config.get("quarkus.flyway.username"));
            config.put("quarkus.datasource.password", config.get("quarkus.flyway.password"));
            AppProcess.Exited exited = AppProcess.startExpectingRefusal("prod", config, Duration.ofSeconds(90));
            assertThat(exited.exitCode()).isNotZero();
            assertThat(exited.log()).contains("could rewrite the audit trail", "owns audit_entry");
        } finally {
            idp.stop();
        }
    }

    @Test
    void documentsTheApiForItsRolesWithTheIdentityProviderAndWithoutSwaggerUiOrBasic() throws Exception {
        MockIdentityProvider idp = new MockIdentityProvider();
        Map<String, String> config = new HashMap<>(services.config());
        config.putAll(idp.start());
        try (AppProcess app = AppProcess.start("prod", config, Map.of())) {
            // quarkus.swagger-ui.always-include puts Swagger UI in the jar; the production profile does not serve it.
            assertThat(given().baseUri("http://localhost").port(app.port()).redirects().follow(false)
                    .get("/q/swagger-ui/").statusCode()).isEqualTo(404);
            assertThat(given().baseUri("http://localhost").port(app.port()).redirects().follow(false)
                    .get("/q/openapi").statusCode()).isIn(302, 401);

            String issuer = config.get("quarkus.oidc.auth-server-url");
            long now = Instant.now().getEpochSecond();
            String auditor = TestJwts.sign(Map.of("iss", issuer, "sub", "id-audrey", "aud", List.of("account",
                            MockIdentityProvider.CLIENT_ID), "azp", MockIdentityProvider.CLIENT_ID, "typ", "Bearer",
                    "iat", now, "exp", now + 300, "preferred_username", "audrey", "realm_access",
                    Map.of("roles", List.of("auditor"))));
            var document = given().baseUri("http://localhost").port(app.port()).header("Authorization", "Bearer " + auditor)
                    .queryParam("format", "json").get("/q/openapi");
            assertThat(document.statusCode()).isEqualTo(200);
            Map<String, Object> schemes = document.jsonPath().getMap("components.securitySchemes");
            assertThat(schemes).containsOnlyKeys("oidc", "apiToken");
            assertThat(document.jsonPath().getString("components.securitySchemes.oidc.openIdConnectUrl"))
                    .isEqualTo(issuer + "/.well-known/openid-configuration");
        } finally {
            idp.stop();
        }
    }

    @Test
    void servesWithStrictTransportSecurityBehindItsIdentityProvider() throws Exception {
        MockIdentityProvider idp = new MockIdentityProvider();
        Map<String, String> config = new HashMap<>(services.config());
        config.putAll(idp.start());
        try (AppProcess app = AppProcess.start("prod", config, Map.of())) {
            var response = given().baseUri("http://localhost").port(app.port()).get("/q/health/live");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.header("Strict-Transport-Security")).isEqualTo("max-age=31536000; includeSubDomains");
        } finally {
            idp.stop();
        }
    }
}
