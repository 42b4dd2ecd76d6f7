package dev.tollgate.api;

import dev.tollgate.notify.WebhookRequests;
import dev.tollgate.notify.Webhooks;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
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

/** Webhooks, for admins (docs/governance.md, "Notifications"): register, list, delete, and see their deliveries. */
@Path("/api/v1/admin/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
@RolesAllowed(Roles.ADMIN)
public class WebhookResource {

    private final Webhooks webhooks;
    private final CurrentCaller caller;

    WebhookResource(Webhooks webhooks, CurrentCaller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Register a webhook",
            description = "Events matching `eventTypes` (and `pipelines`) are POSTed to `url` once their change "
                    + "committed, signed with HMAC-SHA256 in `X-Tollgate-Signature-256`, retried until a 2xx.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = WebhookRequests.Create.class)))
    @APIResponse(responseCode = "201", description = "Registered; `secret` only when Tollgate made it.",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = WebhookRequests.Created.class)))
    public Response create(byte[] body, @Context UriInfo uri) {
        WebhookRequests.Created created = webhooks.create(JsonBodies.parse(body, WebhookRequests.Create.class),
                caller.get());
        return Response.created(uri.getAbsolutePathBuilder().path(created.webhook().id().toString()).build())
                .entity(created).build();
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "Webhooks, newest first", description = "Never a secret.")
    @APIResponse(responseCode = "200", description = "The webhooks.")
    public List<WebhookRequests.View> list() {
        return webhooks.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Delete a webhook",
            description = "Its pending deliveries are given up (FAILED, \"webhook deleted\").")
    @APIResponse(responseCode = "200", description = "The webhook, deleted.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public WebhookRequests.View delete(@PathParam("id") UUID id) {
        return webhooks.delete(id, caller.get());
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "A webhook's deliveries, newest first",
            description = "Each with its status (PENDING, DELIVERED, FAILED), attempts, the last answer and the next try.")
    @APIResponse(responseCode = "200", description = "The newest 200 deliveries.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<WebhookRequests.Delivery> deliveries(@PathParam("id") UUID id) {
        return webhooks.deliveries(id, 200);
    }
}
