package dev.tollgate.events;

import static dev.tollgate.testing.Api.as;
import static dev.tollgate.testing.Api.decide;
import static dev.tollgate.testing.Api.taskOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An event exists if and only if the transition it announces committed. */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class OutboxAtomicityTest {

    @Inject
    EntityManager em;

    @Test
    void everyHistoryEntryHasExactlyOneOutboxEventWithTheSameSequence() {
        String id = Promotions.toProduction(Submissions.model(Submissions.uniqueName("pairs"), "1.0.0"));

        List<Object[]> pairs = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                        select h.seq, o.sequence, h.event_type, o.event_type
                        from candidate_history h full join outbox_event o
                          on o.subject = cast(h.candidate_id as text) and o.sequence = h.seq
                        where h.candidate_id = :id or o.subject = :text
                        order by coalesce(h.seq, o.sequence)""", Object[].class)
                .setParameter("id", UUID.fromString(id))
                .setParameter("text", id)
                .getResultList());
        assertThat(pairs).hasSize(12).allSatisfy(row -> {
            assertThat(row[0]).isEqualTo(row[1]);
            assertThat(row[2]).isEqualTo(row[3]);
        });
    }

    @Test
    void voteThatCannotCompleteRollsBackWithItsEvents() {
        String id = Promotions.throughStaging("alice", Submissions.model(Submissions.uniqueName("rollback"), "1.0.0"));
        String task = taskOf(id);
        PromotionEvents.awaitFor(id, PromotionEvents.containsType(EventTypes.APPROVAL_REQUESTED), Duration.ofSeconds(30));
        // The engine loses the waiting instance (as if an operator deleted it): completing the vote must fail.
        String processInstanceId = QuarkusTransaction.requiringNew().call(() -> (String) em
                .createNativeQuery("select process_instance_id from candidate where id = :id")
                .setParameter("id", UUID.fromString(id)).getSingleResult());
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("delete from process_instances where id = :pid")
                .setParameter("pid", processInstanceId).executeUpdate());

        decide("bob", task, "APPROVE", "will not stick").statusCode(409);

        as("carol").get("/api/v1/approvals?limit=200").then().body("items.taskId", hasItem(task));
        as("audrey").get("/api/v1/candidates/" + id + "/history").then().body("size()", equalTo(7));
        long granted = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                        "select count(*) from outbox_event where subject = :id and event_type = :type")
                .setParameter("id", id).setParameter("type", EventTypes.APPROVAL_GRANTED)
                .getSingleResult()).longValue());
        assertThat(granted).isZero();
    }
}
