package dev.tollgate.security;

import java.util.Set;

/** The authenticated person or system calling Tollgate, with the roles it holds. */
public record Caller(String name, Set<String> roles) {

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
