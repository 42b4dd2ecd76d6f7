package dev.tollgate.web;

import dev.tollgate.breakglass.BreakGlassView;
import dev.tollgate.breakglass.BreakGlasses;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Problem;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.workflow.EmergencyPromotions;
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

/** Break-glass promotions, the reviews still due first; risk officers and admins review them here. */
@Path("/ui/break-glass")
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class BreakGlassPages {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance breakGlass(Chrome page, List<BreakGlassView> open, List<BreakGlassView> reviewed,
                                                  boolean reviews, String user, String error,
                                                  List<Problem.FieldError> errors);
    }

    private final Ui ui;
    private final BreakGlasses breakGlasses;
    private final EmergencyPromotions emergencies;
    private final Csrf csrf;

    BreakGlassPages(Ui ui, BreakGlasses breakGlasses, EmergencyPromotions emergencies, Csrf csrf) {
        this.ui = ui;
        this.breakGlasses = breakGlasses;
        this.emergencies = emergencies;
        this.csrf = csrf;
    }

    @GET
    public Response list() {
        return show(200, null, List.of());
    }

    @POST
    @Path("/{id}/review")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.RISK_OFFICER, Roles.ADMIN})
    public Response review(@PathParam("id") UUID id, @RestForm(Csrf.FIELD) String token, @RestForm String outcome,
                           @RestForm String comment) {
        csrf.verify(token);
        try {
            emergencies.review(id, new BreakGlasses.Review(outcome, comment), ui.caller());
            return Ui.seeOther("/ui/break-glass");
        } catch (ProblemException refused) {
            return show(refused.type().status(), refused.getMessage(), refused.errors());
        }
    }

    private Response show(int status, String error, List<Problem.FieldError> errors) {
        List<BreakGlassView> all = breakGlasses.list(false).stream().map(BreakGlassView::of).toList();
        boolean reviews = ui.caller().hasRole(Roles.RISK_OFFICER) || ui.caller().hasRole(Roles.ADMIN);
        return ui.page(status, Templates.breakGlass(ui.chrome("Break-glass", "break-glass"),
                all.stream().filter(b -> b.reviewedAt() == null).toList(),
                all.stream().filter(b -> b.reviewedAt() != null).toList(), reviews, ui.caller().name(), error, errors));
    }
}
