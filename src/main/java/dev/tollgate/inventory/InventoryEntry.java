package dev.tollgate.inventory;

import dev.tollgate.candidate.Kind;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * The inventory's record of one model or prompt name: who owns it, what it is for, who may submit versions of
 * it, and its risk classification. The classification is a risk officer's; until one classifies the name it
 * is {@linkplain #classified() unclassified} and every risk factor a policy owns takes its riskiest value.
 */
@Entity
@Table(name = "inventory_entry")
@IdClass(InventoryEntry.Key.class)
public class InventoryEntry {

    /** The primary key: a name is registered once per kind. */
    public static class Key implements Serializable {
        public Kind kind;
        public String name;

        public Key() {
        }

        public Key(Kind kind, String name) {
            this.kind = kind;
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && Objects.equals(k.name, name);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, name);
        }
    }

    @Id
    @Enumerated(EnumType.STRING)
    public Kind kind;

    @Id
    public String name;

    @Column(name = "owner_team")
    public String ownerTeam;

    @Column(name = "intended_use")
    public String intendedUse;

    public String documentation;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> submitters;

    @Column(name = "customer_facing")
    public Boolean customerFacing;

    @Column(name = "personal_data")
    public Boolean personalData;

    @Column(name = "regulated_use")
    public Boolean regulatedUse;

    @Enumerated(EnumType.STRING)
    public Autonomy autonomy;

    @Column(name = "classified_by")
    public String classifiedBy;

    @Column(name = "classified_at")
    public Instant classifiedAt;

    @Column(name = "classification_reason")
    public String classificationReason;

    @Column(name = "registered_by")
    public String registeredBy;

    @Column(name = "registered_at")
    public Instant registeredAt;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** 1 when registered, one more for every change; the {@code sequence} of the name's inventory events. */
    public int revision;

    public boolean classified() {
        return classifiedAt != null;
    }

    /** The classification as the risk decision reads it; empty attributes when unclassified. */
    public Classification classification() {
        return classified() ? new Classification(customerFacing, personalData, regulatedUse, autonomy) : null;
    }

    /** Whether {@code principal} may submit versions of this name: anyone when no submitter is listed. */
    public boolean admitsSubmitter(String principal) {
        return submitters == null || submitters.isEmpty()
                || submitters.stream().anyMatch(s -> s.equalsIgnoreCase(principal));
    }
}
