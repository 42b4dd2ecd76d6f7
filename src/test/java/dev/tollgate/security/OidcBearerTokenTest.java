package dev.tollgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TestJwts;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production's way in, OIDC bearer tokens, with a key pair standing in for the identity provider:
 * the application verifies RS256 tokens against the public key, takes the user from
 * {@code preferred_username} and the roles from the configured claim ({@code realm_access/roles},
 * as Keycloak issues them). API tokens and the other mechanisms keep working beside it.
 */
@QuarkusTest
@TestProfile(OidcBearerTokenTest.WithIdentityProvider.class)
@QuarkusTestResource(TollgateServices.class)
class OidcBearerTokenTest {

    static final String ISSUER = "https://idp.tollgate.test/realms/tollgate";

    public static class WithIdentityProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.oidc.tenant-enabled", "true",
                    // A public key instead of the provider's discovery document needs the "service" type.
                    "quarkus.oidc.application-type", "service",
                    "quarkus.oidc.public-key", TestJwts.publicKeyBase64(),
                    "quarkus.oidc.token.issuer", ISSUER);
        }
    }

    @Test
    void aValidTokenActsAsItsUserWithTheRolesOfTheConfiguredClaim() {
        String token = token("olivia", List.of("submitter"), Instant.now().plusSeconds(300), TestJwts.privateKey());
        String submittedBy = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Submissions.model(Submissions.uniqueName("oidc"), "1.0.0"))
                .post("/api/v1/candidates").then().statusCode(201).extract().path("submittedBy");
        assertThat(submittedBy).isEqualTo("olivia");
        given().header("Authorization", "Bearer " + token).get("/api/v1/approvals").then().statusCode(403);

        String approver = token("paula", List.of("approver"), Instant.now().plusSeconds(300), TestJwts.privateKey());
        given().header("Authorization", "Bearer " + approver).get("/api/v1/approvals").then().statusCode(200);
    }

    @Test
    void expiredForgedAndForeignTokensAreRefused() throws Exception {
        String expired = token("olivia", List.of("submitter"), Instant.now().minusSeconds(600), TestJwts.privateKey());
        given().header("Authorization", "Bearer " + expired).get("/api/v1/candidates").then().statusCode(401);

        var other = KeyPairGenerator.getInstance("RSA");
        other.initialize(2048);
        String foreign = token("olivia", List.of("admin"), Instant.now().plusSeconds(300), other.generateKeyPair().getPrivate());
        given().header("Authorization", "Bearer " + foreign).get("/api/v1/candidates").then().statusCode(401);

        given().header("Authorization", "Bearer not.a.jwt").get("/api/v1/candidates").then().statusCode(401);
    }

    @Test
    void aTokenIssuedForAnotherClientOfTheRealmIsRefused() {
        String otherClient = token("olivia", List.of("submitter"), Instant.now().plusSeconds(300), TestJwts.privateKey(),
                "reporting-dashboard");
        given().header("Authorization", "Bearer " + otherClient).get("/api/v1/candidates").then().statusCode(401);
        String noAudience = token("olivia", List.of("submitter"), Instant.now().plusSeconds(300), TestJwts.privateKey(),
                List.of());
        given().header("Authorization", "Bearer " + noAudience).get("/api/v1/candidates").then().statusCode(401);
    }

    @Test
    void apiTokensAndBasicStillWorkBesideTheIdentityProvider() {
        String secret = given().auth().preemptive().basic("admin", "demo").contentType(ContentType.JSON)
                .body("{\"name\": \"" + Submissions.uniqueName("ci") + "\", \"owner\": \"ci-bot\", \"roles\": [\"monitor\"]}")
                .post("/api/v1/admin/tokens").then().statusCode(201).extract().path("secret");
        given().header("Authorization", "Bearer " + secret).get("/api/v1/candidates?limit=1").then().statusCode(200);
        given().header("Authorization", "Bearer tg_unknown").get("/api/v1/candidates?limit=1").then().statusCode(401);
    }

    private static String token(String user, List<String> roles, Instant expires, PrivateKey key) {
        return token(user, roles, expires, key, List.of("account", "tollgate"));
    }

    private static String token(String user, List<String> roles, Instant expires, PrivateKey key, Object audience) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", audience);
        claims.put("sub", "id-" + user);
        claims.put("preferred_username", user);
        claims.put("realm_access", Map.of("roles", roles));
        claims.put("iat", expires.minusSeconds(900).getEpochSecond());
        claims.put("exp", expires.getEpochSecond());
        return TestJwts.sign(claims, key);
    }
}
