package dev.tollgate.events;

import static dev.tollgate.testing.Api.anonymous;
import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.tollgate.testing.TollgateServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What operators see of the outbox: its backlog in readiness and metrics, and old rows pruned. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class OutboxOperationsTest {

    @Inject
    EntityManager em;

    @Test
    void readinessShowsTheBacklogAndWhetherThisInstanceIsTheActiveRelay() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> anonymous().get("/q/health/ready").then()
                .body("checks.find { it.name == 'outbox' }.data.activeRelayHere", equalTo(true))
                .body("checks.find { it.name == 'outbox' }.status", equalTo("UP")));
        as("mona").accept("text/plain").get("/q/metrics").then().statusCode(200)
                .body(containsString("tollgate_outbox_backlog_events"))
                .body(containsString("tollgate_outbox_backlog_age_seconds"))
                .body(containsString("tollgate_outbox_relay_active 1.0"));
    }

    @Test
    void kafkaIsAWellnessCheckSoThatAnOutageNeverTakesTheInstanceOutOfService() {
        anonymous().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'kafka' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'kafka' }.data.brokers", equalTo(1));
        anonymous().get("/q/health/ready").then()
                .body("checks.name", not(hasItem(containsStringIgnoringCase("kafka"))));
    }

    @Test
    void sentEventsOlderThanTheRetentionArePruned() {
        UUID old = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into outbox_event (event_id, topic, record_key, event_type, subject, sequence, occurred_at,
                                                  payload, sent_at)
                        values (:id, 'tollgate.promotions', 'MODEL/pruned', 'dev.tollgate.promotion.submitted', 'x', 1,
                                now() - interval '3 hours', '{}', now() - interval '3 hours')""")
                .setParameter("id", old).executeUpdate());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("select count(*) from outbox_event where event_id = :id")
                        .setParameter("id", old).getSingleResult()).longValue())).isZero());
    }
}
