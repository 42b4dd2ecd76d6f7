package dev.tollgate.api;

import dev.tollgate.security.ApiTokens;
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

/** API tokens, for admins: create (the secret is in this one response), list, revoke. */
@Path("/api/v1/admin/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API tokens")
@RolesAllowed(Roles.ADMIN)
public class ApiTokenResource {

    private final ApiTokens tokens;
    private final CurrentCaller caller;

    ApiTokenResource(ApiTokens tokens, CurrentCaller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createApiToken", summary = "Create an API token",
            description = "The secret (`tg_…`) is in this answer only. `roles` are machine roles (submitter, evaluator, "
                    + "deployer, auditor, monitor) with at most one duty; `expiresInDays` 1 to 366 (90).")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = ApiTokens.CreateRequest.class)))
    @APIResponse(responseCode = "201", description = "Created.", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = ApiTokens.Created.class)))
    public Response create(byte[] body, @jakarta.ws.rs.core.Context UriInfo uri) {
        ApiTokens.Created created = tokens.create(JsonBodies.parse(body, ApiTokens.CreateRequest.class), caller.get());
        return Response.created(uri.getAbsolutePathBuilder().path(created.token().id().toString()).build())
                .entity(created).build();
    }

    @GET
    @Operation(operationId = "listApiTokens", summary = "API tokens, newest first", description = "Never a secret.")
    @APIResponse(responseCode = "200", description = "The newest 500 tokens.")
    public List<ApiTokens.View> list() {
        return tokens.list();
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "revokeApiToken", summary = "Revoke an API token",
            description = "At once; revoking again changes nothing.")
    @APIResponse(responseCode = "200", description = "The token, `REVOKED`.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ApiTokens.View revoke(@PathParam("id") UUID id) {
        return tokens.revoke(id, caller.get());
    }
}
