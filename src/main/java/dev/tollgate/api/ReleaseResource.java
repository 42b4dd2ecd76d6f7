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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/releases/{kind}/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Releases")
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
    @Operation(operationId = "getRelease", summary = "What serves in staging and production",
            description = "Now, or at an instant; an environment with nothing serving is `null`.")
    @APIResponse(responseCode = "200", description = "The release.")
    public ReleaseService.View get(@Parameter(description = "MODEL or PROMPT") @PathParam("kind") String kind,
                                   @PathParam("name") String name,
                                   @Parameter(description = "RFC 3339; without an offset, UTC. Now when omitted.")
                                   @QueryParam("at") String at) {
        return releases.view(kind(kind), name, QueryParams.instant("at", at));
    }

    @POST
    @Path("/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.DEPLOYER, Roles.ADMIN})
    @Operation(operationId = "rollBackRelease", summary = "Roll production back",
            description = "To `toVersion`, or to the version that served before; the target waits for its production "
                    + "deployment result like any promotion.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = Rollbacks.RollbackRequest.class),
            examples = @ExampleObject(name = "rollback", ref = "Rollback")))
    @APIResponse(responseCode = "202", description = "Under way.",
            content = @Content(schema = @Schema(ref = "RollbackAccepted")))
    @APIResponse(responseCode = "409", ref = "RollbackConflict")
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
