package dev.tollgate.candidate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** One transition or decision in a candidate's life; {@code seq} is also its event's ce_sequence. */
@Entity
@Table(name = "candidate_history")
@IdClass(HistoryEntry.Key.class)
public class HistoryEntry {

    @Id
    @Column(name = "candidate_id")
    public UUID candidateId;

    @Id
    public int seq;

    public Instant at;

    @Column(name = "event_type")
    public String eventType;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_stage")
    public Stage fromStage;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_stage")
    public Stage toStage;

    public String actor;

    public String reason;

    /** Composite key (candidate, seq). */
    public static class Key implements Serializable {
        public UUID candidateId;
        public int seq;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.seq == seq && java.util.Objects.equals(k.candidateId, candidateId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(candidateId, seq);
        }
    }
}
