package dev.tollgate.examples;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.tollgate.local.KafkaBroker;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import dev.tollgate.testing.Watches;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * examples/monitor/Monitor.java, run as its README says, tells Tollgate once about each snapshot a serving log shows
 * answering a prompt in production, however often it reads the log.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class MonitorExampleTest {

    private static final Path PROJECT = Path.of(System.getProperty("tollgate.project.dir",
            System.getProperty("user.dir")));
    private static final String MODEL = "gpt-4o-2024-08-06";
    private static final Pattern SIGNAL_ID = Pattern.compile("signal (serving-log-[0-9a-f]{32}):");

    /** What one run of the monitor printed, and how it ended. */
    private record Run(int exitCode, String output) {

        String lineAbout(String fingerprint) {
            return output.lines().filter(l -> l.contains(" " + fingerprint + ",")).findFirst().orElse(output);
        }

        String signalIdAbout(String fingerprint) {
            Matcher m = SIGNAL_ID.matcher(lineAbout(fingerprint));
            return m.find() ? m.group(1) : output;
        }
    }

    @Test
    void theMonitorReportsAFingerprintChangeOnceHoweverOftenItReadsTheLog() throws Exception {
        String name = Submissions.uniqueName("monitored");
        String id = Watches.promptInProduction("watched", name, "1", MODEL, "fp_a");
        Path log = Files.createTempFile("serving-", ".jsonl");
        try {
            Files.writeString(log, """
                    {"ts": "2026-12-07T09:00:01Z", "prompt": "%1$s", "provider": "openai", "model": "%2$s", "system_fingerprint": "fp_a", "request_id": "req_1"}
                    {"ts": "2026-12-07T09:00:02Z", "prompt": "%1$s", "provider": "openai", "model": "%2$s", "system_fingerprint": "fp_a", "request_id": "req_2"}
                    2026-12-07 09:00:03 INFO support-api: pool grew to 32
                    {"ts": "2026-12-07T09:00:04Z", "prompt": "%1$s", "provider": "openai", "request_id": "req_3", "error": "timeout"}
                    {"ts": "2026-12-07T09:10:00Z", "prompt": "%1$s", "provider": "openai", "model": "%2$s", "system_fingerprint": "fp_b", "request_id": "req_4"}
                    {"ts": "2026-12-07T09:10:01Z", "prompt": "%1$s", "provider": "openai", "model": "%2$s", "system_fingerprint": "fp_a", "request_id": "req_5"}
                    {"ts": "2026-12-07T09:10:02Z", "prompt": "%1$s", "provider": "openai", "model": "%2$s", "system_fingerprint": "fp_b", "request_id": "req_6"}
                    """.formatted(name, MODEL));

            Run first = monitor(log, "--user", "mona", "--password", "demo");

            assertThat(first.exitCode()).as(first.output()).isZero();
            assertThat(first.lineAbout("fp_a")).startsWith("[monitor] 201 NO_CHANGE " + name + " openai " + MODEL)
                    .contains("first seen 2026-12-07T09:00:01Z (3 lines)");
            assertThat(first.lineAbout("fp_b")).startsWith("[monitor] 201 REEVALUATION_STARTED " + name);
            assertThat(first.output()).contains("7 lines, 5 provider responses, 2 skipped (1 not a JSON object, 1 "
                    + "without ts, prompt, provider or model); 2 observations: 2 new, 0 already received");
            String reevaluation = onlyReevaluationOf(id);
            assertThat(first.lineAbout("fp_b")).endsWith("; re-evaluation " + reevaluation);
            Watches.reevaluation(reevaluation).body("trigger", equalTo("PROVIDER_CHANGE"))
                    .body("signals.signalId", contains(first.signalIdAbout("fp_b")));

            Run again = monitor(log, "--token", monitorToken());

            assertThat(again.exitCode()).as(again.output()).isZero();
            assertThat(again.lineAbout("fp_a")).startsWith("[monitor] 200 NO_CHANGE (already received) " + name);
            assertThat(again.lineAbout("fp_b"))
                    .startsWith("[monitor] 200 REEVALUATION_STARTED (already received) " + name)
                    .endsWith("; re-evaluation " + reevaluation);
            assertThat(again.output()).contains("2 observations: 0 new, 2 already received");
            assertThat(again.signalIdAbout("fp_b")).isEqualTo(first.signalIdAbout("fp_b"));
            assertThat(onlyReevaluationOf(id)).isEqualTo(reevaluation);
            Watches.reevaluation(reevaluation).body("signalCount", equalTo(1));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void theMonitorStopsWithAnErrorWhenTollgateRefusesItsCredentials() throws Exception {
        Run run = monitor(PROJECT.resolve("examples/monitor/serving-log.example.jsonl"),
                "--user", "bob", "--password", "demo");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("Tollgate answered 403").contains("the monitor role")
                .doesNotContain("observations:");
    }

    private static String onlyReevaluationOf(String candidateId) {
        return as("audrey").queryParam("candidateId", candidateId).get("/api/v1/reevaluations").then()
                .statusCode(200).body("items", hasSize(1)).extract().path("items[0].id");
    }

    /** An API token of the monitor role, as production runs the monitor. */
    private static String monitorToken() {
        return as("admin").contentType(ContentType.JSON).body("""
                {"name": "serving log monitor", "owner": "serving-log-monitor", "roles": ["monitor"],
                 "expiresInDays": 1}""")
                .post("/api/v1/admin/tokens").then().statusCode(201).extract().path("secret");
    }

    /** Runs examples/monitor/Monitor.java against this test's Tollgate, with the jars its pom.xml lists. */
    private static Run monitor(Path log, String... credentials) throws Exception {
        Path jars = KafkaBroker.dependenciesOf(PROJECT.resolve("examples/monitor/pom.xml"), "example-monitor");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", // starts and compiles the source file in about half the time
                "-cp", jars + File.separator + "*",
                PROJECT.resolve("examples/monitor/Monitor.java").toString(),
                "--url", RestAssured.baseURI + ":" + RestAssured.port,
                "--log", log.toString()));
        command.addAll(List.of(credentials));
        Path output = Files.createTempFile("monitor-", ".out");
        try {
            Process monitor = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            if (!monitor.waitFor(60, TimeUnit.SECONDS)) {
                monitor.destroyForcibly();
                throw new AssertionError("The monitor did not finish within 60 s:\n" + Files.readString(output));
            }
            return new Run(monitor.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
