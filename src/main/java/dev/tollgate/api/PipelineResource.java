package dev.tollgate.api;

import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The pipelines this instance offers, with the digest a submission would pin. */
@Path("/api/v1/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines")
// Any of the contract's roles: signing in with none of them (an IdP user Tollgate does not know) is not enough.
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class PipelineResource {

    private final PipelinePolicies policies;

    PipelineResource(PipelinePolicies policies) {
        this.policies = policies;
    }

    /** A pipeline as the API shows it: its digest, and the policy as parsed. */
    public record PipelineView(String name, String description, String digest, PipelinePolicy policy) {
    }

    @GET
    @Operation(operationId = "listPipelines", summary = "The pipelines")
    @APIResponse(responseCode = "200", description = "Every pipeline, with its digest and policy.")
    public List<PipelineView> list() {
        return policies.all().stream().map(PipelineResource::view).toList();
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "getPipeline", summary = "A pipeline")
    @APIResponse(responseCode = "200", description = "The pipeline, with its digest and policy.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public PipelineView get(@PathParam("name") String name) {
        return policies.find(name).map(PipelineResource::view)
                .orElseThrow(() -> ProblemException.notFound("Pipeline " + name));
    }

    private static PipelineView view(PipelinePolicies.Loaded loaded) {
        return new PipelineView(loaded.policy().name(), loaded.policy().description(), loaded.digest(), loaded.policy());
    }
}
