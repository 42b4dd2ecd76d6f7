package dev.tollgate.candidate;

/** Where a candidate is in its promotion. Terminal stages never change again. */
public enum Stage {
    SUBMITTED, EVALUATING, RISK_REVIEW, DEPLOYING_STAGING, AWAITING_APPROVAL, DEPLOYING_PRODUCTION,
    IN_PRODUCTION,
    REJECTED, FAILED, CANCELLED, ROLLED_BACK, RETIRED;

    public boolean isTerminal() {
        return switch (this) {
            case REJECTED, FAILED, CANCELLED, ROLLED_BACK, RETIRED -> true;
            default -> false;
        };
    }

    /** The list view's {@code status}: ACTIVE while the promotion runs (or serves), else the terminal stage. */
    public String status() {
        return isTerminal() ? name() : "ACTIVE";
    }
}
