package dev.tollgate.security;

import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;

/**
 * Who is calling, always from the authenticated principal: Tollgate never reads an identity from a
 * query parameter or a body field.
 */
@RequestScoped
public class CurrentCaller {

    /** KIE's internal principal, which skips every task check inside the engine: never a caller. */
    static final String ENGINE_PRINCIPAL = "WORKFLOW_ENGINE_USER";
    /** The actor of the steps Tollgate takes by itself (the same name as Transitions.SYSTEM and AuditLog.SYSTEM). */
    static final String SYSTEM_ACTOR = "tollgate";

    private final SecurityIdentity identity;

    CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    /**
     * Names no person may sign in as: KIE's engine principal, the actor of Tollgate's own steps, and the
     * namespaces of API tokens ({@code token:}) and of Kafka sources ({@code kafka:}); only an API token
     * acts as a {@code token:} name.
     */
    static boolean reserved(String name, boolean apiToken) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals(ENGINE_PRINCIPAL.toLowerCase(java.util.Locale.ROOT)) || lower.equals(SYSTEM_ACTOR)
                || lower.startsWith("kafka:")) {
            return true;
        }
        return lower.startsWith(ApiTokens.PRINCIPAL_PREFIX) != apiToken;
    }

    public Caller get() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        String name = identity.getPrincipal().getName();
        if (reserved(name, identity.getAttribute(ApiTokenAuthentication.TOKEN_ID_ATTRIBUTE) != null)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This principal name is reserved");
        }
        return new Caller(name, Set.copyOf(identity.getRoles()));
    }
}
