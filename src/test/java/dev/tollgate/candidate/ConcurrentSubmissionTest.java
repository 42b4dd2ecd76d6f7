package dev.tollgate.candidate;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A CI job that retries after a timeout sends the same submission again, maybe while the first still runs. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ConcurrentSubmissionTest {

    private static final int RETRIES = 6;
    private static final String ALREADY_SUBMITTED = "https://tollgate.dev/problems/already-submitted";

    private static List<Response> atOnce(int n, Function<Integer, Response> request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Response> call = () -> {
                    start.await();
                    return request.apply(index);
                };
                futures.add(pool.submit(call));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Response submit(String body, String key) {
        var request = as("alice").contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/candidates");
    }

    private static Map<Integer, Long> statuses(List<Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(Response::statusCode, Collectors.counting()));
    }

    @Test
    void identicalSubmissionsAtOnceWithOneIdempotencyKeyCreateOneCandidateAndAnswerItToAll() throws Exception {
        String body = Submissions.model(Submissions.uniqueName("retry-key"), "1.0.0");
        String key = "ci-build-" + UUID.randomUUID();

        List<Response> responses = atOnce(RETRIES, i -> submit(body, key));

        assertThat(statuses(responses)).isEqualTo(Map.of(201, 1L, 200, (long) RETRIES - 1));
        assertThat(responses.stream().map(r -> r.<String>path("id")).distinct()).hasSize(1);
    }

    @Test
    void identicalSubmissionsAtOnceWithoutAKeyCreateOneCandidateAndConflictForTheOthers() throws Exception {
        String body = Submissions.model(Submissions.uniqueName("retry-nokey"), "1.0.0");

        List<Response> responses = atOnce(RETRIES, i -> submit(body, null));

        assertThat(statuses(responses)).isEqualTo(Map.of(201, 1L, 409, (long) RETRIES - 1));
        String id = responses.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow().path("id");
        responses.stream().filter(r -> r.statusCode() == 409).forEach(r -> {
            assertThat(r.<String>path("type")).isEqualTo(ALREADY_SUBMITTED);
            assertThat(r.<String>path("candidateId")).isEqualTo(id);
        });
    }

    @Test
    void oneIdempotencyKeyForTwoDifferentBodiesAtOnceCreatesOneAndRefusesTheOther() throws Exception {
        String name = Submissions.uniqueName("retry-reuse");
        String key = "ci-build-" + UUID.randomUUID();
        List<String> bodies = List.of(Submissions.model(name, "1.0.0"), Submissions.model(name, "1.0.1"));

        List<Response> responses = atOnce(2, i -> submit(bodies.get(i), key));

        assertThat(statuses(responses)).isEqualTo(Map.of(201, 1L, 422, 1L));
    }

    @Test
    void aResubmissionWithoutAKeyIsAConflictNamingTheExistingCandidate() {
        String body = Submissions.model(Submissions.uniqueName("resubmit"), "1.0.0");
        String id = submit(body, null).then().statusCode(201).extract().path("id");

        Response again = submit(body, null);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.<String>path("type")).isEqualTo(ALREADY_SUBMITTED);
        assertThat(again.<String>path("candidateId")).isEqualTo(id);
    }
}
