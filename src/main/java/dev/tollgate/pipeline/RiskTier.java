package dev.tollgate.pipeline;

/** How much human scrutiny a change gets; set by risk.dmn, mapped to a quorum by the policy. */
public enum RiskTier {
    LOW, MEDIUM, HIGH
}
