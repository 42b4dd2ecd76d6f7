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

@Path("/api/v1/approvals")
@Produces(MediaType.APPLICATION_JSON)
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
    public Page<ApprovalViews.InboxItem> inbox(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return inbox.inbox(caller.get(), Cursor.decode(cursor), Cursor.limit(limit, 50, 200));
    }

    @POST
    @Path("/{taskId}/decision")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApprovalViews.DecisionResult decide(@PathParam("taskId") UUID taskId, byte[] body) {
        DecisionRequest request = JsonBodies.parse(body, DecisionRequest.class);
        return decisions.decide(taskId, request, caller.get());
    }
}
