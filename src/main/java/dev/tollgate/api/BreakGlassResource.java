package dev.tollgate.api;

import dev.tollgate.breakglass.BreakGlassView;
import dev.tollgate.breakglass.BreakGlasses;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.workflow.EmergencyPromotions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Break-glass promotions and their reviews (docs/governance.md); a candidate's is broken under its own path. */
@Path("/api/v1/break-glass")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Break-glass")
public class BreakGlassResource {

    private final BreakGlasses breakGlasses;
    private final EmergencyPromotions emergencies;
    private final CurrentCaller caller;

    BreakGlassResource(BreakGlasses breakGlasses, EmergencyPromotions emergencies, CurrentCaller caller) {
        this.breakGlasses = breakGlasses;
        this.emergencies = emergencies;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
            Roles.MONITOR, Roles.ADMIN})
    @Operation(operationId = "listBreakGlass", summary = "Break-glass promotions, newest first",
            description = "`open=true`: only those still waiting for their review.")
    @APIResponse(responseCode = "200", description = "The newest 500.")
    public List<BreakGlassView> list(@QueryParam("open") boolean open) {
        return breakGlasses.list(open).stream().map(BreakGlassView::of).toList();
    }

    @POST
    @Path("/{id}/review")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RISK_OFFICER, Roles.ADMIN})
    @Operation(operationId = "reviewBreakGlass", summary = "Review a break-glass",
            description = "By someone who neither broke the glass nor submitted the candidate: ACCEPTED or CONCERNS, "
                    + "with a comment. 409 when reviewed already.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = BreakGlasses.Review.class)))
    @APIResponse(responseCode = "200", description = "The break-glass, reviewed.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "DecisionConflict")
    public BreakGlassView review(@PathParam("id") UUID id, byte[] body) {
        return emergencies.review(id, JsonBodies.parse(body, BreakGlasses.Review.class), caller.get());
    }
}
