package dev.tollgate.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.local.DemoData;
import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.Browser;
import dev.tollgate.testing.TestServices;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The approver's journey in a real browser (Debian's headless Chromium) against the packaged
 * application with the local run's demo users and demo data, on a real PostgreSQL and Kafka.
 * Screenshots land in target/screenshots/; with {@code TOLLGATE_DOCS_REGENERATE=true} the ones the
 * README shows are copied to docs/images/ as well.
 */
class ApproverJourneyBrowserIT {

    private static TestServices services;
    private static AppProcess app;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        services = TestServices.start();
        app = AppProcess.start(services.config());
        DemoData.load(app.baseUrl());
        browser = Browser.open(app.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
        if (services != null) {
            services.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.go("/ui/login");
        browser.clearCookies();
    }

    @Test
    void approverIsRefusedARejectionWithoutCommentThenApprovesAndSeesTheCandidateMoveOn() throws Exception {
        browser.go("/ui/inbox");
        assertThat(browser.path()).as("an anonymous visitor is sent to the login page").isEqualTo("/ui/login");
        browser.signInHere("bob");
        assertThat(browser.path()).as("after login, back where the visitor was going").isEqualTo("/ui/inbox");
        assertThat(browser.text("#inbox")).contains("support-answer", "ranking-model");
        assertThat(browser.text("#inbox-count")).isEqualTo("2");
        browser.resize(1280, 480);
        publish(browser.screenshot("inbox"), "ui-inbox.png");
        browser.resize(1280, 1000);

        JsonPath prompt = awaitingApproval("support-answer");
        browser.click("#inbox a[href='/ui/tasks/" + prompt.getString("approvals.taskId") + "']");
        assertThat(browser.text("h1")).isEqualTo("Decide: PROMPT support-answer 7");
        assertThat(browser.text("#prompt-diff"))
                .contains("+ Answer using only the context; say so when it does not cover the question.");
        assertThat(browser.text("#prompt-settings")).contains("gpt-4o-2024-05-13", "gpt-4o-2024-08-06");
        assertThat(browser.text("#gates")).contains("answer_relevance", "0.87", "0.84");
        // A new model version behind a customer-facing prompt is HIGH risk: an approver and a risk officer must agree.
        assertThat(browser.text("#risk-tier")).isEqualTo("HIGH");
        assertThat(browser.text("#quorum")).startsWith("0 of 2");
        browser.resize(1280, 2600);
        publish(browser.screenshot("task"), "ui-task.png");
        browser.resize(1280, 1000);

        browser.click("#reject");
        assertThat(browser.text("#error")).contains("correct the form");
        assertThat(browser.text("#comment-error")).contains("required when rejecting");
        assertThat(stageOf(prompt.getString("id"))).as("a refused rejection changes nothing")
                .isEqualTo("AWAITING_APPROVAL");
        browser.screenshot("task-reject-refused");

        browser.find("#comment").sendKeys("Grounding instruction is clearer; relevance up, toxicity down.");
        browser.click("#approve");
        assertThat(browser.path()).isEqualTo("/ui/candidates/" + prompt.getString("id"));
        assertThat(browser.text("#flash")).isEqualTo("Your approval is recorded.");
        assertThat(browser.text("#stage")).as("one of two approvals: still waiting").isEqualTo("AWAITING_APPROVAL");
        assertThat(browser.text("#approvals-summary")).startsWith("1 of 2");
        browser.signOut();

        browser.go("/ui/tasks/" + prompt.getString("approvals.taskId"));
        browser.signInHere("rita");
        assertThat(browser.text("#votes")).contains("bob approved", "Grounding instruction is clearer");
        browser.find("#comment").sendKeys("Model pin reviewed; refusal behaviour matches policy.");
        browser.click("#approve");
        assertThat(browser.path()).isEqualTo("/ui/candidates/" + prompt.getString("id"));
        assertThat(browser.text("#stage")).as("the quorum is met: the candidate moves on").isEqualTo("DEPLOYING_PRODUCTION");
        assertThat(browser.text("#timeline")).contains("approved", "by rita");
        assertThat(browser.all("svg.process g.current[data-node-id='WaitProduction']"))
                .as("the picture marks where the candidate stands").hasSize(1);
        browser.resize(1280, 1400);
        publish(browser.screenshot("candidate"), "ui-candidate.png");
        browser.resize(1280, 1000);
        assertThat(stageOf(prompt.getString("id"))).isEqualTo("DEPLOYING_PRODUCTION");
    }

    @Test
    void submitterSeesNoApproveButtonOnTheirOwnCandidate() throws Exception {
        browser.go("/ui/inbox");
        browser.signInHere("sam");
        assertThat(browser.text("main")).doesNotContain("ranking-model");

        JsonPath own = awaitingApproval("ranking-model");
        browser.go("/ui/tasks/" + own.getString("approvals.taskId"));
        assertThat(browser.all("#approve")).isEmpty();
        assertThat(browser.all("#reject")).isEmpty();
        assertThat(browser.text("#refusal")).contains("You submitted this candidate", "Separation of duties");
        browser.screenshot("own-candidate");

        browser.go("/ui/candidates/" + own.getString("id"));
        assertThat(browser.all("#open-task")).as("sam decides others' candidates, but gets no link to his own task")
                .isEmpty();
        browser.signOut();
        assertThat(browser.path()).isEqualTo("/ui/login");
        browser.go("/ui/inbox");
        assertThat(browser.path()).as("signed out means signed out").isEqualTo("/ui/login");
    }

    @Test
    void pagesStayUsableOnANarrowScreen() throws Exception {
        browser.resize(375, 800);
        try {
            browser.go("/ui/inbox");
            browser.signInHere("rita");
            assertThat(browser.find("#inbox").isDisplayed()).isTrue();
            Number overflow = (Number) browser.script(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(overflow.intValue()).as("the page itself never scrolls sideways (wide tables scroll in place)")
                    .isLessThanOrEqualTo(0);
            browser.screenshot("inbox-narrow");
        } finally {
            browser.resize(1280, 1000);
        }
    }

    @Test
    void everyPagePassesTheAutomatedAccessibilityChecks() throws Exception {
        Map<String, List<String>> violations = new LinkedHashMap<>();
        browser.go("/ui/login");
        violations.put("/ui/login", browser.accessibilityViolations());

        JsonPath ranking = awaitingApproval("ranking-model");
        browser.go("/ui/inbox");
        browser.signInHere("rita");
        for (String page : List.of("/ui/inbox", "/ui/tasks/" + ranking.getString("approvals.taskId"), "/ui/candidates",
                "/ui/candidates?kind=MODEL&stage=AWAITING_APPROVAL", "/ui/candidates/" + ranking.getString("id"),
                "/ui/releases", "/ui/releases/MODEL/fraud-scorer", "/ui/inventory", "/ui/inventory/PROMPT/support-answer")) {
            browser.go(page);
            violations.put(page, browser.accessibilityViolations());
        }
        browser.signOut();
        browser.go("/ui/audit");
        browser.signInHere("audrey");
        for (String page : List.of("/ui/audit", "/ui/audit/entries/1", "/ui/audit/verify")) {
            browser.go(page);
            violations.put(page, browser.accessibilityViolations());
        }
        browser.signOut();
        browser.go("/ui/admin/tokens");
        browser.signInHere("admin");
        violations.put("/ui/admin/tokens", browser.accessibilityViolations());
        // The admin's inventory has the registration form.
        browser.go("/ui/inventory");
        violations.put("/ui/inventory (admin)", browser.accessibilityViolations());
        browser.go("/ui/freezes");
        violations.put("/ui/freezes (admin)", browser.accessibilityViolations());
        browser.go("/ui/break-glass");
        violations.put("/ui/break-glass (admin)", browser.accessibilityViolations());

        violations.values().removeIf(List::isEmpty);
        assertThat(violations).as("axe-core %s, WCAG 2.1 A and AA", "4.10.2").isEmpty();

        // The check itself works: a page with an unlabelled field and no language fails it.
        browser.markup("<!DOCTYPE html><html><head><title>t</title></head><body><input></body></html>");
        assertThat(browser.accessibilityViolations()).anyMatch(v -> v.startsWith("label"))
                .anyMatch(v -> v.startsWith("html-has-lang"));
    }

    /**
     * docs/drift.md's first curl, as a new user runs it against the local run's demo data: the prompt in production
     * gets a new provider fingerprint, and the release and candidate pages show its re-evaluation.
     */
    @Test
    void theCurlOfTheDriftGuideStartsAReevaluationThatThePagesShow() throws Exception {
        String guide = Files.readString(Path.of(System.getProperty("tollgate.project.dir", ".")).resolve("docs/drift.md"));
        int curl = guide.indexOf("-u mona:demo");
        String body = guide.substring(guide.indexOf("-d '", curl) + 4, guide.indexOf("'\n```", curl));
        JsonPath answer = given().baseUri(app.baseUrl()).auth().preemptive().basic("mona", "demo")
                .contentType("application/json").body(body).post("/api/v1/signals").then().statusCode(201)
                .extract().jsonPath();
        assertThat(answer.getString("outcome")).isEqualTo("REEVALUATION_STARTED");

        browser.go("/ui/releases/PROMPT/support-answer");
        browser.signInHere("bob");
        assertThat(browser.text("#reevaluation-banner")).contains("golden-set", "safety");
        browser.go("/ui/candidates/" + answer.getString("candidateId"));
        assertThat(browser.text("#reevaluation-banner")).contains("golden-set", "safety");
        assertThat(browser.text("#snapshots")).contains("fp_44709d6fcb", "fp_f9f4fb6dbc");
        Map<String, List<String>> violations = new LinkedHashMap<>();
        for (String page : List.of("/ui/releases/PROMPT/support-answer", "/ui/candidates/" + answer.getString("candidateId"),
                "/ui/reevaluations/" + answer.getString("reevaluationId"))) {
            browser.go(page);
            violations.put(page, browser.accessibilityViolations());
        }
        browser.resize(1280, 1600);
        publish(browser.screenshot("reevaluation"), "ui-reevaluation.png");
        browser.resize(1280, 1000);
        violations.values().removeIf(List::isEmpty);
        assertThat(violations).as("axe-core %s, WCAG 2.1 A and AA", "4.10.2").isEmpty();
    }

    private static JsonPath awaitingApproval(String name) {
        return given().baseUri(app.baseUrl()).auth().preemptive().basic("audrey", "demo")
                .queryParam("name", name).queryParam("stage", "AWAITING_APPROVAL")
                .get("/api/v1/candidates").then().statusCode(200).extract().jsonPath().setRootPath("items[0]");
    }

    private static String stageOf(String id) {
        return given().baseUri(app.baseUrl()).auth().preemptive().basic("audrey", "demo")
                .get("/api/v1/candidates/" + id).then().statusCode(200).extract().path("stage");
    }

    /** Copies a screenshot into docs/images/ when the docs are being regenerated. */
    private static void publish(Path screenshot, String name) throws Exception {
        if ("true".equalsIgnoreCase(System.getenv("TOLLGATE_DOCS_REGENERATE"))) {
            Path docs = Path.of(System.getProperty("tollgate.project.dir", ".")).resolve("docs/images");
            Files.createDirectories(docs);
            Files.copy(screenshot, docs.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("[docs] wrote docs/images/" + name);
        }
    }
}
