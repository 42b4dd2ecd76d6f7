package dev.tollgate.security;

import static dev.tollgate.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.ResourceModel;
import dev.tollgate.testing.ResourceModel.Endpoint;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.UiSession;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what, from one table checked against the JAX-RS resource model: the table must have exactly
 * one row for every endpoint found by reflection ({@link ResourceModel}), so a new endpoint fails here until
 * someone says who may call it. Then every row × every caller: each demo user (one per role), a signed-in
 * user with none of the roles, anonymous, a wrong password, and API tokens (valid, expired, revoked).
 * A caller the contract allows gets the endpoint's success status on a valid request, made with fixtures in
 * the right state (an open task for a vote, a candidate deploying to staging for a deployment result, ...);
 * a caller it does not allow is refused. API endpoints refuse with 401/403; UI pages send unauthenticated
 * visitors to the login page (303/302) and refuse roles with 403. UI forms are posted with the session's
 * CSRF token. The endpoints KIE generates are closed to everyone, admin included.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthorizationMatrixTest {

    private static final String ID = "00000000-0000-0000-0000-000000000001";
    private static final Set<String> ANY = Set.of("alice", "eve", "bob", "rita", "dave", "audrey", "mona", "admin");
    private static final Set<String> SUBMITTERS = Set.of("alice", "eve");
    private static final Set<String> DECIDERS = Set.of("bob", "rita");
    private static final Set<String> AUDITOR = Set.of("audrey");
    private static final Set<String> ADMIN = Set.of("admin");
    private static final Set<String> MONITOR = Set.of("mona");
    /** The valid API token carries the deployer's duty, like dave (a token holds one duty only). */
    private static final String TOKEN_ACTS_LIKE = "dave";

    private static final List<String> CALLERS = List.of("alice", "eve", "bob", "rita", "dave", "audrey", "mona", "admin",
            "nobody", "anonymous", "forged", "token", "expired-token", "revoked-token");
    /** A public page: every caller gets it, signed in or not, whatever credentials come with the request. */
    private static final Set<String> EVERYONE = Set.copyOf(CALLERS);

    // Valid request bodies.
    private static final String OFFLINE_EVAL_PASSED = "{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}, \"passed\": true}";
    private static final String STAGING_SUCCEEDED =
            "{\"stage\": \"staging\", \"outcome\": \"SUCCEEDED\", \"environment\": \"staging-eu-1\", \"detail\": \"rollout succeeded\"}";
    private static final String APPROVE = "{\"decision\": \"APPROVE\", \"comment\": \"holdout looks right\"}";
    private static final String ROLLBACK = "{\"reason\": \"error rate up after 1.1.0\"}";
    /** A DENY window for a name nobody submits, years from now: it holds nothing. */
    private static final String FAR_WINDOW = """
            {"name": "matrix", "effect": "DENY", "kind": "MODEL", "subjectName": "matrix-nothing",
             "startsAt": "2099-01-01T00:00:00Z", "endsAt": "2099-01-02T00:00:00Z", "reason": "matrix"}""";

    private static final String CLASSIFICATION = """
            {"customerFacing": false, "personalData": true, "regulatedUse": false, "autonomy": "NONE",
             "reason": "reviewed with the owners"}""";

    /**
     * The table: method and path template (as the resource model spells them), who may call, the status a valid
     * request from them gets, and how to make one. UI rows are those under /ui.
     */
    private static final List<Row> TABLE = List.of(
            // The API: docs/contract.md and docs/api.md.
            freshEach("POST", "/api/v1/candidates", SUBMITTERS, 201,
                    caller -> json("/api/v1/candidates", newModel())),
            row("GET", "/api/v1/candidates", ANY, 200,
                    caller -> to("/api/v1/candidates")),
            row("GET", "/api/v1/candidates/{id}", ANY, 200,
                    caller -> to("/api/v1/candidates/" + awaitingApproval().id())),
            row("GET", "/api/v1/candidates/{id}/history", ANY, 200,
                    caller -> to("/api/v1/candidates/" + awaitingApproval().id() + "/history")),
            // Its submitter or admin: alice and eve cancel a candidate of their own, admin one of alice's.
            freshEach("POST", "/api/v1/candidates/{id}/cancel", Set.of("alice", "eve", "admin"), 200,
                    caller -> json("/api/v1/candidates/" + evaluating(SUBMITTERS.contains(caller) ? caller : "alice")
                            + "/cancel", "{\"reason\": \"superseded\"}")),
            // Never the submitter: eve reports on alice's candidate.
            freshEach("POST", "/api/v1/candidates/{id}/evaluations", Set.of("eve"), 201,
                    caller -> json("/api/v1/candidates/" + evaluating("alice") + "/evaluations", OFFLINE_EVAL_PASSED)),
            freshEach("POST", "/api/v1/candidates/{id}/deployments", Set.of("dave"), 200,
                    caller -> json("/api/v1/candidates/" + deployingToStaging() + "/deployments", STAGING_SUCCEEDED)),
            row("GET", "/api/v1/approvals", DECIDERS, 200,
                    caller -> to("/api/v1/approvals")),
            // Separation of duties: the task is on alice's candidate, never the voter's own.
            freshEach("POST", "/api/v1/approvals/{taskId}/decision", DECIDERS, 200,
                    caller -> json("/api/v1/approvals/" + openTask() + "/decision", APPROVE)),
            row("GET", "/api/v1/releases/{kind}/{name}", ANY, 200,
                    caller -> to("/api/v1/releases/MODEL/" + inProduction())),
            freshEach("POST", "/api/v1/releases/{kind}/{name}/rollback", Set.of("dave", "admin"), 202,
                    caller -> json("/api/v1/releases/MODEL/" + secondVersionInProduction() + "/rollback", ROLLBACK)),
            // Monitors send signals (docs/drift.md); everyone may read re-evaluations.
            freshEach("POST", "/api/v1/signals", MONITOR, 201,
                    caller -> json("/api/v1/signals", newSignal())),
            row("POST", "/api/v1/signals/alertmanager", MONITOR, 200,
                    caller -> json("/api/v1/signals/alertmanager", "{\"version\": \"4\", \"status\": \"firing\", \"alerts\": []}")),
            row("GET", "/api/v1/reevaluations", ANY, 200,
                    caller -> to("/api/v1/reevaluations")),
            row("GET", "/api/v1/reevaluations/{id}", ANY, 200,
                    caller -> to("/api/v1/reevaluations/" + reevaluation())),
            row("GET", "/api/v1/pipelines", ANY, 200,
                    caller -> to("/api/v1/pipelines")),
            row("GET", "/api/v1/pipelines/{name}", ANY, 200,
                    caller -> to("/api/v1/pipelines/standard")),
            row("GET", "/api/v1/audit", AUDITOR, 200,
                    caller -> to("/api/v1/audit")),
            row("GET", "/api/v1/audit/verify", AUDITOR, 200,
                    caller -> to("/api/v1/audit/verify")),
            row("GET", "/api/v1/audit/export", AUDITOR, 200,
                    caller -> to("/api/v1/audit/export?format=jsonl")),
            row("GET", "/api/v1/audit/production/{kind}/{name}", AUDITOR, 200,
                    caller -> to("/api/v1/audit/production/MODEL/" + inProduction())),
            // Break-glass (docs/governance.md): the standard pipeline lets risk officers and admins; others review it.
            freshEach("POST", "/api/v1/candidates/{id}/break-glass", Set.of("rita", "admin"), 200,
                    caller -> json("/api/v1/candidates/" + Promotions.throughStaging("alice", newModel()) + "/break-glass",
                            "{\"reason\": \"matrix emergency\"}")),
            row("GET", "/api/v1/break-glass", ANY, 200,
                    caller -> to("/api/v1/break-glass")),
            freshEach("POST", "/api/v1/break-glass/{id}/review", Set.of("rita", "admin"), 200,
                    caller -> json("/api/v1/break-glass/" + brokenBy("rita".equals(caller) ? "admin" : "rita") + "/review",
                            "{\"outcome\": \"ACCEPTED\", \"comment\": \"matrix\"}")),
            // Attestations (docs/governance.md): everyone may read and check them.
            row("GET", "/api/v1/candidates/{id}/attestation", ANY, 200,
                    caller -> to("/api/v1/candidates/" + attested() + "/attestation")),
            row("GET", "/api/v1/attestations/keys", ANY, 200,
                    caller -> to("/api/v1/attestations/keys")),
            // The inventory (docs/governance.md): everyone reads it, admins and risk officers keep it, risk officers classify.
            row("GET", "/api/v1/inventory", ANY, 200,
                    caller -> to("/api/v1/inventory")),
            row("GET", "/api/v1/inventory/{kind}/{name}", ANY, 200,
                    caller -> to("/api/v1/inventory/MODEL/" + registered())),
            freshEach("POST", "/api/v1/inventory", Set.of("admin", "rita"), 201,
                    caller -> json("/api/v1/inventory", newInventoryEntry(Submissions.uniqueName("matrix-inventory")))),
            freshEach("PATCH", "/api/v1/inventory/{kind}/{name}", Set.of("admin", "rita"), 200,
                    caller -> json("/api/v1/inventory/MODEL/" + registered(), "{\"ownerTeam\": \"team-" + caller
                            + "\", \"reason\": \"handed over\"}")),
            freshEach("PUT", "/api/v1/inventory/{kind}/{name}/classification", Set.of("rita"), 200,
                    caller -> json("/api/v1/inventory/MODEL/" + registered() + "/classification", CLASSIFICATION)),
            // Freeze windows and the line (docs/governance.md): everyone reads them, admins and risk officers set them.
            row("GET", "/api/v1/freezes", ANY, 200,
                    caller -> to("/api/v1/freezes")),
            freshEach("POST", "/api/v1/freezes", Set.of("admin", "rita"), 201,
                    caller -> json("/api/v1/freezes", FAR_WINDOW)),
            freshEach("DELETE", "/api/v1/freezes/{id}", Set.of("admin", "rita"), 200,
                    caller -> to("/api/v1/freezes/" + farWindow())),
            row("GET", "/api/v1/line", ANY, 200,
                    caller -> to("/api/v1/line")),
            // Stopping needs a running line and restarting a stopped one; the two rows run in turn and leave it running.
            freshEach("POST", "/api/v1/line/stop", Set.of("admin", "rita"), 200,
                    caller -> json("/api/v1/line/stop", lineIs(false, "{\"reason\": \"matrix drill\"}"))),
            freshEach("POST", "/api/v1/line/restart", Set.of("admin", "rita"), 200,
                    caller -> json("/api/v1/line/restart", lineIs(true, "{\"reason\": \"drill over\"}"))),
            // Webhooks (docs/governance.md, "Notifications"): admins only.
            row("GET", "/api/v1/admin/webhooks", ADMIN, 200,
                    caller -> to("/api/v1/admin/webhooks")),
            freshEach("POST", "/api/v1/admin/webhooks", ADMIN, 201,
                    caller -> json("/api/v1/admin/webhooks", "{\"name\": \"matrix\", \"url\": \"https://example.com/h\", "
                            + "\"eventTypes\": [\"dev.tollgate.matrix.nothing\"]}")),
            freshEach("DELETE", "/api/v1/admin/webhooks/{id}", ADMIN, 200,
                    caller -> to("/api/v1/admin/webhooks/" + webhook())),
            row("GET", "/api/v1/admin/webhooks/{id}/deliveries", ADMIN, 200,
                    caller -> to("/api/v1/admin/webhooks/" + webhook() + "/deliveries")),
            row("GET", "/api/v1/admin/tokens", ADMIN, 200,
                    caller -> to("/api/v1/admin/tokens")),
            freshEach("POST", "/api/v1/admin/tokens", ADMIN, 201,
                    caller -> json("/api/v1/admin/tokens", newTokenRequest())),
            freshEach("DELETE", "/api/v1/admin/tokens/{id}", ADMIN, 200,
                    caller -> to("/api/v1/admin/tokens/" + activeToken())),
            // The UI: docs/ui.md.
            row("GET", "/ui/login", EVERYONE, 200,
                    caller -> to("/ui/login")),
            // Home sends each role to its first page.
            row("GET", "/ui", ANY, 303,
                    caller -> to("/ui")),
            row("GET", "/ui/inbox", DECIDERS, 200,
                    caller -> to("/ui/inbox")),
            row("GET", "/ui/tasks/{taskId}", DECIDERS, 200,
                    caller -> to("/ui/tasks/" + awaitingApproval().task())),
            // Post/redirect/get: a vote sends the approver to the candidate's page.
            freshEach("POST", "/ui/tasks/{taskId}/decision", DECIDERS, 303,
                    caller -> form("/ui/tasks/" + openTask() + "/decision", "decision", "APPROVE", "comment", "fine")),
            row("GET", "/ui/candidates", ANY, 200,
                    caller -> to("/ui/candidates")),
            row("GET", "/ui/candidates/{id}", ANY, 200,
                    caller -> to("/ui/candidates/" + awaitingApproval().id())),
            row("GET", "/ui/reevaluations/{id}", ANY, 200,
                    caller -> to("/ui/reevaluations/" + reevaluation())),
            row("GET", "/ui/releases", ANY, 200,
                    caller -> to("/ui/releases")),
            row("GET", "/ui/releases/{kind}/{name}", ANY, 200,
                    caller -> to("/ui/releases/MODEL/" + inProduction())),
            row("GET", "/ui/inventory", ANY, 200,
                    caller -> to("/ui/inventory")),
            freshEach("POST", "/ui/inventory", Set.of("admin", "rita"), 303,
                    caller -> form("/ui/inventory", "kind", "MODEL", "name", Submissions.uniqueName("matrix-ui-inventory"),
                            "ownerTeam", "risk-ml", "intendedUse", "Scores loans.")),
            row("GET", "/ui/inventory/{kind}/{name}", ANY, 200,
                    caller -> to("/ui/inventory/MODEL/" + registered())),
            freshEach("POST", "/ui/inventory/{kind}/{name}/classification", Set.of("rita"), 303,
                    caller -> form("/ui/inventory/MODEL/" + registered() + "/classification", "customerFacing", "no",
                            "personalData", "yes", "regulatedUse", "no", "autonomy", "NONE", "reason", "reviewed")),
            row("GET", "/ui/freezes", ANY, 200,
                    caller -> to("/ui/freezes")),
            freshEach("POST", "/ui/freezes", Set.of("admin", "rita"), 303,
                    caller -> form("/ui/freezes", "name", "matrix-ui", "effect", "DENY", "kind", "MODEL",
                            "subjectName", "matrix-nothing", "startsAt", "2099-01-01T00:00", "endsAt", "2099-01-02T00:00",
                            "reason", "matrix")),
            freshEach("POST", "/ui/freezes/{id}/delete", Set.of("admin", "rita"), 303,
                    caller -> form("/ui/freezes/" + farWindow() + "/delete")),
            // Restarting a stopped line leaves it running whoever asks.
            freshEach("POST", "/ui/freezes/line/{action}", Set.of("admin", "rita"), 303,
                    caller -> form("/ui/freezes/line/restart", "reason", lineIs(true, "drill over"))),
            row("GET", "/ui/break-glass", ANY, 200,
                    caller -> to("/ui/break-glass")),
            freshEach("POST", "/ui/break-glass/{id}/review", Set.of("rita", "admin"), 303,
                    caller -> form("/ui/break-glass/" + brokenBy("rita".equals(caller) ? "admin" : "rita") + "/review",
                            "outcome", "ACCEPTED", "comment", "matrix")),
            row("GET", "/ui/audit", AUDITOR, 200,
                    caller -> to("/ui/audit")),
            row("GET", "/ui/audit/entries/{seq}", AUDITOR, 200,
                    caller -> to("/ui/audit/entries/" + firstAuditEntry())),
            row("GET", "/ui/audit/verify", AUDITOR, 200,
                    caller -> to("/ui/audit/verify")),
            row("GET", "/ui/admin/tokens", ADMIN, 200,
                    caller -> to("/ui/admin/tokens")),
            // A new token's secret is shown on the answer itself, never after a redirect.
            freshEach("POST", "/ui/admin/tokens", ADMIN, 201,
                    caller -> form("/ui/admin/tokens", "name", Submissions.uniqueName("matrix-ui"), "owner", "ci-bot",
                            "roles", "deployer")),
            freshEach("POST", "/ui/admin/tokens/{id}/revoke", ADMIN, 303,
                    caller -> form("/ui/admin/tokens/" + activeToken() + "/revoke")),
            // Signing out ends a session: each one signs out a session of its own. A signed-in user with none of
            // the roles is refused (403): no page of theirs carries a form token to sign out with.
            freshEach("POST", "/ui/logout", ANY, 303,
                    caller -> form("/ui/logout").inItsOwnSession()),
            // Not JAX-RS (Quarkus' metrics route), so the resource model does not have it; the contract gives it roles.
            notInTheResourceModel(row("GET", "/q/metrics", Set.of("mona", "admin"), 200,
                    caller -> to("/q/metrics"))),
            // Not JAX-RS either (SmallRye OpenAPI's route): the API's document, for the API's roles (docs/api.md).
            notInTheResourceModel(row("GET", "/q/openapi", ANY, 200,
                    caller -> to("/q/openapi?format=json"))));

    /** Every endpoint under these paths is generated by KIE and closed to everyone, admin included (docs/api.md). */
    private static final List<String> KIE_GENERATED = List.of("/promotion", "/rollback", "/reevaluation", "/usertasks");

    private static final Map<String, UiSession> SESSIONS = new ConcurrentHashMap<>();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    /** The request each row's refused callers send (and, for rows that use nothing up, everyone). */
    private static final Map<String, Call> SHARED_CALLS = new ConcurrentHashMap<>();

    @Inject
    DataSource dataSource;

    @Inject
    BeanManager beans;

    @Test
    @Order(1)
    void theTableHasExactlyOneRowForEveryEndpointOfTheResourceModel() {
        SortedSet<Endpoint> endpoints = ResourceModel.endpoints(beans);
        List<String> problems = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            long rows = TABLE.stream().filter(row -> row.is(endpoint)).count()
                    + KIE_GENERATED.stream().filter(prefix -> under(prefix, endpoint.template())).count();
            if (rows != 1) {
                problems.add((rows == 0 ? "no row for " : rows + " rows for ") + endpoint);
            }
        }
        for (Row row : TABLE) {
            boolean found = endpoints.contains(row.endpoint());
            if (row.inResourceModel() && !found) {
                problems.add("a row for an endpoint the resource model does not have: " + row.endpoint());
            } else if (!row.inResourceModel() && found) {
                problems.add("marked as outside the resource model, but it is in it: " + row.endpoint());
            }
        }
        for (String prefix : KIE_GENERATED) {
            if (endpoints.stream().noneMatch(endpoint -> under(prefix, endpoint.template()))) {
                problems.add("no endpoint under " + prefix + " any more: drop it from KIE_GENERATED");
            }
        }
        assertThat(problems).as("the table against the %d endpoints found by reflection", endpoints.size()).isEmpty();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Row row : TABLE) {
            for (String caller : CALLERS) {
                // Plain strings: Quarkus clones test arguments into the application's class loader.
                cases.add(Arguments.of(row.method(), row.template(), caller));
            }
        }
        return cases.stream();
    }

    @Order(2)
    @ParameterizedTest(name = "{0} {1} as {2}")
    @MethodSource("matrix")
    void allowedCallersGetTheSuccessStatusAndAllOthersAreRefused(String method, String template, String caller)
            throws Exception {
        Row row = TABLE.stream().filter(r -> r.method().equals(method) && r.template().equals(template)).findFirst()
                .orElseThrow();
        String name = method + " " + template + " as " + caller;
        String actingAs = caller.equals("token") ? TOKEN_ACTS_LIKE : caller;
        boolean known = ANY.contains(caller) || caller.equals("nobody") || (caller.equals("token") && !row.ui());
        boolean allowed = row.isPublic() || (known && row.allowed().contains(actingAs));

        Call call = allowed && row.freshEach() ? row.valid().forCaller(caller)
                : SHARED_CALLS.computeIfAbsent(row.endpoint().toString(), key -> row.valid().forCaller(caller));
        Response response = row.ui() ? uiRequest(method, call, caller) : apiRequest(method, call, caller);
        int status = response.statusCode();

        if (row.isPublic()) {
            assertThat(status).as(name).isEqualTo(row.success());
        } else if (!known) {
            if (row.ui()) {
                assertThat(status).as(name).isIn(302, 303);
                assertThat(response.header("Location")).as(name).endsWith("/ui/login");
            } else if (template.startsWith("/q/") && caller.equals("anonymous")) {
                // Outside the API, a request without credentials is offered the login page.
                assertThat(status).as(name).isIn(302, 401);
            } else {
                assertThat(status).as(name).isEqualTo(401);
            }
        } else if (allowed) {
            assertThat(status).as("%s, answer: %.300s", name, response.asString()).isEqualTo(row.success());
            if (row.ui() && (status == 302 || status == 303)) {
                assertThat(response.header("Location")).as(name).doesNotEndWith("/ui/login");
            }
        } else {
            assertThat(status).as(name).isEqualTo(403);
        }
    }

    @Test
    @Order(3)
    void everyEndpointKieGeneratesRefusesEveryCallerAdminIncluded() throws Exception {
        List<Endpoint> generated = ResourceModel.endpoints(beans).stream()
                .filter(endpoint -> KIE_GENERATED.stream().anyMatch(prefix -> under(prefix, endpoint.template())))
                .toList();
        assertThat(generated).as("KIE's generated endpoints").isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        for (Endpoint endpoint : generated) {
            Call call = json(endpoint.template().replaceAll("\\{[^}]+}", ID), "{}");
            for (String caller : CALLERS) {
                // Refused whoever asks, with or without credentials.
                softly.assertThat(apiRequest(endpoint.method(), call, caller).statusCode())
                        .as(endpoint + " as " + caller).isIn(401, 403);
            }
        }
        softly.assertAll();
    }

    // --- The table's rows ----------------------------------------------------------------------------------------

    /**
     * One endpoint: who may call it, the status a valid request from them gets, and how to make one for a caller.
     * {@code freshEach}: the request uses its fixture up (a vote, a cancel, a revocation), so every allowed caller
     * gets a new one; the refused callers share one, which they cannot use up.
     */
    private record Row(String method, String template, Set<String> allowed, int success, Fixture valid,
                       boolean freshEach, boolean inResourceModel) {

        Endpoint endpoint() {
            return new Endpoint(method, template);
        }

        boolean is(Endpoint endpoint) {
            return inResourceModel && endpoint().equals(endpoint);
        }

        boolean ui() {
            return template.startsWith("/ui");
        }

        boolean isPublic() {
            return allowed.containsAll(CALLERS);
        }
    }

    /** How to make a valid request to an endpoint, for a caller. */
    @FunctionalInterface
    private interface Fixture {
        Call forCaller(String caller);
    }

    /** A request: where it goes, and its JSON body (API) or form fields (UI, which also get the CSRF token). */
    private record Call(String path, String json, Map<String, String> form, boolean ownSession) {

        /** Sent from a session signed in for this request alone. */
        Call inItsOwnSession() {
            return new Call(path, json, form, true);
        }
    }

    private static Row row(String method, String template, Set<String> allowed, int success, Fixture valid) {
        return new Row(method, template, allowed, success, valid, false, true);
    }

    private static Row freshEach(String method, String template, Set<String> allowed, int success, Fixture valid) {
        return new Row(method, template, allowed, success, valid, true, true);
    }

    private static Row notInTheResourceModel(Row row) {
        return new Row(row.method(), row.template(), row.allowed(), row.success(), row.valid(), row.freshEach(), false);
    }

    private static Call to(String path) {
        return new Call(path, null, Map.of(), false);
    }

    private static Call json(String path, String body) {
        return new Call(path, body, Map.of(), false);
    }

    private static Call form(String path, String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return new Call(path, null, form, false);
    }

    private static boolean under(String prefix, String template) {
        return template.equals(prefix) || template.startsWith(prefix + "/");
    }

    // --- Requests as each caller ---------------------------------------------------------------------------------

    private Response apiRequest(String method, Call call, String caller) throws Exception {
        RequestSpecification request = switch (caller) {
            case "anonymous" -> given();
            case "forged" -> given().auth().preemptive().basic("bob", "not-the-password");
            case "token", "expired-token", "revoked-token" -> given().header("Authorization", "Bearer " + token(caller));
            default -> given().auth().preemptive().basic(caller, "demo");
        };
        // Redirects are not followed: a redirect to a page that answers 200 is not a 200 for this endpoint.
        request = request.redirects().follow(false).accept("*/*");
        if (!method.equals("GET")) {
            request = request.contentType("application/json");
        }
        if (call.json() != null) {
            request = request.body(call.json());
        }
        return request.request(method, call.path());
    }

    private Response uiRequest(String method, Call call, String caller) throws Exception {
        UiSession session = switch (caller) {
            case "anonymous", "token", "expired-token", "revoked-token" -> null;
            case "forged" -> UiSession.signIn("bob", "not-the-password");
            default -> call.ownSession() ? UiSession.signIn(caller) : SESSIONS.computeIfAbsent(caller, UiSession::signIn);
        };
        RequestSpecification request = session == null ? given().redirects().follow(false) : session.request();
        if (caller.endsWith("token")) {
            request = request.header("Authorization", "Bearer " + token(caller));
        }
        if (method.equals("POST")) {
            request = request.contentType("application/x-www-form-urlencoded");
            for (Map.Entry<String, String> field : call.form().entrySet()) {
                request = request.formParam(field.getKey(), field.getValue());
            }
            if (session != null && session.csrf() != null) {
                request = request.formParam("csrf", session.csrf());
            }
        }
        return request.request(method, call.path());
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

    // --- Fixtures, made through the public API as the other systems would ----------------------------------------

    /** A candidate waiting for approval and its open task. */
    private record Waiting(String id, String task) {
    }

    private static final Map<String, Object> ONCE = new HashMap<>();

    /** Made the first time it is asked for, then kept for the run (the tests run one at a time). */
    @SuppressWarnings("unchecked")
    private static <T> T once(String name, Supplier<T> make) {
        if (!ONCE.containsKey(name)) {
            ONCE.put(name, make.get());
        }
        return (T) ONCE.get(name);
    }

    private static String newInventoryEntry(String name) {
        return """
                {"kind": "MODEL", "name": "%s", "ownerTeam": "risk-ml", "intendedUse": "Scores loan applications."}"""
                .formatted(name);
    }

    private static String farWindow() {
        return Api.as("admin").contentType("application/json").body(FAR_WINDOW).post("/api/v1/freezes").then()
                .statusCode(201).extract().path("id");
    }

    /** Puts the line in the state {@code stopped} says, and returns {@code body}. */
    private static String lineIs(boolean stopped, String body) {
        boolean now = Api.as("admin").get("/api/v1/line").then().statusCode(200).extract().path("stopped");
        if (now != stopped) {
            Api.as("admin").contentType("application/json").body("{\"reason\": \"matrix fixture\"}")
                    .post("/api/v1/line/" + (stopped ? "stop" : "restart")).then().statusCode(200);
        }
        return body;
    }

    /** A break-glass by {@code user} on one of alice's candidates waiting for approval. */
    private static String brokenBy(String user) {
        String id = Promotions.throughStaging("alice", newModel());
        return Api.as(user).contentType("application/json").body("{\"reason\": \"matrix emergency\"}")
                .post("/api/v1/candidates/" + id + "/break-glass").then().statusCode(200).extract().path("id");
    }

    /** A webhook that wants no event Tollgate sends. */
    private static String webhook() {
        return Api.as("admin").contentType("application/json").body("{\"name\": \"matrix\", \"url\": "
                        + "\"https://example.com/h\", \"eventTypes\": [\"dev.tollgate.matrix.nothing\"]}")
                .post("/api/v1/admin/webhooks").then().statusCode(201).extract().path("webhook.id");
    }

    /** A candidate in production, so attested, shared by the calls that read its attestation. */
    private static String attested() {
        return once("attested", () -> Promotions.toProduction(Submissions.model(Submissions.uniqueName("matrix-attested"),
                "1.0.0")));
    }

    /** A MODEL name in the inventory, shared by the calls that read or change its entry. */
    private static String registered() {
        return once("registered", () -> {
            String name = Submissions.uniqueName("matrix-inventory");
            Api.as("admin").contentType("application/json").body(newInventoryEntry(name)).post("/api/v1/inventory")
                    .then().statusCode(201);
            return name;
        });
    }

    /** A MODEL body under a name no other test uses; it passes its gates and needs one approval (MEDIUM). */
    private static String newModel() {
        return Submissions.model(Submissions.uniqueName("matrix"), "1.0.0");
    }

    /** Submitted by {@code submitter}: EVALUATING, waiting for its offline-eval report. */
    private static String evaluating(String submitter) {
        return Api.submitted(submitter, newModel());
    }

    /** alice's, evaluated by eve: DEPLOYING_STAGING, waiting for the staging deployment result. */
    private static String deployingToStaging() {
        String id = evaluating("alice");
        Promotions.report(id, "offline-eval", 0.93).statusCode(201);
        return id;
    }

    /** A new open approval task on one of alice's candidates. */
    private static String openTask() {
        String task = Api.taskOf(Promotions.throughStaging("alice", newModel()));
        assertThat(task).as("the open task").isNotNull();
        return task;
    }

    /** One of alice's candidates in AWAITING_APPROVAL, shared by the calls that only read it. */
    private static Waiting awaitingApproval() {
        return once("awaiting approval", () -> {
            String id = Promotions.throughStaging("alice", newModel());
            return new Waiting(id, Api.taskOf(id));
        });
    }

    /** The name of a MODEL serving in production, shared by the calls that only read it. */
    private static String inProduction() {
        return once("in production", () -> {
            String name = Submissions.uniqueName("matrix-release");
            Promotions.toProduction(Submissions.model(name, "1.0.0"));
            return name;
        });
    }

    /** A drift signal about a name with nothing in production: recorded, and nothing else. */
    private static String newSignal() {
        return "{\"signalId\": \"" + Submissions.uniqueName("matrix-signal") + "\", \"type\": \"drift\", \"kind\": \"MODEL\","
                + " \"name\": \"" + Submissions.uniqueName("matrix-drift") + "\", \"metric\": \"psi\", \"value\": 0.3}";
    }

    /** A re-evaluation of a PROMPT in production, started by a new fingerprint, shared by the calls that read it. */
    private static String reevaluation() {
        return once("reevaluation", () -> {
            String name = Submissions.uniqueName("matrix-watch");
            Watches.promptInProduction("watched", name, "1", "gpt-4o-2024-08-06", "fp_a");
            return Watches.observe(name, "gpt-4o-2024-08-06", "fp_b").statusCode(201).extract()
                    .<String>path("reevaluationId");
        });
    }

    /** A MODEL whose 1.1.0 serves in production after 1.0.0 did: it can be rolled back. */
    private static String secondVersionInProduction() {
        String name = Submissions.uniqueName("matrix-rollback");
        Promotions.toProduction(Submissions.model(name, "1.0.0", Submissions.DIGEST_A, 0.93, 41.0));
        Promotions.toProduction(Submissions.model(name, "1.1.0", Submissions.DIGEST_B, 0.93, 41.0));
        return name;
    }

    /** The sequence number of the audit trail's first entry. */
    private static long firstAuditEntry() {
        return once("first audit entry", () -> {
            awaitingApproval();
            Number seq = as("audrey").queryParam("limit", "1").get("/api/v1/audit").then().statusCode(200)
                    .extract().path("items[0].seq");
            return seq.longValue();
        });
    }

    private static String newTokenRequest() {
        return "{\"name\": \"" + Submissions.uniqueName("matrix-api") + "\", \"owner\": \"ci-bot\", \"roles\": [\"deployer\"]}";
    }

    /** A new active API token; returns its id. */
    private static String activeToken() {
        return as("admin").contentType(ContentType.JSON).body(newTokenRequest()).post("/api/v1/admin/tokens")
                .then().statusCode(201).extract().path("token.id");
    }
}
