package dev.tollgate.api;

import dev.tollgate.release.DeploymentRequest;
import dev.tollgate.release.DeploymentService;
import dev.tollgate.workflow.Reports;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Problem;
import dev.tollgate.shared.ProblemType;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/candidates/{id}/deployments")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.DEPLOYER)
public class DeploymentResource {

    private final Reports reports;
    private final CurrentCaller caller;

    DeploymentResource(Reports reports, CurrentCaller caller) {
        this.reports = reports;
        this.caller = caller;
    }

    /**
     * 200 with the candidate's new stage when the result was accepted; 409 when it was stale (the
     * result is still recorded, which is why this is a response and not a thrown problem).
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response report(@PathParam("id") UUID id, byte[] body, UriInfo uri) {
        DeploymentService.Outcome outcome = reports.deployment(id, JsonBodies.parse(body, DeploymentRequest.class),
                caller.get().name());
        if (outcome.accepted()) {
            return Response.ok(Map.of("accepted", true, "candidateId", outcome.candidateId().toString())).build();
        }
        ProblemType type = ProblemType.STALE_RESULT;
        Problem problem = new Problem(type.uri(), type.title(), type.status(), outcome.reason(),
                uri.getRequestUri().getRawPath(), List.of(), Map.of("stage", outcome.stage(), "accepted", false));
        return Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(problem.toJson()).build();
    }
}
