package dev.tollgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.UiSession;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint × every demo user (one per role), a signed-in user with none of the roles,
 * anonymous, a wrong password, and API tokens (valid, expired, revoked), generated from one table: a caller the contract does not allow never
 * gets 2xx; a caller it allows is never refused for its identity (it may still get 400/404/409 for
 * its input). API endpoints refuse with 401/403; UI pages send unauthenticated visitors to the
 * login page (303/302) and refuse roles with 403. UI forms are posted with the session's CSRF token.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AuthorizationMatrixTest {

    private static final String ID = "00000000-0000-0000-0000-000000000001";
    private static final Set<String> ANY = Set.of("alice", "eve", "bob", "rita", "dave", "audrey", "mona", "admin");
    private static final Set<String> DECIDERS = Set.of("bob", "rita");
    /** The valid API token carries the deployer's duty, like dave (a token holds one duty only). */
    private static final String TOKEN_ACTS_LIKE = "dave";

    /** method, path, demo users allowed. */
    private record Endpoint(String method, String path, Set<String> allowed) {
        boolean ui() {
            return path.startsWith("/ui");
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST", "/api/v1/candidates", Set.of("alice", "eve")),
            new Endpoint("GET", "/api/v1/candidates", ANY),
            new Endpoint("GET", "/api/v1/candidates/" + ID, ANY),
            new Endpoint("GET", "/api/v1/candidates/" + ID + "/history", ANY),
            new Endpoint("POST", "/api/v1/candidates/" + ID + "/cancel", Set.of("alice", "eve", "admin")),
            new Endpoint("POST", "/api/v1/candidates/" + ID + "/evaluations", Set.of("eve")),
            new Endpoint("POST", "/api/v1/candidates/" + ID + "/deployments", Set.of("dave")),
            new Endpoint("GET", "/api/v1/approvals", DECIDERS),
            new Endpoint("POST", "/api/v1/approvals/" + ID + "/decision", DECIDERS),
            new Endpoint("GET", "/api/v1/releases/MODEL/x", ANY),
            new Endpoint("POST", "/api/v1/releases/MODEL/x/rollback", Set.of("dave", "admin")),
            new Endpoint("GET", "/api/v1/pipelines", ANY),
            new Endpoint("GET", "/api/v1/pipelines/standard", ANY),
            new Endpoint("GET", "/api/v1/audit", Set.of("audrey")),
            new Endpoint("GET", "/api/v1/audit/verify", Set.of("audrey")),
            new Endpoint("GET", "/api/v1/audit/export", Set.of("audrey")),
            new Endpoint("GET", "/api/v1/audit/production/MODEL/x", Set.of("audrey")),
            new Endpoint("GET", "/api/v1/admin/tokens", Set.of("admin")),
            new Endpoint("POST", "/api/v1/admin/tokens", Set.of("admin")),
            new Endpoint("DELETE", "/api/v1/admin/tokens/" + ID, Set.of("admin")),
            new Endpoint("GET", "/q/metrics", Set.of("mona", "admin")),
            // KIE's generated endpoints: closed to everyone, admin included.
            new Endpoint("GET", "/promotion", Set.of()),
            new Endpoint("POST", "/promotion", Set.of()),
            new Endpoint("GET", "/rollback", Set.of()),
            new Endpoint("GET", "/usertasks/instance", Set.of()),
            new Endpoint("GET", "/promotion/" + ID, Set.of()),
            // The UI.
            new Endpoint("GET", "/ui", ANY),
            new Endpoint("GET", "/ui/inbox", DECIDERS),
            new Endpoint("GET", "/ui/tasks/" + ID, DECIDERS),
            new Endpoint("POST", "/ui/tasks/" + ID + "/decision", DECIDERS),
            new Endpoint("GET", "/ui/candidates", ANY),
            new Endpoint("GET", "/ui/candidates/" + ID, ANY),
            new Endpoint("GET", "/ui/releases", ANY),
            new Endpoint("GET", "/ui/releases/MODEL/x", ANY),
            new Endpoint("GET", "/ui/audit", Set.of("audrey")),
            new Endpoint("GET", "/ui/audit/entries/1", Set.of("audrey")),
            new Endpoint("GET", "/ui/audit/verify", Set.of("audrey")),
            new Endpoint("GET", "/ui/admin/tokens", Set.of("admin")),
            new Endpoint("POST", "/ui/admin/tokens", Set.of("admin")),
            new Endpoint("POST", "/ui/admin/tokens/" + ID + "/revoke", Set.of("admin")),
            new Endpoint("POST", "/ui/logout", ANY));

    private static final List<String> CALLERS = List.of("alice", "eve", "bob", "rita", "dave", "audrey", "mona", "admin",
            "nobody", "anonymous", "forged", "token", "expired-token", "revoked-token");

    private static final Map<String, UiSession> SESSIONS = new ConcurrentHashMap<>();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;

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
    void onlyCallersTheContractAllowsGetThrough(String method, String path, String caller, String allowed) throws Exception {
        Endpoint endpoint = new Endpoint(method, path, allowed.isEmpty() ? Set.of() : Set.of(allowed.split(",")));
        String name = method + " " + path + " as " + caller;
        Response response = endpoint.ui() ? uiRequest(endpoint, caller) : apiRequest(endpoint, caller);
        int status = response.statusCode();
        String actingAs = caller.equals("token") ? TOKEN_ACTS_LIKE : caller;
        boolean known = ANY.contains(caller) || caller.equals("nobody") || (caller.equals("token") && !endpoint.ui());

        if (endpoint.allowed().isEmpty()) {
            // Closed to everyone (KIE's generated endpoints): refused whoever asks, with or without credentials.
            assertThat(status).as(name).isIn(401, 403);
        } else if (!known) {
            if (endpoint.ui()) {
                assertThat(status).as(name).isIn(302, 303);
                assertThat(response.header("Location")).as(name).endsWith("/ui/login");
            } else if (endpoint.path().startsWith("/q/") && caller.equals("anonymous")) {
                // Outside the API, a request without credentials is offered the login page.
                assertThat(status).as(name).isIn(302, 401);
            } else {
                assertThat(status).as(name).isEqualTo(401);
            }
        } else if (endpoint.allowed().contains(actingAs)) {
            assertThat(status).as(name).isNotIn(401, 403).isLessThan(500);
            if (endpoint.ui() && (status == 302 || status == 303)) {
                assertThat(response.header("Location")).as(name).doesNotEndWith("/ui/login");
            }
        } else {
            assertThat(status).as(name).isEqualTo(403);
        }
    }

    private Response apiRequest(Endpoint endpoint, String caller) throws Exception {
        RequestSpecification request = switch (caller) {
            case "anonymous" -> given();
            case "forged" -> given().auth().preemptive().basic("bob", "not-the-password");
            case "token", "expired-token", "revoked-token" -> given().header("Authorization", "Bearer " + token(caller));
            default -> given().auth().preemptive().basic(caller, "demo");
        };
        // Redirects are not followed: a redirect to a page that answers 200 is not a 200 for this endpoint.
        return request.redirects().follow(false).contentType("application/json").accept("*/*").body("{}")
                .request(endpoint.method(), endpoint.path());
    }

    private Response uiRequest(Endpoint endpoint, String caller) throws Exception {
        RequestSpecification request = switch (caller) {
            case "anonymous" -> given().redirects().follow(false);
            case "forged" -> UiSession.signIn("bob", "not-the-password").request();
            case "token", "expired-token", "revoked-token" ->
                    given().redirects().follow(false).header("Authorization", "Bearer " + token(caller));
            default -> SESSIONS.computeIfAbsent(caller, UiSession::signIn).request();
        };
        if (endpoint.method().equals("POST")) {
            UiSession session = SESSIONS.get(caller);
            request = request.contentType("application/x-www-form-urlencoded").formParam("decision", "APPROVE");
            if (session != null && session.csrf() != null) {
                request = request.formParam("csrf", session.csrf());
            }
        }
        return request.request(endpoint.method(), endpoint.path());
    }

    /** API tokens made once per run: a valid one (deployer), an expired one and a revoked one. */
    private String token(String kind) throws Exception {
        String existing = TOKENS.get(kind);
        if (existing != null) {
            return existing;
        }
        Response created = given().auth().preemptive().basic("admin", "demo").contentType("application/json")
                .body("{\"name\": \"matrix-" + kind + "\", \"owner\": \"ci-bot\", \"roles\": [\"deployer\"]}")
                .post("/api/v1/admin/tokens");
        assertThat(created.statusCode()).isEqualTo(201);
        String secret = created.path("secret");
        String id = created.path("token.id");
        if (kind.equals("expired-token")) {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement(
                         "update api_token set expires_at = now() - interval '1 minute' where id = ?::uuid")) {
                s.setString(1, id);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        } else if (kind.equals("revoked-token")) {
            given().auth().preemptive().basic("admin", "demo").delete("/api/v1/admin/tokens/" + id)
                    .then().statusCode(200);
        }
        TOKENS.put(kind, secret);
        return secret;
    }
}
