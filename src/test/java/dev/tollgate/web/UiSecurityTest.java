package dev.tollgate.web;

import static dev.tollgate.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.UiSession;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/** The UI's forms over plain HTTP: CSRF, refusals shown as pages, and nothing changed by a GET. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class UiSecurityTest {

    private static String awaitingApproval() {
        return Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("ui"), "1.0.0"));
    }

    @Test
    void aDecisionWithoutTheFormTokenIsRefusedAndChangesNothing() {
        String candidate = awaitingApproval();
        String task = Api.taskOf(candidate);
        UiSession bob = UiSession.signIn("bob");

        Response missing = bob.request().contentType("application/x-www-form-urlencoded")
                .formParam("decision", "APPROVE").formParam("comment", "ok").post("/ui/tasks/" + task + "/decision");
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.contentType()).startsWith("text/html");
        assertThat(missing.asString()).contains("did not come from this session");

        Response forged = bob.request().contentType("application/x-www-form-urlencoded").formParam("csrf", "forged")
                .formParam("decision", "APPROVE").post("/ui/tasks/" + task + "/decision");
        assertThat(forged.statusCode()).isEqualTo(403);

        // Another user's token does not work in bob's session either: tokens are bound to the user.
        UiSession rita = UiSession.signIn("rita");
        Response borrowed = bob.request().contentType("application/x-www-form-urlencoded")
                .formParam("csrf", rita.csrf()).formParam("decision", "APPROVE").post("/ui/tasks/" + task + "/decision");
        assertThat(borrowed.statusCode()).isEqualTo(403);
        assertThat(Api.stageOf(candidate)).isEqualTo("AWAITING_APPROVAL");

        Response voted = bob.form().formParam("decision", "APPROVE").formParam("comment", "holdout looks right")
                .post("/ui/tasks/" + task + "/decision");
        assertThat(voted.statusCode()).isEqualTo(303);
        assertThat(voted.header("Location")).endsWith("/ui/candidates/" + candidate + "?voted=APPROVE");
        assertThat(Api.stageOf(candidate)).isEqualTo("DEPLOYING_PRODUCTION");
    }

    @Test
    void refusalsAreShownOnTheTaskPageWithTheRightStatus() {
        String candidate = awaitingApproval();
        String task = Api.taskOf(candidate);
        UiSession sam = UiSession.signIn("sam");
        // sam approves others' candidates; this one is alice's.
        Response rejectWithoutReason = sam.form().formParam("decision", "REJECT").post("/ui/tasks/" + task + "/decision");
        assertThat(rejectWithoutReason.statusCode()).isEqualTo(400);
        assertThat(rejectWithoutReason.asString()).contains("required when rejecting");

        UiSession bob = UiSession.signIn("bob");
        assertThat(bob.form().formParam("decision", "APPROVE").post("/ui/tasks/" + task + "/decision").statusCode())
                .isEqualTo(303);
        Response late = sam.form().formParam("decision", "APPROVE").post("/ui/tasks/" + task + "/decision");
        assertThat(late.statusCode()).as("the task closed with bob's vote").isEqualTo(409);
        assertThat(late.asString()).contains("closed");
    }

    @Test
    void theSubmitterIsShownNoDecisionFormAndIsRefusedIfTheyPostOne() {
        String candidate = Promotions.throughStaging("sam", Submissions.model(Submissions.uniqueName("own"), "1.0.0"));
        String task = Api.taskOf(candidate);
        UiSession sam = UiSession.signIn("sam");
        String page = sam.request().get("/ui/tasks/" + task).then().statusCode(200).extract().asString();
        assertThat(page).doesNotContain("id=\"approve\"").contains("Separation of duties");
        Response posted = sam.form().formParam("decision", "APPROVE").formParam("comment", "mine")
                .post("/ui/tasks/" + task + "/decision");
        assertThat(posted.statusCode()).isEqualTo(403);
        assertThat(Api.stageOf(candidate)).isEqualTo("AWAITING_APPROVAL");
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(as("audrey").queryParam("actor", "sam")
                .queryParam("type", "access.denied").queryParam("limit", 1000).get("/api/v1/audit").then()
                .extract().jsonPath().getList("items.data.path", String.class))
                .as("the refusal is in the audit trail").contains("/ui/tasks/{id}/decision"));
    }

    @Test
    void everyPageSendsTheSecurityHeaders() {
        var login = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "bob").formParam("j_password", "demo").post("/j_security_check");
        assertThat(login.getDetailedCookie("quarkus-credential").isHttpOnly()).isTrue();
        assertThat(login.getDetailedCookie("quarkus-credential").getSameSite()).isEqualToIgnoringCase("Strict");
        Response page = given().redirects().follow(false).cookies(login.getCookies()).get("/ui/inbox");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "frame-ancestors 'none'",
                "form-action 'self'");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");
        assertThat(page.getCookie("tollgate-csrf")).isNotNull();
        assertThat(page.getDetailedCookie("tollgate-csrf").isHttpOnly()).isTrue();
        assertThat(page.getDetailedCookie("tollgate-csrf").getSameSite()).isEqualToIgnoringCase("Strict");
    }

    @Test
    void behindATlsTerminatingProxyTheFormTokenCookieIsSecure() {
        var login = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "bob").formParam("j_password", "demo").post("/j_security_check");
        var session = login.getCookies();

        String direct = given().redirects().follow(false).cookies(session).get("/ui/candidates").getHeaders()
                .getValues("Set-Cookie").stream().filter(c -> c.startsWith("tollgate-csrf=")).findFirst().orElseThrow();
        String proxied = given().redirects().follow(false).cookies(session).header("X-Forwarded-Proto", "https")
                .get("/ui/candidates").getHeaders().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("tollgate-csrf=")).findFirst().orElseThrow();

        assertThat(direct).doesNotContainIgnoringCase("secure");
        assertThat(proxied).containsIgnoringCase("secure");
    }

    @Test
    void userInputIsEscapedInPages() {
        String name = "x-" + Submissions.uniqueName("esc");
        String body = Submissions.model(name, "1.0.0").replace("retrained on October data",
                "<script>alert(1)</script>");
        String id = Api.submitted("alice", body);
        String page = UiSession.signIn("audrey").request().get("/ui/candidates/" + id).then().statusCode(200)
                .extract().asString();
        assertThat(page).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    @Test
    void theReservedEnginePrincipalGetsNoPage() {
        Response page = UiSession.signIn("WORKFLOW_ENGINE_USER").request().get("/ui/candidates");
        assertThat(page.statusCode()).isEqualTo(403);
    }

    @Test
    void signingOutNeedsTheFormTokenAndEndsTheSession() {
        UiSession bob = UiSession.signIn("bob");
        assertThat(bob.request().contentType("application/x-www-form-urlencoded").post("/ui/logout").statusCode())
                .isEqualTo(403);
        Response out = bob.form().post("/ui/logout");
        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.getDetailedCookie("quarkus-credential").getMaxAge()).isZero();
        assertThat(given().redirects().follow(false).get("/ui/inbox").statusCode()).isEqualTo(302);
    }

    @Test
    void theApiDoesNotTakeFormPosts() {
        // A cross-site form can only send form encodings; the API takes JSON only, so it answers 415.
        String candidate = awaitingApproval();
        UiSession bob = UiSession.signIn("bob");
        Response posted = bob.request().contentType("application/x-www-form-urlencoded").formParam("decision", "APPROVE")
                .post("/api/v1/approvals/" + Api.taskOf(candidate) + "/decision");
        assertThat(posted.statusCode()).isEqualTo(415);
        assertThat(as("audrey").get("/api/v1/candidates/" + candidate).then().extract().<String>path("stage"))
                .isEqualTo("AWAITING_APPROVAL");
    }
}
