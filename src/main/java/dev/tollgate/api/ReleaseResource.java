package dev.tollgate.api;

import dev.tollgate.release.ReleaseService;
import dev.tollgate.shared.QueryParams;
import dev.tollgate.workflow.Rollbacks;
import dev.tollgate.candidate.Kind;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

@Path("/api/v1/releases/{kind}/{name}")
@Produces(MediaType.APPLICATION_JSON)
// Any of the contract's roles: signing in with none of them (an IdP user Tollgate does not know) is not enough.
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class ReleaseResource {

    private final ReleaseService releases;
    private final Rollbacks rollbacks;
    private final CurrentCaller caller;

    ReleaseResource(ReleaseService releases, Rollbacks rollbacks, CurrentCaller caller) {
        this.releases = releases;
        this.rollbacks = rollbacks;
        this.caller = caller;
    }

    @GET
    public ReleaseService.View get(@PathParam("kind") String kind, @PathParam("name") String name,
                                   @QueryParam("at") String at) {
        return releases.view(kind(kind), name, QueryParams.instant("at", at));
    }

    @POST
    @Path("/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DEPLOYER, Roles.ADMIN})
    public Response rollback(@PathParam("kind") String kind, @PathParam("name") String name, byte[] body) {
        var target = rollbacks.rollback(kind(kind), name, JsonBodies.parse(body, Rollbacks.RollbackRequest.class),
                caller.get());
        return Response.accepted(Map.of("candidateId", target.id.toString(), "version", target.version,
                "stage", target.stage.name())).build();
    }

    private static Kind kind(String value) {
        try {
            return Kind.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("kind", "must be MODEL or PROMPT")));
        }
    }

}
