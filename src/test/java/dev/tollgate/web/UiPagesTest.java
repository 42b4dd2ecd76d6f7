package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Api;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.UiSession;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The UI's pages over plain HTTP: what they list, and the admin's token forms. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class UiPagesTest {

    @Test
    void candidatesAreFilteredByKindNameStageAndSubmitter() {
        String name = Submissions.uniqueName("list");
        Api.submitted("alice", Submissions.model(name, "1.0.0"));
        Api.submitted("eve", Submissions.model(name, "2.0.0", Submissions.DIGEST_B, 0.93, 41.0));
        UiSession audrey = UiSession.signIn("audrey");

        String byName = audrey.request().queryParam("name", name).get("/ui/candidates").then().statusCode(200)
                .extract().asString();
        assertThat(byName).contains(name + "</strong> 1.0.0", name + "</strong> 2.0.0");
        String byEve = audrey.request().queryParam("name", name).queryParam("submittedBy", "eve")
                .get("/ui/candidates").then().statusCode(200).extract().asString();
        assertThat(byEve).contains(name + "</strong> 2.0.0").doesNotContain(name + "</strong> 1.0.0");
        assertThat(audrey.request().queryParam("kind", "PROMPT").queryParam("name", name).get("/ui/candidates")
                .then().statusCode(200).extract().asString()).contains("No candidate matches.");
        assertThat(audrey.request().queryParam("stage", "NOPE").get("/ui/candidates").statusCode()).isEqualTo(400);
    }

    @Test
    void releasesShowWhatServesAndItsHistory() {
        String name = Submissions.uniqueName("rel");
        Promotions.toProduction(Submissions.model(name, "1.0.0"));
        UiSession mona = UiSession.signIn("mona");
        assertThat(mona.request().get("/ui/releases").then().statusCode(200).extract().asString())
                .contains("MODEL " + name);
        String history = mona.request().get("/ui/releases/MODEL/" + name).then().statusCode(200).extract().asString();
        assertThat(history).contains("1.0.0", "<strong>serving</strong>");
    }

    @Test
    void aRiskOfficerRegistersAndClassifiesANameFromTheInventoryPages() {
        String name = Submissions.uniqueName("ui-inventory");
        UiSession rita = UiSession.signIn("rita");
        Response registered = rita.form().formParam("kind", "MODEL").formParam("name", name)
                .formParam("ownerTeam", "credit-ml").formParam("intendedUse", "Scores loan applications.")
                .formParam("submitters", "alice\ntoken:ci-loans").post("/ui/inventory");
        assertThat(registered.statusCode()).isEqualTo(303);
        assertThat(registered.header("Location")).endsWith("/ui/inventory/MODEL/" + name);

        Response refused = rita.form().formParam("customerFacing", "no").formParam("personalData", "yes")
                .formParam("regulatedUse", "yes").formParam("autonomy", "SUPERVISED")
                .post("/ui/inventory/MODEL/" + name + "/classification");
        assertThat(refused.statusCode()).as("a classification without a reason").isEqualTo(400);
        assertThat(refused.asString()).contains("reason: is required");
        rita.form().formParam("customerFacing", "no").formParam("personalData", "yes").formParam("regulatedUse", "yes")
                .formParam("autonomy", "SUPERVISED").formParam("reason", "consumer credit")
                .post("/ui/inventory/MODEL/" + name + "/classification").then().statusCode(303);

        String page = UiSession.signIn("mona").request().get("/ui/inventory/MODEL/" + name).then().statusCode(200)
                .extract().asString();
        assertThat(page).contains("credit-ml", "<code>alice</code>", "<code>token:ci-loans</code>", "regulated use",
                "autonomy SUPERVISED", "Classified by rita", "consumer credit").doesNotContain("c-reason");
        assertThat(UiSession.signIn("mona").request().get("/ui/inventory").then().statusCode(200).extract().asString())
                .contains("MODEL " + name).doesNotContain("register-heading");
    }

    @Test
    void anAdminReviewsABreakGlassFromItsPage() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("ui-glass"), "1.0.0"));
        String glass = Api.as("rita").contentType("application/json").body("{\"reason\": \"outage fix\"}")
                .post("/api/v1/candidates/" + id + "/break-glass").then().statusCode(200).extract().path("id");
        UiSession rita = UiSession.signIn("rita");
        assertThat(rita.request().get("/ui/break-glass").then().statusCode(200).extract().asString())
                .contains("break-glass-" + glass, "outage fix").doesNotContain("/ui/break-glass/" + glass + "/review");
        assertThat(rita.request().get("/ui/candidates/" + id).then().statusCode(200).extract().asString())
                .contains("id=\"break-glass\"", "outage fix");

        UiSession admin = UiSession.signIn("admin");
        admin.form().formParam("outcome", "CONCERNS").formParam("comment", "should have waited an hour")
                .post("/ui/break-glass/" + glass + "/review").then().statusCode(303);
        assertThat(admin.request().get("/ui/break-glass").then().statusCode(200).extract().asString())
                .contains("CONCERNS by admin", "should have waited an hour");
    }

    @Test
    void auditorsSearchReadAndVerifyTheTrail() {
        String candidate = Api.submitted("alice", Submissions.model(Submissions.uniqueName("aud"), "1.0.0"));
        UiSession audrey = UiSession.signIn("audrey");
        String found = audrey.request().queryParam("subject", candidate).get("/ui/audit").then().statusCode(200)
                .extract().asString();
        assertThat(found).contains("<td>submitted</td>", "<td>alice</td>");
        Matcher seq = Pattern.compile("/ui/audit/entries/(\\d+)").matcher(found);
        assertThat(seq.find()).isTrue();
        assertThat(audrey.request().get("/ui/audit/entries/" + seq.group(1)).then().statusCode(200).extract().asString())
                .contains("Previous hash", "Hash");
        assertThat(audrey.request().get("/ui/audit/verify").then().statusCode(200).extract().asString())
                .contains("The chain is intact");
        assertThat(audrey.request().queryParam("from", "yesterday").get("/ui/audit").statusCode()).isEqualTo(400);
    }

    @Test
    void anAdminCreatesATokenSeesTheSecretOnceAndRevokesIt() {
        UiSession admin = UiSession.signIn("admin");
        String name = Submissions.uniqueName("ui-token");
        Response created = admin.form().formParam("name", name).formParam("owner", "ci-ui")
                .formParam("roles", "submitter").formParam("roles", "monitor").formParam("expiresInDays", "7")
                .post("/ui/admin/tokens");
        assertThat(created.statusCode()).isEqualTo(201);
        Matcher secret = Pattern.compile("value=\"(tg_[^\"]+)\"").matcher(created.asString());
        assertThat(secret.find()).as("the secret is on the answer page").isTrue();
        Api.anonymous().header("Authorization", "Bearer " + secret.group(1)).get("/api/v1/candidates?limit=1")
                .then().statusCode(200);

        String list = admin.request().get("/ui/admin/tokens").then().statusCode(200).extract().asString();
        assertThat(list).contains(name).doesNotContain(secret.group(1));
        String id = Api.as("admin").get("/api/v1/admin/tokens").then().extract().jsonPath()
                .getString("find { it.name == '" + name + "' }.id");
        Response revoked = admin.form().post("/ui/admin/tokens/" + id + "/revoke");
        assertThat(revoked.statusCode()).isEqualTo(303);
        Api.anonymous().header("Authorization", "Bearer " + secret.group(1)).get("/api/v1/candidates?limit=1")
                .then().statusCode(401);

        Response refused = admin.form().formParam("name", "x").formParam("owner", "y").formParam("roles", "approver")
                .post("/ui/admin/tokens");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("cannot be given to a token");
    }
}
