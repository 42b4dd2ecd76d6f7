package dev.tollgate.workflow;

import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.inventory.Inventory;
import dev.tollgate.inventory.InventoryEntry;
import dev.tollgate.inventory.InventoryEntryView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The inventory as people read it: every registered name, and every name that has candidates without being
 * registered, with what serves in production now, its risk tier, its last evaluation report and its open
 * re-evaluations.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class InventoryViews {

    /** One name of the inventory; {@code entry} is null when the name has candidates but no entry. */
    @Schema(name = "InventoryItem")
    public record Item(String kind, String name, boolean registered, InventoryEntryView entry, Production production,
                       LastEvaluation lastEvaluation, long openReevaluations, long inFlight) {
    }

    /** The version serving in production, since when, and the risk tier it was approved at. */
    @Schema(name = "InventoryProduction")
    public record Production(UUID candidateId, String version, Instant since, String tier) {
    }

    /** The newest evaluation report of any version of the name. */
    @Schema(name = "InventoryLastEvaluation")
    public record LastEvaluation(UUID candidateId, String version, String suite, Boolean passed, Instant reportedAt,
                                 boolean reevaluation) {
    }

    /** Stages of versions no longer on their way to production. */
    private static final List<String> ENDED = Arrays.stream(Stage.values())
            .filter(stage -> stage.isTerminal() || stage == Stage.IN_PRODUCTION).map(Stage::name).toList();

    private final Inventory inventory;
    private final EntityManager em;

    InventoryViews(Inventory inventory, EntityManager em) {
        this.inventory = inventory;
        this.em = em;
    }

    public List<Item> all() {
        Map<String, Item> items = new TreeMap<>();
        for (InventoryEntry entry : inventory.all()) {
            items.put(entry.kind + "/" + entry.name, item(entry.kind, entry.name, entry));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> names = em.createNativeQuery("select distinct kind, name from candidate").getResultList();
        for (Object[] row : names) {
            Kind kind = Kind.valueOf((String) row[0]);
            String name = (String) row[1];
            items.computeIfAbsent(kind + "/" + name, key -> item(kind, name, null));
        }
        return new ArrayList<>(items.values());
    }

    public Optional<Item> find(Kind kind, String name) {
        return inventory.find(kind, name).map(entry -> item(kind, name, entry));
    }

    private Item item(Kind kind, String name, InventoryEntry entry) {
        return new Item(kind.name(), name, entry != null, entry == null ? null : InventoryEntryView.of(entry),
                production(kind, name), lastEvaluation(kind, name), count("""
                        select count(*) from reevaluation
                        where kind = :kind and name = :name and status in ('RUNNING', 'AWAITING_DECISION')""", kind, name),
                count("select count(*) from candidate where kind = :kind and name = :name and stage not in :ended",
                        kind, name));
    }

    private Production production(Kind kind, String name) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select p.candidate_id, p.version, p.started_at, r.tier
                        from release_period p left join risk_assessment r on r.candidate_id = p.candidate_id
                        where p.kind = :kind and p.name = :name and p.environment = 'production' and p.ended_at is null""")
                .setParameter("kind", kind.name()).setParameter("name", name).getResultList();
        return rows.stream().findFirst().map(r -> new Production((UUID) r[0], (String) r[1], instant(r[2]),
                (String) r[3])).orElse(null);
    }

    private LastEvaluation lastEvaluation(Kind kind, String name) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select c.id, c.version, e.suite, e.passed, e.reported_at, e.reevaluation_id is not null
                        from evaluation_report e join candidate c on c.id = e.candidate_id
                        where c.kind = :kind and c.name = :name
                        order by e.reported_at desc, e.id desc limit 1""")
                .setParameter("kind", kind.name()).setParameter("name", name).getResultList();
        return rows.stream().findFirst().map(r -> new LastEvaluation((UUID) r[0], (String) r[1], (String) r[2],
                (Boolean) r[3], instant(r[4]), (Boolean) r[5])).orElse(null);
    }

    private long count(String sql, Kind kind, String name) {
        var query = em.createNativeQuery(sql).setParameter("kind", kind.name()).setParameter("name", name);
        if (sql.contains(":ended")) {
            query.setParameter("ended", ENDED);
        }
        return ((Number) query.getSingleResult()).longValue();
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : (Instant) value;
    }
}
