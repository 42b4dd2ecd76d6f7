package dev.tollgate.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The {@code data} of every CloudEvent on {@code tollgate.promotions}, one record per type, beside the
 * fields every promotion event carries ({@link PromotionPayload}). The features build these as the
 * outcome of a step; {@code Transitions} publishes them. docs/asyncapi.yaml describes each one, and
 * a test validates an instance of every record against it.
 *
 * <p>A field that is {@code null} is written as {@code null}, except where it is marked
 * {@code NON_NULL}: those only appear in the variant of the event that has them.
 */
public sealed interface PromotionEvent {

    /** The CloudEvent type, one of {@link EventTypes}. */
    @JsonIgnore
    String type();

    record Submitted() implements PromotionEvent {
        public String type() {
            return EventTypes.SUBMITTED;
        }
    }

    record EvaluationStarted(List<String> requiredSuites) implements PromotionEvent {
        public String type() {
            return EventTypes.EVALUATION_STARTED;
        }
    }

    record EvaluationPassed(List<Gate> gates) implements PromotionEvent {
        public String type() {
            return EventTypes.EVALUATION_PASSED;
        }
    }

    /** Either the gates failed ({@code gates}) or suites did not report in time ({@code pendingSuites}, {@code timeout}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EvaluationFailed(List<String> pendingSuites, Boolean timeout, List<Gate> gates) implements PromotionEvent {
        public static EvaluationFailed timedOut(List<String> pendingSuites) {
            return new EvaluationFailed(pendingSuites, true, null);
        }

        public static EvaluationFailed gatesFailed(List<Gate> gates) {
            return new EvaluationFailed(null, null, gates);
        }

        public String type() {
            return EventTypes.EVALUATION_FAILED;
        }
    }

    /** One gate check with its inputs. */
    record Gate(String gate, String metric, Double value, String operator, Double bound, Double baseline,
                boolean passed) {
    }

    record RiskAssessed(String tier, List<String> reasons, Map<String, Object> facts,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> distrustedLabels)
            implements PromotionEvent {
        public String type() {
            return EventTypes.RISK_ASSESSED;
        }
    }

    /** A deployment is requested; a rollback names the version it replaces. */
    /**
     * Deploy now. A production deployment carries {@code attestation}, the DSSE envelope Tollgate signed for it
     * (docs/governance.md, "Attestations"), for the deployer to check before it deploys.
     */
    record Deploying(String stage, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean rollback,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String replacing,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> attestation)
            implements PromotionEvent {
        public static Deploying to(String stage) {
            return new Deploying(stage, null, null, null);
        }

        public static Deploying attested(String stage, Map<String, Object> attestation) {
            return new Deploying(stage, null, null, attestation);
        }

        public static Deploying rollback(String stage, String replacing) {
            return new Deploying(stage, true, replacing, null);
        }

        public String type() {
            return EventTypes.DEPLOYING;
        }
    }

    record Deployed(String stage, String environment, String detail) implements PromotionEvent {
        public String type() {
            return EventTypes.DEPLOYED;
        }
    }

    /** A deployment failed or timed out ({@code timeout}), or a rollback's deployment did ({@code rollback}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeploymentFailed(String stage, Boolean timeout, Boolean rollback) implements PromotionEvent {
        public static DeploymentFailed of(String stage, boolean timeout) {
            return new DeploymentFailed(stage, timeout, null);
        }

        public static DeploymentFailed ofRollback(String stage) {
            return new DeploymentFailed(stage, null, true);
        }

        public String type() {
            return EventTypes.FAILED;
        }
    }

    /** An approval task opened; a re-evaluation's "keep or roll back" task names its {@code reevaluationId}. */
    record ApprovalRequested(String taskId, String tier, int required, List<String> groups, boolean distinctGroups,
                             String dueAt, @JsonInclude(JsonInclude.Include.NON_NULL) String reevaluationId)
            implements PromotionEvent {
        public String type() {
            return EventTypes.APPROVAL_REQUESTED;
        }
    }

    record ApprovalReminder(String taskId, String dueAt, int granted, int required) implements PromotionEvent {
        public String type() {
            return EventTypes.APPROVAL_REMINDER;
        }
    }

    /** A vote toward the quorum: an approval, or on a re-evaluation's task ({@code reevaluationId}) a vote to keep. */
    record ApprovalGranted(String taskId, String by, String comment, int granted, int required,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String reevaluationId)
            implements PromotionEvent {
        public String type() {
            return EventTypes.APPROVAL_GRANTED;
        }
    }

    /** A quorum of approvers ({@code taskId}, {@code approvers}), or the policy for a LOW tier ({@code automatic}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Approved(String taskId, List<String> approvers, String tier, Boolean automatic) implements PromotionEvent {
        public static Approved byQuorum(String taskId, List<String> approvers) {
            return new Approved(taskId, approvers, null, null);
        }

        public static Approved byPolicy(String tier) {
            return new Approved(null, null, tier, true);
        }

        public String type() {
            return EventTypes.APPROVED;
        }
    }

    record Rejected(String rejectedBy, boolean timeout) implements PromotionEvent {
        public String type() {
            return EventTypes.REJECTED;
        }
    }

    /** In production; {@code attestation} names the signed statement of the promotion (absent for a rollback). */
    record Promoted(String previousVersion, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean rollback,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Attested attestation)
            implements PromotionEvent {
        public String type() {
            return EventTypes.PROMOTED;
        }
    }

    /** Which attestation: the SHA-256 of its payload (the in-toto statement) and the key that signed it. */
    record Attested(String payloadDigest, String keyId) {
    }

    record Retired(String replacedBy) implements PromotionEvent {
        public String type() {
            return EventTypes.RETIRED;
        }
    }

    record RolledBack(String rolledBackTo) implements PromotionEvent {
        public String type() {
            return EventTypes.ROLLEDBACK;
        }
    }

    record Cancelled() implements PromotionEvent {
        public String type() {
            return EventTypes.CANCELLED;
        }
    }

    /**
     * The votes on {@code previousTaskId} were set aside because evidence arrived after them (a late evaluation report
     * of {@code suite}); {@code taskId} asks the same quorum again, due when the first was.
     */
    record ApprovalReset(String taskId, String previousTaskId, List<String> votesSetAside, String suite, String dueAt)
            implements PromotionEvent {
        public String type() {
            return EventTypes.APPROVAL_RESET;
        }
    }

    /**
     * Someone the policy names broke the glass: the promotion goes on past {@code bypassed} (QUORUM, FREEZE), and
     * someone else must review it by {@code reviewDueAt}.
     */
    record BreakGlassUsed(String breakGlassId, String by, List<String> bypassed, String reviewDueAt)
            implements PromotionEvent {
        public String type() {
            return EventTypes.BREAK_GLASS;
        }
    }

    /** The break-glass was reviewed, by someone else than who broke it: ACCEPTED or CONCERNS. */
    record BreakGlassReviewed(String breakGlassId, String by, String outcome, String comment) implements PromotionEvent {
        public String type() {
            return EventTypes.BREAK_GLASS_REVIEWED;
        }
    }

    /** Nobody reviewed the break-glass by its deadline. */
    record BreakGlassEscalated(String breakGlassId, String reviewDueAt, List<String> reviewers) implements PromotionEvent {
        public String type() {
            return EventTypes.BREAK_GLASS_ESCALATED;
        }
    }

    /** Serving in staging; approval opens (or an automatic approval moves on) at {@code until}. */
    record StagingSoaking(String soak, String until) implements PromotionEvent {
        public String type() {
            return EventTypes.STAGING_SOAKING;
        }
    }

    /**
     * Approved, but no production deployment is requested yet: a freeze window or the stopped line holds it.
     * {@code until} is when the window that holds it ends (absent while only a restart of the line can release it).
     */
    record ProductionHeld(String holdReason, @JsonInclude(JsonInclude.Include.NON_NULL) String until)
            implements PromotionEvent {
        public String type() {
            return EventTypes.PRODUCTION_HELD;
        }
    }

    /**
     * A signal about the version in production that calls for a re-evaluation: the provider answering with another
     * model or fingerprint than the one evaluated, a drift metric beyond its bound, a firing alert.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DriftDetected(String signalId, String trigger, String detail, String source, String metric, Double value,
                         Double bound, String provider, String model, String fingerprint, String pinnedModel,
                         String pinnedFingerprint) implements PromotionEvent {
        public String type() {
            return EventTypes.DRIFT_DETECTED;
        }
    }

    /**
     * The version in production is evaluated again: the suites the evaluators are asked to run (the event's
     * {@code reason} says why), by when, under the policy as it is now ({@code reevaluationPolicyDigest}).
     */
    record ReevaluationStarted(String reevaluationId, String trigger, List<String> requiredSuites,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String dueAt, String reevaluationPolicyDigest)
            implements PromotionEvent {
        public String type() {
            return EventTypes.REEVALUATION_STARTED;
        }
    }

    /** One metric of the original evaluation beside its value in the re-evaluation. */
    record Comparison(String metric, Double original, Double now) {
    }

    /** The re-evaluation's gates passed; {@code reaction} ASK when the policy still wants people to confirm. */
    record ReevaluationPassed(String reevaluationId, List<Gate> gates, List<Comparison> comparison, String reaction)
            implements PromotionEvent {
        public String type() {
            return EventTypes.REEVALUATION_PASSED;
        }
    }

    /**
     * The re-evaluation failed (a gate, or suites that never reported: {@code timeout}), and what follows:
     * ASK (a "keep or roll back" task) or ROLL_BACK (to {@code rollbackTo}, through the deployment handshake).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReevaluationFailed(String reevaluationId, List<Gate> gates, List<Comparison> comparison, Boolean timeout,
                              List<String> pendingSuites, String reaction, String rollbackTo)
            implements PromotionEvent {
        public String type() {
            return EventTypes.REEVALUATION_FAILED;
        }
    }

    /** The people's decision on a re-evaluation: KEEP, ROLL_BACK, or EXPIRED (nobody decided in time: kept). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReevaluationDecided(String reevaluationId, String decision, List<String> decidedBy, String rollbackTo)
            implements PromotionEvent {
        public String type() {
            return EventTypes.REEVALUATION_DECIDED;
        }
    }

    /** A re-evaluation ended without a verdict: ALERT_RESOLVED, or LEFT_PRODUCTION (another version serves now). */
    record ReevaluationEnded(String reevaluationId, String why) implements PromotionEvent {
        public String type() {
            return EventTypes.REEVALUATION_ENDED;
        }
    }

    /** The verification window after the release closed with no signal beyond its bounds. */
    record VerificationPassed(String from, String until) implements PromotionEvent {
        public String type() {
            return EventTypes.VERIFICATION_PASSED;
        }
    }

    /** A signal beyond its bound inside the verification window, and the reaction: ROLL_BACK or ASK. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VerificationFailed(String signalId, String metric, Double value, Double bound, String reaction,
                              String reevaluationId) implements PromotionEvent {
        public String type() {
            return EventTypes.VERIFICATION_FAILED;
        }
    }
}
