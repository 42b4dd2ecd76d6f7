package dev.tollgate.security;

/** The roles of contract.md; annotations and configuration use these names. */
public final class Roles {

    public static final String SUBMITTER = "submitter";
    public static final String EVALUATOR = "evaluator";
    public static final String APPROVER = "approver";
    public static final String RISK_OFFICER = "risk-officer";
    public static final String DEPLOYER = "deployer";
    public static final String AUDITOR = "auditor";
    public static final String MONITOR = "monitor";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
