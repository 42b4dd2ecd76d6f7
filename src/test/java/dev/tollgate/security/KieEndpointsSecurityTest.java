package dev.tollgate.security;

import static dev.tollgate.testing.Api.anonymous;
import static dev.tollgate.testing.Api.as;

import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KIE generates REST endpoints for the process and its tasks. Tollgate's API does everything they would, with
 * separation of duties and an audit trail, so they are closed to everyone, admin included.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class KieEndpointsSecurityTest {

    @ParameterizedTest
    @ValueSource(strings = {"/promotion", "/usertasks/instance", "/promotion/00000000-0000-0000-0000-000000000001",
            "/reevaluation"})
    void generatedEndpointsRefuseAnonymousCallers(String path) {
        anonymous().get(path).then().statusCode(401);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "bob", "rita", "dave", "audrey", "mona"})
    void generatedEndpointsRefuseEveryNonAdminRole(String user) {
        as(user).get("/promotion").then().statusCode(403);
        as(user).get("/usertasks/instance").then().statusCode(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "bob", "admin"})
    void startingAProcessDirectlyIsRefused(String user) {
        as(user).contentType("application/json").body("{\"candidateId\": \"x\"}").post("/promotion").then()
                .statusCode(403);
    }

    @org.junit.jupiter.api.Test
    void administratorIsRefusedToo() {
        as("admin").get("/promotion").then().statusCode(403);
        as("admin").get("/usertasks/instance").then().statusCode(403);
        as("admin").get("/promotion/00000000-0000-0000-0000-000000000001").then().statusCode(403);
        as("admin").get("/reevaluation").then().statusCode(403);
    }
}
