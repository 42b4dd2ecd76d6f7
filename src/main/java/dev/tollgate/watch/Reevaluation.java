package dev.tollgate.watch;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One re-evaluation of a version in production (reevaluation.bpmn): why it started, the suites asked for again,
 * the verdict against the gates and the original evaluation, and how it ended.
 */
@Entity
@Table(name = "reevaluation")
public class Reevaluation {

    /** What started it. */
    public enum Trigger {
        /** The provider answered with another model, or another fingerprint, than the version was evaluated with. */
        PROVIDER_CHANGE,
        /** The prompt's floating model alias now resolves to another snapshot. */
        ALIAS_CHANGE,
        /** A drift metric beyond its bound, or a firing alert. */
        DRIFT,
        /** The policy's schedule ({@code reevaluation.every}). */
        SCHEDULE,
        /** A signal beyond its bound inside the verification window after the release: failed already. */
        VERIFICATION
    }

    public enum Status {
        /** Waiting for the suites. */
        RUNNING,
        /** Judged; a "keep or roll back" task waits for people. */
        AWAITING_DECISION,
        /** Passed, and the policy accepts that quietly. */
        PASSED,
        /** People decided to keep the version (or nobody decided in time: kept, and flagged). */
        KEPT,
        /** A rollback to the earlier version was requested (automatically or by people). */
        ROLLED_BACK,
        /** Ended without a verdict: the alert resolved, or the version left production. */
        ENDED;

        public boolean isOpen() {
            return this == RUNNING || this == AWAITING_DECISION;
        }
    }

    public enum Verdict { PASSED, FAILED }

    /** What follows the verdict: nothing, people decide, or an automatic rollback. */
    public enum Reaction { NONE, ASK, ROLL_BACK }

    @Id
    public UUID id;

    @Column(name = "candidate_id")
    public UUID candidateId;

    public String kind;

    public String name;

    @Enumerated(EnumType.STRING)
    public Trigger trigger;

    public String reason;

    @Column(name = "policy_digest")
    public String policyDigest;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public String[] suites;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Enumerated(EnumType.STRING)
    public Verdict verdict;

    @Enumerated(EnumType.STRING)
    public Reaction reaction;

    @Column(name = "process_instance_id")
    public String processInstanceId;

    /** Signals taken in: the one that started it and every one merged into it since. */
    public int signals;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(name = "judged_at")
    public Instant judgedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, Object>> gates;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Map<String, Object>> comparison;

    /** How it ended, in words. */
    public String outcome;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "rollback_to")
    public UUID rollbackTo;

    @Version
    @Column(name = "row_version")
    public long rowVersion;

    public List<String> suiteList() {
        return suites == null ? List.of() : List.of(suites);
    }

    void end(Status to, String how, Instant at) {
        status = to;
        outcome = how;
        endedAt = at;
    }
}
