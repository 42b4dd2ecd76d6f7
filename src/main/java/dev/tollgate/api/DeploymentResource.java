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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/candidates/{id}/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deployments")
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
    @Operation(operationId = "reportDeployment", summary = "Report a deployment's outcome",
            description = "The REST twin of a record on `tollgate.deployments`. When it answers the deployment the "
                    + "candidate waits for, the workflow moves on in the same request.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DeploymentRequest.class),
            examples = {@ExampleObject(name = "staging succeeded", ref = "StagingDeployed"),
                    @ExampleObject(name = "production failed", ref = "ProductionFailed")}))
    @APIResponse(responseCode = "200", description = "Accepted.",
            content = @Content(schema = @Schema(ref = "DeploymentAccepted")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "StaleDeploymentResult")
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
