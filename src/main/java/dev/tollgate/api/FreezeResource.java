package dev.tollgate.api;

import dev.tollgate.freeze.FreezeRequests;
import dev.tollgate.freeze.FreezeViews;
import dev.tollgate.freeze.Freezes;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.workflow.HeldDeployments;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Freeze windows and the stop-the-line switch (docs/governance.md): read by every role, set by admins and risk officers. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Freezes")
public class FreezeResource {

    private final Freezes freezes;
    private final HeldDeployments held;
    private final CurrentCaller caller;

    FreezeResource(Freezes freezes, HeldDeployments held, CurrentCaller caller) {
        this.freezes = freezes;
        this.held = held;
        this.caller = caller;
    }

    @GET
    @Path("/freezes")
    @RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
            Roles.MONITOR, Roles.ADMIN})
    @Operation(operationId = "listFreezeWindows", summary = "Freeze windows",
            description = "Every window not deleted, with whether it is open now, until when, and its next start.")
    @APIResponse(responseCode = "200", description = "The windows, oldest first.")
    public List<FreezeViews.Window> windows() {
        return freezes.windows();
    }

    @POST
    @Path("/freezes")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    @Operation(operationId = "createFreezeWindow", summary = "Create a freeze window",
            description = "DENY: no production deployment is requested inside it. ALLOW: only inside it. Once "
                    + "(`startsAt`, `endsAt`) or recurring (`cron`, `duration`, `timeZone`); for every pipeline, one "
                    + "`pipeline`, or one `kind` and `subjectName`. A DENY window wins over an ALLOW window.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = FreezeRequests.Window.class)))
    @APIResponse(responseCode = "201", description = "Created.", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = FreezeViews.Window.class)))
    public Response create(byte[] body, @Context UriInfo uri) {
        FreezeViews.Window window = held.createWindow(JsonBodies.parse(body, FreezeRequests.Window.class), caller.get());
        return Response.created(uri.getAbsolutePathBuilder().path(window.id().toString()).build()).entity(window).build();
    }

    @DELETE
    @Path("/freezes/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    @Operation(operationId = "deleteFreezeWindow", summary = "Delete a freeze window",
            description = "The deployments it held are looked at again at once. Deleting it again changes nothing.")
    @APIResponse(responseCode = "200", description = "The window, deleted.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public FreezeViews.Window delete(@PathParam("id") UUID id) {
        return held.deleteWindow(id, caller.get());
    }

    @GET
    @Path("/line")
    @RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
            Roles.MONITOR, Roles.ADMIN})
    @Operation(operationId = "getLine", summary = "Whether the line is stopped",
            description = "`stopped`, and the stop that holds it (or the last one).")
    @APIResponse(responseCode = "200", description = "The line.")
    public FreezeViews.Line line() {
        return freezes.line();
    }

    @POST
    @Path("/line/stop")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    @Operation(operationId = "stopTheLine", summary = "Stop the line",
            description = "From now on no production deployment is requested, until the line restarts; approved "
                    + "candidates wait, with the reason shown. Deployments already requested are not recalled.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = FreezeRequests.Reason.class)))
    @APIResponse(responseCode = "200", description = "The line, stopped.")
    @APIResponse(responseCode = "409", ref = "LineConflict")
    public FreezeViews.Line stop(byte[] body) {
        return freezes.stop(JsonBodies.parse(body, FreezeRequests.Reason.class), caller.get());
    }

    @POST
    @Path("/line/restart")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    @Operation(operationId = "restartTheLine", summary = "Restart the line",
            description = "Every held deployment is looked at again at once; the newest held version of a name goes first.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = FreezeRequests.Reason.class)))
    @APIResponse(responseCode = "200", description = "The line, running.")
    @APIResponse(responseCode = "409", ref = "LineConflict")
    public FreezeViews.Line restart(byte[] body) {
        return held.restartLine(JsonBodies.parse(body, FreezeRequests.Reason.class), caller.get());
    }
}
