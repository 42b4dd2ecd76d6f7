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

    private final SecurityIdentity identity;

    CurrentCaller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller get() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        String name = identity.getPrincipal().getName();
        if (ENGINE_PRINCIPAL.equalsIgnoreCase(name)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This principal name is reserved");
        }
        return new Caller(name, Set.copyOf(identity.getRoles()));
    }
}
