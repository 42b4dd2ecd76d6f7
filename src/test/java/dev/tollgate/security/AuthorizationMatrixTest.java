package dev.tollgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint × every demo user (one per role), anonymous and a caller with a wrong password,
 * generated from one table: a caller the contract does not allow gets 401 or 403, never 2xx; a
 * caller it allows is never refused for its identity (it may still get 400/404/409 for its input).
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AuthorizationMatrixTest {

    private static final String ID = "00000000-0000-0000-0000-000000000001";
    private static final Set<String> ANY = Set.of("alice", "eve", "bob", "rita", "dave", "audrey", "mona", "admin");

    /** method, path, roles (demo users) allowed. */
    private record Endpoint(String method, String path, Set<String> allowed) {
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/candidates", Set.of("alice", "eve")),
            new Endpoint("GET", "/api/v1/candidates", ANY),
            new Endpoint("GET", "/api/v1/candidates/" + ID, ANY),
            new Endpoint("GET", "/api/v1/candidates/" + ID + "/history", ANY),
            new Endpoint("POST", "/api/v1/candidates/" + ID + "/cancel", Set.of("alice", "eve", "admin")),
            new Endpoint("POST", "/api/v1/candidates/" + ID + "/evaluations", Set.of("eve")),
            new Endpoint("POST", "/api/v1/candidates/" + ID + "/deployments", Set.of("dave")),
            new Endpoint("GET", "/api/v1/approvals", Set.of("bob", "rita")),
            new Endpoint("POST", "/api/v1/approvals/" + ID + "/decision", Set.of("bob", "rita")),
            new Endpoint("GET", "/api/v1/releases/MODEL/x", ANY),
            new Endpoint("POST", "/api/v1/releases/MODEL/x/rollback", Set.of("dave", "admin")),
            new Endpoint("GET", "/api/v1/pipelines", ANY),
            new Endpoint("GET", "/api/v1/pipelines/standard", ANY),
            new Endpoint("GET", "/api/v1/audit", Set.of("audrey")),
            new Endpoint("GET", "/api/v1/audit/verify", Set.of("audrey")),
            new Endpoint("GET", "/api/v1/audit/export", Set.of("audrey")),
            new Endpoint("GET", "/api/v1/audit/production/MODEL/x", Set.of("audrey")),
            new Endpoint("GET", "/promotion", Set.of("admin")),
            new Endpoint("POST", "/promotion", Set.of()),
            new Endpoint("GET", "/rollback", Set.of("admin")),
            new Endpoint("GET", "/usertasks/instance", Set.of("admin")),
            new Endpoint("GET", "/management/processes/promotion", Set.of("admin")));

    private static final List<String> CALLERS = List.of("alice", "eve", "bob", "rita", "dave", "audrey", "mona", "admin",
            "anonymous", "forged");

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (String caller : CALLERS) {
                // Plain strings: Quarkus clones test arguments into the application's class loader.
                cases.add(Arguments.of(endpoint.method(), endpoint.path(), caller,
                        String.join(",", endpoint.allowed())));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}")
    @MethodSource("matrix")
    void onlyCallersTheContractAllowsGetThrough(String method, String path, String caller, String allowed) {
        String name = method + " " + path;
        RequestSpecification request = switch (caller) {
            case "anonymous" -> given();
            case "forged" -> given().auth().preemptive().basic("bob", "not-the-password");
            default -> given().auth().preemptive().basic(caller, "demo");
        };
        int status = request.contentType("application/json").accept("*/*").body("{}")
                .request(method, path).then().extract().statusCode();

        if (caller.equals("anonymous") || caller.equals("forged")) {
            assertThat(status).as("%s as %s", name, caller).isEqualTo(401);
        } else if (!allowed.isEmpty() && Set.of(allowed.split(",")).contains(caller)) {
            assertThat(status).as("%s as %s", name, caller).isNotIn(401, 403).isLessThan(500);
        } else {
            assertThat(status).as("%s as %s", name, caller).isEqualTo(403);
        }
    }
}
