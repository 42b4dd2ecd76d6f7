package dev.tollgate.security;

import java.util.Set;

/** The authenticated person or system calling Tollgate, with the roles it holds. */
public record Caller(String name, Set<String> roles) {

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Whether {@code principal} names this caller (see {@link #samePrincipal}). */
    public boolean is(String principal) {
        return samePrincipal(name, principal);
    }

    /**
     * Principal names are compared without regard to case wherever a duty is separated: "Sam" and "sam"
     * are one person to the submitter check, the quorum and the evaluator check.
     */
    public static boolean samePrincipal(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }
}
