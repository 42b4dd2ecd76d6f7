package dev.tollgate.events;

/**
 * Every CloudEvent type and topic Tollgate publishes or consumes. Nothing else in the code base
 * spells these strings; docs/events.md describes each one.
 */
public final class EventTypes {

    public static final String PROMOTIONS_TOPIC = "tollgate.promotions";
    public static final String DEPLOYMENTS_TOPIC = "tollgate.deployments";
    public static final String AUDIT_TOPIC = "tollgate.audit";
    /** Signals from monitors (drift, provider observations), the Kafka twin of {@code POST /api/v1/signals}. */
    public static final String SIGNALS_TOPIC = "tollgate.signals";
    /** Governance: the inventory of models and prompts (docs/governance.md). */
    public static final String GOVERNANCE_TOPIC = "tollgate.governance";
    /** The audit chain's head, published outside the database (docs/audit.md). */
    public static final String AUDIT_CHECKPOINT = "dev.tollgate.audit.checkpoint";
    public static final String SOURCE = "/tollgate";

    public static final String PROMOTION_PREFIX = "dev.tollgate.promotion.";
    private static final String PREFIX = PROMOTION_PREFIX;

    public static final String SUBMITTED = PREFIX + "submitted";
    public static final String EVALUATION_STARTED = PREFIX + "evaluation.started";
    public static final String EVALUATION_PASSED = PREFIX + "evaluation.passed";
    public static final String EVALUATION_FAILED = PREFIX + "evaluation.failed";
    public static final String RISK_ASSESSED = PREFIX + "risk.assessed";
    public static final String APPROVAL_REQUESTED = PREFIX + "approval.requested";
    public static final String APPROVAL_GRANTED = PREFIX + "approval.granted";
    public static final String APPROVAL_REMINDER = PREFIX + "approval.reminder";
    /** An emergency promotion past a freeze, the line or the quorum, its review, and its escalation when late. */
    public static final String BREAK_GLASS = PREFIX + "break-glass";
    public static final String BREAK_GLASS_REVIEWED = PREFIX + "break-glass.reviewed";
    public static final String BREAK_GLASS_ESCALATED = PREFIX + "break-glass.escalated";
    /** Votes set aside because evidence arrived after they were cast; a new task asks again. */
    public static final String APPROVAL_RESET = PREFIX + "approval.reset";
    public static final String APPROVED = PREFIX + "approved";
    public static final String REJECTED = PREFIX + "rejected";
    public static final String DEPLOYING = PREFIX + "deploying";
    public static final String DEPLOYED = PREFIX + "deployed";
    public static final String PROMOTED = PREFIX + "promoted";
    public static final String FAILED = PREFIX + "failed";
    public static final String CANCELLED = PREFIX + "cancelled";
    public static final String ROLLEDBACK = PREFIX + "rolledback";
    public static final String RETIRED = PREFIX + "retired";
    /** Watching the version in production (docs/drift.md). */
    public static final String DRIFT_DETECTED = PREFIX + "drift.detected";
    public static final String REEVALUATION_STARTED = PREFIX + "reevaluation.started";
    public static final String REEVALUATION_PASSED = PREFIX + "reevaluation.passed";
    public static final String REEVALUATION_FAILED = PREFIX + "reevaluation.failed";
    public static final String REEVALUATION_DECIDED = PREFIX + "reevaluation.decided";
    public static final String REEVALUATION_ENDED = PREFIX + "reevaluation.ended";
    public static final String VERIFICATION_PASSED = PREFIX + "verification.passed";
    public static final String VERIFICATION_FAILED = PREFIX + "verification.failed";
    /** Deployed to staging; approval opens once it has soaked there for the policy's time. */
    public static final String STAGING_SOAKING = PREFIX + "staging.soaking";
    /** Approved, but its production deployment waits for a freeze window to end or the line to restart. */
    public static final String PRODUCTION_HELD = PREFIX + "production.held";

    /** Changes to the inventory, on {@link #GOVERNANCE_TOPIC}, keyed by kind/name. */
    public static final String INVENTORY_PREFIX = "dev.tollgate.inventory.";
    public static final String INVENTORY_REGISTERED = INVENTORY_PREFIX + "registered";
    public static final String INVENTORY_UPDATED = INVENTORY_PREFIX + "updated";
    public static final String INVENTORY_CLASSIFIED = INVENTORY_PREFIX + "classified";

    /** Freeze windows and the stop-the-line switch, on {@link #GOVERNANCE_TOPIC}. */
    public static final String FREEZE_CREATED = "dev.tollgate.freeze.created";
    public static final String FREEZE_DELETED = "dev.tollgate.freeze.deleted";
    public static final String LINE_STOPPED = "dev.tollgate.line.stopped";
    public static final String LINE_RESTARTED = "dev.tollgate.line.restarted";

    /** What deployers report on {@link #DEPLOYMENTS_TOPIC}. */
    public static final String DEPLOYMENT_SUCCEEDED = "dev.tollgate.deployment.succeeded";
    public static final String DEPLOYMENT_FAILED = "dev.tollgate.deployment.failed";

    /** What monitors publish on {@link #SIGNALS_TOPIC}. */
    public static final String SIGNAL_DRIFT = "dev.tollgate.signal.drift";
    public static final String SIGNAL_PROVIDER = "dev.tollgate.signal.provider";

    private EventTypes() {
    }
}
