package dev.tollgate.audit;

import static dev.tollgate.testing.Api.anonymous;
import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A flood of refused requests becomes a few counted entries, not one entry each. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class DeniedAttemptsTest {

    private static final int FLOOD = 60;

    private static List<java.util.Map<String, Object>> deniedSince(Instant since, String actor) {
        return as("audrey").queryParam("type", "access.denied").queryParam("actor", actor)
                .queryParam("from", since.toString()).queryParam("limit", 1000)
                .get("/api/v1/audit").then().statusCode(200).extract().jsonPath().getList("items.data");
    }

    private static long counted(List<java.util.Map<String, Object>> entries, String path) {
        return entries.stream().filter(d -> path.equals(d.get("path")))
                .mapToLong(d -> ((Number) d.get("count")).longValue()).sum();
    }

    @Test
    void anonymousRefusalsAreCountedPerAddressAndPathPatternIntoFewEntries() {
        Instant since = Instant.now();
        for (int i = 0; i < FLOOD; i++) {
            anonymous().get("/api/v1/candidates/" + UUID.randomUUID()).then().statusCode(401);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(counted(deniedSince(since, "anonymous"), "/api/v1/candidates/{id}")).isEqualTo(FLOOD));
        List<java.util.Map<String, Object>> entries = deniedSince(since, "anonymous").stream()
                .filter(d -> "/api/v1/candidates/{id}".equals(d.get("path"))).toList();
        assertThat(entries.size()).as("entries for %d refusals", FLOOD).isLessThanOrEqualTo(FLOOD / 10);
        assertThat(entries.get(0)).containsKeys("address", "firstAt", "lastAt").containsEntry("status", 401);
    }

    @Test
    void aLongPathIsCutAndNumbersBecomePlaceholders() {
        Instant since = Instant.now();
        as("mona").get("/api/v1/audit/production/MODEL/" + "x".repeat(3000)).then().statusCode(403);
        as("mona").get("/api/v1/audit/verify").then().statusCode(403);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<java.util.Map<String, Object>> entries = deniedSince(since, "mona");
            assertThat(counted(entries, "/api/v1/audit/verify")).isEqualTo(1);
            assertThat(counted(entries, "/api/v1/audit/production/MODEL/{…}")).isEqualTo(1);
            assertThat(entries).allSatisfy(d -> assertThat(((String) d.get("path")).length()).isLessThanOrEqualTo(201));
        });
    }

    @Test
    void pathsBecomePatterns() {
        assertThat(DeniedAttempts.pattern("/api/v1/approvals/" + UUID.randomUUID() + "/decision"))
                .isEqualTo("/api/v1/approvals/{id}/decision");
        assertThat(DeniedAttempts.pattern("/ui/audit/entries/42")).isEqualTo("/ui/audit/entries/{n}");
        assertThat(DeniedAttempts.pattern("/" + "a".repeat(65))).isEqualTo("/{…}");
        assertThat(DeniedAttempts.pattern("/x/".repeat(100))).hasSize(DeniedAttempts.MAX_PATH + 1);
    }
}
