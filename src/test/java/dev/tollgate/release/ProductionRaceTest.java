package dev.tollgate.release;

import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.stageOf;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Twenty versions of one model race to production: there is never zero or two serving. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ProductionRaceTest {

    private static final int VERSIONS = 20;

    @Inject
    EntityManager em;

    @Test
    void racingPromotionsNeverLeaveZeroOrTwoVersionsInProduction() throws Exception {
        String name = Submissions.uniqueName("race");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < VERSIONS; i++) {
            String digest = "sha256:" + String.format("%064x", i + 1);
            String id = Promotions.throughStaging("alice", Submissions.model("standard", name, "1." + i + ".0", digest,
                    0.93, 41.0, true, false));
            decide("bob", taskOf(id), "APPROVE", "race").statusCode(200);
            ids.add(id);
        }
        assertThat(ids).allMatch(id -> stageOf(id).equals("DEPLOYING_PRODUCTION"));

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(VERSIONS);
        try {
            List<Future<Integer>> results = ids.stream().<Callable<Integer>>map(id -> () -> {
                start.await();
                return Promotions.deployment(id, "production", "SUCCEEDED").extract().statusCode();
            }).map(pool::submit).toList();
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        List<String> stages = ids.stream().map(dev.tollgate.testing.Api::stageOf).toList();
        assertThat(stages).filteredOn("IN_PRODUCTION"::equals).hasSize(1);
        assertThat(stages).filteredOn("RETIRED"::equals).hasSize(VERSIONS - 1);

        // The production periods of this name tile time: each one ends exactly when the next starts,
        // and only the last is open, so at no instant did zero or two versions serve.
        List<Object[]> periods = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        select started_at, ended_at from release_period
                        where kind = 'MODEL' and name = :name and environment = 'production' order by started_at""",
                        Object[].class)
                .setParameter("name", name).getResultList());
        assertThat(periods).hasSize(VERSIONS);
        IntStream.range(0, VERSIONS - 1).forEach(i ->
                assertThat(instant(periods.get(i)[1])).isEqualTo(instant(periods.get(i + 1)[0])));
        assertThat(periods.get(VERSIONS - 1)[1]).isNull();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
