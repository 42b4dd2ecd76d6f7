package dev.tollgate.api;

import dev.tollgate.candidate.Kind;
import dev.tollgate.inventory.Inventory;
import dev.tollgate.inventory.InventoryEntryView;
import dev.tollgate.inventory.InventoryRequests;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.workflow.InventoryViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The inventory of models and prompts (docs/governance.md): read by every role, kept by admins and risk officers. */
@Path("/api/v1/inventory")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inventory")
public class InventoryResource {

    private final Inventory inventory;
    private final InventoryViews views;
    private final CurrentCaller caller;

    InventoryResource(Inventory inventory, InventoryViews views, CurrentCaller caller) {
        this.inventory = inventory;
        this.views = views;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
            Roles.MONITOR, Roles.ADMIN})
    @Operation(operationId = "listInventory", summary = "The inventory",
            description = "Every registered name, and every name with candidates but no entry (`registered: false`), "
                    + "with the version in production, its risk tier, the last evaluation and open re-evaluations.")
    @APIResponse(responseCode = "200", description = "Every name, by kind and name.")
    public List<InventoryViews.Item> list() {
        return views.all();
    }

    @GET
    @Path("/{kind}/{name}")
    @RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
            Roles.MONITOR, Roles.ADMIN})
    @Operation(operationId = "getInventoryEntry", summary = "A registered name")
    @APIResponse(responseCode = "200", description = "The entry, with what serves in production.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public InventoryViews.Item get(@PathParam("kind") String kind, @PathParam("name") String name) {
        return views.find(kind(kind, name), name)
                .orElseThrow(() -> ProblemException.notFound("Inventory entry " + kind + " " + name));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    @Operation(operationId = "registerInventoryEntry", summary = "Register a name",
            description = "Owner team, intended use, documentation link, and who may submit versions (empty: anyone "
                    + "with the submitter role). The classification is set apart, by a risk officer.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = InventoryRequests.Register.class)))
    @APIResponse(responseCode = "201", description = "Registered.", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = InventoryEntryView.class)))
    @APIResponse(responseCode = "409", ref = "InventoryConflict")
    public Response register(byte[] body, @Context UriInfo uri) {
        InventoryEntryView entry = inventory.register(JsonBodies.parse(body, InventoryRequests.Register.class), caller.get());
        return Response.created(uri.getAbsolutePathBuilder().path(entry.kind()).path(entry.name()).build())
                .entity(entry).build();
    }

    @PATCH
    @Path("/{kind}/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    @Operation(operationId = "updateInventoryEntry", summary = "Change a name's owner, use, documentation or submitters",
            description = "Fields left out keep their value; `reason` is required.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = InventoryRequests.Update.class)))
    @APIResponse(responseCode = "200", description = "The entry as it is now.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public InventoryEntryView update(@PathParam("kind") String kind, @PathParam("name") String name, byte[] body) {
        return inventory.update(kind(kind, name), name, JsonBodies.parse(body, InventoryRequests.Update.class),
                caller.get());
    }

    @PUT
    @Path("/{kind}/{name}/classification")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.RISK_OFFICER)
    @Operation(operationId = "classifyInventoryEntry", summary = "Classify a name's risk",
            description = "Risk officers only. Every attribute and a `reason`; the risk decision of later candidates "
                    + "takes the attributes their pipeline owns from here.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = InventoryRequests.Classify.class)))
    @APIResponse(responseCode = "200", description = "The entry, classified.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public InventoryEntryView classify(@PathParam("kind") String kind, @PathParam("name") String name, byte[] body) {
        return inventory.classify(kind(kind, name), name, JsonBodies.parse(body, InventoryRequests.Classify.class),
                caller.get());
    }

    private static Kind kind(String kind, String name) {
        return Kind.parse(kind).orElseThrow(() -> ProblemException.notFound("Inventory entry " + kind + " " + name));
    }
}
