package dev.tollgate.shared;

/**
 * A request refused for its caller's identity (401) or roles (403), fired as a CDI event by the problem
 * mappers; the audit trail observes it (docs/audit.md, "Refused requests"), so that this package knows
 * nothing of the audit.
 */
public record AccessRefused(String actor, String address, String method, String path, int status,
                            String problemType) {
}
