package dev.tollgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.AppProcess;
import dev.tollgate.testing.TestServices;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The packaged application with low limits: a caller beyond them gets 429 with Retry-After, others go on. */
class RateLimitIT {

    private static TestServices services;
    private static AppProcess app;

    @BeforeAll
    static void start() throws Exception {
        services = TestServices.start();
        Map<String, String> config = new HashMap<>(services.config());
        config.put("tollgate.rate-limit.api.per-second", "1");
        config.put("tollgate.rate-limit.api.burst", "10");
        config.put("tollgate.rate-limit.login.per-minute", "3");
        app = AppProcess.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (services != null) {
            services.close();
        }
    }

    private static Response get(String user, String password) {
        var request = given().baseUri("http://localhost").port(app.port()).accept("application/json");
        if (user != null) {
            request = request.auth().preemptive().basic(user, password);
        }
        return request.get("/api/v1/candidates?limit=1");
    }

    private static Map<Integer, Long> statuses(List<Response> responses) {
        Map<Integer, Long> counts = new HashMap<>();
        responses.forEach(r -> counts.merge(r.statusCode(), 1L, Long::sum));
        return counts;
    }

    @Test
    void aCallerBeyondItsLimitGets429WithRetryAfterWhileOthersGoOn() {
        List<Response> bobs = java.util.stream.IntStream.range(0, 20).mapToObj(i -> get("bob", "demo")).toList();

        assertThat(statuses(bobs).get(200)).isBetween(10L, 12L);
        Response refused = bobs.get(bobs.size() - 1);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.<String>path("type")).isEqualTo("https://tollgate.dev/problems/too-many-requests");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isPositive();
        assertThat(get("carol", "demo").statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordsAreLimitedPerAddress() {
        List<Response> guesses = java.util.stream.IntStream.range(0, 20).mapToObj(i -> get("rita", "guess" + i)).toList();

        assertThat(statuses(guesses)).containsKeys(401, 429);
        assertThat(guesses.get(guesses.size() - 1).statusCode()).isEqualTo(429);
    }

    @Test
    void theLoginFormRefusesFastGuessing() {
        List<Integer> attempts = java.util.stream.IntStream.range(0, 6).mapToObj(i -> given().baseUri("http://localhost")
                .port(app.port()).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "audrey").formParam("j_password", "guess" + i)
                .post("/j_security_check").statusCode()).toList();

        assertThat(attempts.subList(0, 3)).doesNotContain(429);
        assertThat(attempts.get(5)).isEqualTo(429);
    }
}
