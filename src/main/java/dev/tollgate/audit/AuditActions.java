package dev.tollgate.audit;

import dev.tollgate.events.EventTypes;

/**
 * Every audit action name, in one place. A promotion event's action is its CloudEvent type without the
 * {@code dev.tollgate.promotion.} prefix ({@link #of}); the others name what no event announces.
 * docs/audit.md lists them.
 */
public final class AuditActions {

    public static final String POLICY_LOADED = "policy.loaded";
    public static final String TOKEN_CREATED = "token.created";
    public static final String TOKEN_REVOKED = "token.revoked";
    public static final String DEPLOYMENT_IGNORED = "deployment.ignored";
    public static final String DEPLOYMENT_REJECTED = "deployment.rejected";
    public static final String ACCESS_DENIED = "access.denied";
    public static final String CHECKPOINT = "audit.checkpoint";
    /** A monitor's signal (docs/drift.md), whatever it led to. */
    public static final String SIGNAL_RECEIVED = "signal.received";
    /** A record of tollgate.signals that can never be read as a signal. */
    public static final String SIGNAL_REJECTED = "signal.rejected";

    /** Inventory changes (docs/governance.md); each is also an event on tollgate.governance. */
    public static final String INVENTORY_REGISTERED = "inventory.registered";
    public static final String INVENTORY_UPDATED = "inventory.updated";
    public static final String INVENTORY_CLASSIFIED = "inventory.classified";

    /** Freeze windows and the stop-the-line switch (docs/governance.md). */
    public static final String FREEZE_CREATED = "freeze.created";
    public static final String FREEZE_DELETED = "freeze.deleted";
    public static final String LINE_STOPPED = "line.stopped";
    public static final String LINE_RESTARTED = "line.restarted";

    /** Webhooks registered and deleted by admins (docs/governance.md, "Notifications"). */
    public static final String WEBHOOK_CREATED = "webhook.created";
    public static final String WEBHOOK_DELETED = "webhook.deleted";

    private AuditActions() {
    }

    /** The action that records a promotion event of {@code type}. */
    public static String of(String promotionEventType) {
        if (!promotionEventType.startsWith(EventTypes.PROMOTION_PREFIX)) {
            throw new IllegalArgumentException("not a promotion event type: " + promotionEventType);
        }
        return promotionEventType.substring(EventTypes.PROMOTION_PREFIX.length());
    }
}
