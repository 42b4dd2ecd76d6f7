package dev.tollgate.web;

import dev.tollgate.freeze.FreezeRequests;
import dev.tollgate.freeze.FreezeViews;
import dev.tollgate.freeze.Freezes;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Problem;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.workflow.HeldDeployments;
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
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Freeze windows and the stop-the-line switch for everyone who signs in; admins and risk officers create and
 * delete windows and stop and restart the line here.
 */
@Path("/ui/freezes")
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class FreezePages {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance freezes(Chrome page, FreezeViews.Line line, List<FreezeViews.Window> windows,
                                               boolean manages, String error, List<Problem.FieldError> errors);
    }

    private final Ui ui;
    private final Freezes freezes;
    private final HeldDeployments held;
    private final Csrf csrf;

    FreezePages(Ui ui, Freezes freezes, HeldDeployments held, Csrf csrf) {
        this.ui = ui;
        this.freezes = freezes;
        this.held = held;
        this.csrf = csrf;
    }

    @GET
    public Response show() {
        return show(200, null, List.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    public Response create(@RestForm(Csrf.FIELD) String token, @RestForm String name, @RestForm String effect,
                           @RestForm String pipeline, @RestForm String kind, @RestForm String subjectName,
                           @RestForm String startsAt, @RestForm String endsAt, @RestForm String cron,
                           @RestForm String duration, @RestForm String timeZone, @RestForm String reason) {
        csrf.verify(token);
        return act(() -> held.createWindow(new FreezeRequests.Window(name, effect, blank(pipeline), blank(kind),
                blank(subjectName), blank(startsAt), blank(endsAt), blank(cron), blank(duration), blank(timeZone), reason),
                ui.caller()));
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    public Response delete(@PathParam("id") UUID id, @RestForm(Csrf.FIELD) String token) {
        csrf.verify(token);
        return act(() -> held.deleteWindow(id, ui.caller()));
    }

    @POST
    @Path("/line/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    public Response line(@PathParam("action") String action, @RestForm(Csrf.FIELD) String token,
                         @RestForm String reason) {
        csrf.verify(token);
        FreezeRequests.Reason request = new FreezeRequests.Reason(reason);
        return switch (action) {
            case "stop" -> act(() -> freezes.stop(request, ui.caller()));
            case "restart" -> act(() -> held.restartLine(request, ui.caller()));
            default -> throw ProblemException.notFound("Action " + action);
        };
    }

    private Response act(Supplier<?> change) {
        try {
            change.get();
            return Ui.seeOther("/ui/freezes");
        } catch (ProblemException refused) {
            return show(refused.type().status(), refused.getMessage(), refused.errors());
        }
    }

    private Response show(int status, String error, List<Problem.FieldError> errors) {
        boolean manages = ui.caller().hasRole(Roles.ADMIN) || ui.caller().hasRole(Roles.RISK_OFFICER);
        return ui.page(status, Templates.freezes(ui.chrome("Freezes", "freezes"), freezes.line(), freezes.windows(),
                manages, error, errors));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
