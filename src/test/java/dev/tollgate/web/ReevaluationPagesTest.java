package dev.tollgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.UiSession;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pages of a version re-evaluated in production (docs/ui.md): the banner while a re-evaluation runs, the
 * re-evaluation's page, and its "keep or roll back" task in the approvers' inbox.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ReevaluationPagesTest {

    private static final String MODEL = "gpt-4o-2024-08-06";
    private static final Pattern NEXT_PAGE = Pattern.compile("href=\"(/ui/inbox\\?cursor=[^\"]+)\" rel=\"next\"");

    /** A prompt in production on the watched pipeline, and the re-evaluation a new fingerprint started. */
    private record Watched(String candidateId, String name, String reevaluationId) {
    }

    private static Watched reevaluating(String submitter) {
        String name = Submissions.uniqueName("ui-watch");
        String id = Watches.promptInProduction(submitter, "watched", name, "1", MODEL, "fp_a");
        String reevaluation = Watches.observe(name, MODEL, "fp_b").statusCode(201)
                .body("outcome", equalTo("REEVALUATION_STARTED")).extract().path("reevaluationId");
        return new Watched(id, name, reevaluation);
    }

    private static Watched reevaluating() {
        return reevaluating("alice");
    }

    /** The suite reports a relevance below the original: the re-evaluation fails and asks people. */
    private static String failedAndAsking(Watched watched) {
        Watches.reportAgain(watched.candidateId(), "golden-set", 0.60, true).statusCode(201);
        return Watches.reevaluation(watched.reevaluationId()).body("status", equalTo("AWAITING_DECISION"))
                .extract().path("task.taskId");
    }

    private static String page(UiSession session, String path) {
        return session.request().get(path).then().statusCode(200).extract().asString();
    }

    @Test
    void theCandidatePageShowsTheBannerWhileAReevaluationRunsAndNotAfter() {
        Watched watched = reevaluating();
        UiSession audrey = UiSession.signIn("audrey");

        String running = page(audrey, "/ui/candidates/" + watched.candidateId());
        assertThat(running).contains("id=\"reevaluation-banner\"", "role=\"status\"", "is under way",
                "the suites to report again", "golden-set", "1 taken in",
                "href=\"/ui/reevaluations/" + watched.reevaluationId() + "\"");
        assertThat(running).as("the pinned snapshot beside the last observed one")
                .contains("id=\"snapshots\"", "fp_a", "fp_b", "(differs)", "Verification window");

        Watches.reportAgain(watched.candidateId(), "golden-set", 0.87, true).statusCode(201);
        String passed = page(audrey, "/ui/candidates/" + watched.candidateId());
        assertThat(passed).doesNotContain("id=\"reevaluation-banner\"");
        assertThat(passed).as("the re-evaluation stays listed").contains("id=\"reevaluations\"",
                "href=\"/ui/reevaluations/" + watched.reevaluationId() + "\"", "passed");
    }

    @Test
    void theReleasePageShowsTheBannerForTheVersionInProduction() {
        Watched watched = reevaluating();

        String release = page(UiSession.signIn("mona"), "/ui/releases/PROMPT/" + watched.name());

        assertThat(release).contains("id=\"reevaluation-banner\"", "version 1, in production now",
                "href=\"/ui/reevaluations/" + watched.reevaluationId() + "\"");
        assertThat(release).contains("id=\"snapshots\"", "fp_a", "fp_b");
    }

    @Test
    void theReevaluationPageShowsItsSignalsGatesAndComparison() {
        Watched watched = reevaluating();
        failedAndAsking(watched);

        String page = page(UiSession.signIn("eve"), "/ui/reevaluations/" + watched.reevaluationId());

        assertThat(page).contains("Re-evaluation: PROMPT " + watched.name() + " 1", "awaiting decision");
        assertThat(page).as("the signals").contains("id=\"signals\"", "support-api serving log",
                "started a re-evaluation");
        assertThat(page).as("the gates judged again").contains("id=\"reevaluation-gates\"", "answer_relevance",
                "✘ failed", "0.6", "0.86");
        assertThat(page).as("then and now").contains("id=\"comparison\"");
        assertThat(page).as("the provider change").contains("id=\"provider-change\"", "fp_a", "fp_b");
        assertThat(page).as("the timeline").contains("id=\"timeline\"", "suite golden-set reported",
                "keep-or-roll-back task opened");
        assertThat(page.indexOf("started a re-evaluation")).as("the signal comes before the start it caused")
                .isLessThan(page.indexOf("started: "));
        assertThat(page).as("eve may not decide: no link to the task").doesNotContain("open-reevaluation-task");
    }

    @Test
    void anUnknownReevaluationIsNotFound() {
        Response missing = UiSession.signIn("audrey").request()
                .get("/ui/reevaluations/00000000-0000-0000-0000-000000000001");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("text/html");
    }

    @Test
    void theDecisionTaskIsInTheApproversInboxMarkedAsKeepOrRollBack() {
        Watched watched = reevaluating();
        String task = failedAndAsking(watched);

        String row = inboxRow(UiSession.signIn("bob"), task);

        assertThat(row).contains(watched.name(), "keep or roll back");
    }

    @Test
    void theTaskPageOffersKeepAndRollBackAndKeepingClosesTheReevaluationAsKept() {
        Watched watched = reevaluating();
        String task = failedAndAsking(watched);
        UiSession bob = UiSession.signIn("bob");

        String form = page(bob, "/ui/tasks/" + task);
        assertThat(form).contains("Keep or roll back: PROMPT " + watched.name() + " 1", "value=\"KEEP\"",
                "value=\"ROLL_BACK\"", "required to roll back", "id=\"reevaluation-gates\"", "id=\"provider-change\"")
                .doesNotContain("value=\"APPROVE\"", "id=\"prompt-diff\"");

        Response kept = bob.form().formParam("decision", "KEEP")
                .formParam("comment", "the dip is the new snapshot's phrasing; watched").post("/ui/tasks/" + task + "/decision");
        assertThat(kept.statusCode()).isEqualTo(303);
        assertThat(kept.header("Location")).endsWith("/ui/candidates/" + watched.candidateId() + "?voted=KEEP");
        Watches.reevaluation(watched.reevaluationId()).body("status", equalTo("KEPT")).body("decidedBy", equalTo("bob"));

        String after = page(bob, "/ui/candidates/" + watched.candidateId() + "?voted=KEEP");
        assertThat(after).contains("id=\"flash\"", "decision to keep this version is recorded")
                .doesNotContain("id=\"reevaluation-banner\"");
        assertThat(page(bob, "/ui/tasks/" + task)).contains("bob</strong> kept", "closed (kept)");
    }

    @Test
    void theSubmitterOfTheVersionIsRefusedItsDecisionTask() {
        // sam submits and approves: the version is his, so separation of duties keeps him from deciding on it.
        Watched watched = reevaluating("sam");
        String task = failedAndAsking(watched);
        UiSession sam = UiSession.signIn("sam");

        String page = page(sam, "/ui/tasks/" + task);
        assertThat(page).contains("id=\"refusal\"", "Separation of duties").doesNotContain("value=\"KEEP\"");
        assertThat(page(sam, "/ui/candidates/" + watched.candidateId())).contains("id=\"reevaluation-banner\"")
                .doesNotContain("open-reevaluation-task");
        Response posted = sam.form().formParam("decision", "KEEP").formParam("comment", "mine")
                .post("/ui/tasks/" + task + "/decision");
        assertThat(posted.statusCode()).isEqualTo(403);
        Watches.reevaluation(watched.reevaluationId()).body("status", equalTo("AWAITING_DECISION"));
    }

    @Test
    void rollingBackWithoutACommentShowsTheFormAgainWithTheFieldError() {
        Watched watched = reevaluating();
        String task = failedAndAsking(watched);

        Response refused = UiSession.signIn("bob").form().formParam("decision", "ROLL_BACK")
                .post("/ui/tasks/" + task + "/decision");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.asString()).contains("id=\"comment-error\"", "required when rolling back",
                "aria-invalid=\"true\"", "value=\"ROLL_BACK\"");
        Watches.reevaluation(watched.reevaluationId()).body("status", equalTo("AWAITING_DECISION"));
    }

    /** The inbox row linking to the task, following the pages: other tests leave tasks open in the same database. */
    private static String inboxRow(UiSession session, String task) {
        String path = "/ui/inbox";
        while (path != null) {
            String inbox = page(session, path);
            int link = inbox.indexOf("href=\"/ui/tasks/" + task + "\"");
            if (link >= 0) {
                return inbox.substring(inbox.lastIndexOf("<tr>", link), inbox.indexOf("</tr>", link));
            }
            Matcher next = NEXT_PAGE.matcher(inbox);
            path = next.find() ? next.group(1).replace("&amp;", "&") : null;
        }
        throw new AssertionError("task " + task + " is not in the inbox");
    }
}
