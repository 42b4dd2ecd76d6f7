package dev.tollgate.security;

import static dev.tollgate.testing.Api.anonymous;
import static dev.tollgate.testing.Api.as;

import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KIE generates REST endpoints for the process and its tasks; only administrators may reach them. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class KieEndpointsSecurityTest {

    @ParameterizedTest
    @ValueSource(strings = {"/promotion", "/usertasks/instance", "/management/processes/promotion"})
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
    @ValueSource(strings = {"alice", "bob"})
    void startingAProcessDirectlyIsRefusedToNonAdmins(String user) {
        as(user).contentType("application/json").body("{\"candidateId\": \"x\"}").post("/promotion").then()
                .statusCode(403);
    }

    @org.junit.jupiter.api.Test
    void administratorReachesGeneratedEndpoints() {
        as("admin").get("/promotion").then().statusCode(200);
    }

    @org.junit.jupiter.api.Test
    void nobodyStartsAProcessBehindTollgatesBack() {
        as("admin").contentType("application/json").body("{\"candidateId\": \"x\"}").post("/promotion").then()
                .statusCode(403);
    }
}
