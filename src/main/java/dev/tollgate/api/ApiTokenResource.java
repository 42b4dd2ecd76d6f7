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

/** API tokens, for admins: create (the secret is in this one response), list, revoke. */
@Path("/api/v1/admin/tokens")
@Produces(MediaType.APPLICATION_JSON)
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
    public Response create(byte[] body, @jakarta.ws.rs.core.Context UriInfo uri) {
        ApiTokens.Created created = tokens.create(JsonBodies.parse(body, ApiTokens.CreateRequest.class), caller.get());
        return Response.created(uri.getAbsolutePathBuilder().path(created.token().id().toString()).build())
                .entity(created).build();
    }

    @GET
    public List<ApiTokens.View> list() {
        return tokens.list();
    }

    @DELETE
    @Path("/{id}")
    public ApiTokens.View revoke(@PathParam("id") UUID id) {
        return tokens.revoke(id, caller.get());
    }
}
