package dev.tollgate.api;

import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.workflow.Decisions;
import dev.tollgate.approval.ApprovalViews;
import dev.tollgate.approval.DecisionRequest;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Page;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Approvals")
@RolesAllowed({Roles.APPROVER, Roles.RISK_OFFICER})
public class ApprovalResource {

    private final ApprovalInbox inbox;
    private final Decisions decisions;
    private final CurrentCaller caller;

    ApprovalResource(ApprovalInbox inbox, Decisions decisions, CurrentCaller caller) {
        this.inbox = inbox;
        this.decisions = decisions;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listApprovals", summary = "The caller's open tasks, oldest first",
            description = "Tasks whose groups include one of the caller's roles, never on candidates the caller submitted, "
                    + "never tasks the caller voted on. Keyset-paged: pass the answer's `next` back as `cursor`.")
    @APIResponse(responseCode = "200", description = "A page of tasks.")
    public Page<ApprovalViews.InboxItem> inbox(@Parameter(description = "1 to 200 (50)") @QueryParam("limit") String limit,
                                               @Parameter(description = "The previous page's `next`") @QueryParam("cursor")
                                               String cursor) {
        return inbox.inbox(caller.get(), Cursor.decode(cursor), Cursor.limit(limit, 50, 200));
    }

    @POST
    @Path("/{taskId}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "decideApproval", summary = "Decide on a task",
            description = "A promotion's task takes `APPROVE` or `REJECT`, a re-evaluation's `KEEP` or `ROLL_BACK`; "
                    + "the other pair is a 400. A comment is required to reject or roll back. One `REJECT` (or "
                    + "`ROLL_BACK`) decides; concurrent votes are serialized.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = DecisionRequest.class),
            examples = {@ExampleObject(name = "approve", ref = "Approve"), @ExampleObject(name = "reject", ref = "Reject"),
                    @ExampleObject(name = "keep", ref = "Keep"), @ExampleObject(name = "roll back", ref = "RollBack")}))
    @APIResponse(responseCode = "200", description = "The task after the vote.")
    @APIResponse(responseCode = "403", ref = "DecisionForbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "DecisionConflict")
    public ApprovalViews.DecisionResult decide(@PathParam("taskId") UUID taskId, byte[] body) {
        DecisionRequest request = JsonBodies.parse(body, DecisionRequest.class);
        return decisions.decide(taskId, request, caller.get());
    }
}
