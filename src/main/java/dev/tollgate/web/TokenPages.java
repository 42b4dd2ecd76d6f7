package dev.tollgate.web;

import dev.tollgate.security.ApiTokens;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Problem;
import dev.tollgate.shared.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;

/** API tokens for admins: create (the secret is shown on the next page only), list, revoke. */
@Path("/ui/admin/tokens")
@RolesAllowed(Roles.ADMIN)
public class TokenPages {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance tokens(Chrome page, List<ApiTokens.View> tokens, List<String> machineRoles,
                                              ApiTokens.Created created, String error, List<Problem.FieldError> errors);
    }

    private final Ui ui;
    private final ApiTokens tokens;
    private final Csrf csrf;

    TokenPages(Ui ui, ApiTokens tokens, Csrf csrf) {
        this.ui = ui;
        this.tokens = tokens;
        this.csrf = csrf;
    }

    @GET
    public Response list() {
        return show(200, null, null, List.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm(Csrf.FIELD) String token, @RestForm String name, @RestForm String owner,
                           @RestForm List<String> roles, @RestForm String expiresInDays) {
        csrf.verify(token);
        try {
            ApiTokens.Created created = tokens.create(new ApiTokens.CreateRequest(name, owner, roles, days(expiresInDays)),
                    ui.caller());
            // Shown in this response only, never stored: no redirect, or the secret would be gone.
            return show(201, created, null, List.of());
        } catch (ProblemException refused) {
            return show(refused.type().status(), null, refused.getMessage(), refused.errors());
        }
    }

    @POST
    @Path("/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@PathParam("id") UUID id, @RestForm(Csrf.FIELD) String token) {
        csrf.verify(token);
        tokens.revoke(id, ui.caller());
        return Ui.seeOther("/ui/admin/tokens");
    }

    private Response show(int status, ApiTokens.Created created, String error, List<Problem.FieldError> errors) {
        List<String> roles = ApiTokens.MACHINE_ROLES.stream().sorted().toList();
        return ui.page(status, Templates.tokens(ui.chrome("API tokens", "tokens"), tokens.list(), roles, created, error,
                errors));
    }

    private static Integer days(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.validation(List.of(new Problem.FieldError("expiresInDays", "must be a whole number")));
        }
    }
}
