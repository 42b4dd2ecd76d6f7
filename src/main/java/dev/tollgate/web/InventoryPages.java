package dev.tollgate.web;

import dev.tollgate.candidate.Kind;
import dev.tollgate.inventory.Autonomy;
import dev.tollgate.inventory.Inventory;
import dev.tollgate.inventory.InventoryRequests;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Problem;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.workflow.InventoryViews;
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
import java.util.Arrays;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The inventory for everyone who signs in: every name with its owner, classification and what serves now.
 * Admins and risk officers register names here; risk officers classify them, with a reason.
 */
@Path("/ui/inventory")
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class InventoryPages {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance inventory(Chrome page, List<InventoryViews.Item> items, boolean registers,
                                                 String error, List<Problem.FieldError> errors);

        static native TemplateInstance inventoryEntry(Chrome page, InventoryViews.Item item, boolean classifies,
                                                      List<String> autonomies, String error,
                                                      List<Problem.FieldError> errors);
    }

    private final Ui ui;
    private final Inventory inventory;
    private final InventoryViews views;
    private final Csrf csrf;

    InventoryPages(Ui ui, Inventory inventory, InventoryViews views, Csrf csrf) {
        this.ui = ui;
        this.inventory = inventory;
        this.views = views;
        this.csrf = csrf;
    }

    @GET
    public Response list() {
        return showList(200, null, List.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed({Roles.ADMIN, Roles.RISK_OFFICER})
    public Response register(@RestForm(Csrf.FIELD) String token, @RestForm String kind, @RestForm String name,
                             @RestForm String ownerTeam, @RestForm String intendedUse, @RestForm String documentation,
                             @RestForm String submitters) {
        csrf.verify(token);
        try {
            var entry = inventory.register(new InventoryRequests.Register(kind, name, ownerTeam, intendedUse,
                    documentation, principals(submitters)), ui.caller());
            return Ui.seeOther("/ui/inventory/" + entry.kind() + "/" + entry.name());
        } catch (ProblemException refused) {
            return showList(refused.type().status(), refused.getMessage(), refused.errors());
        }
    }

    @GET
    @Path("/{kind}/{name}")
    public Response entry(@PathParam("kind") String kind, @PathParam("name") String name) {
        return showEntry(200, item(kind, name), null, List.of());
    }

    @POST
    @Path("/{kind}/{name}/classification")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Roles.RISK_OFFICER)
    public Response classify(@PathParam("kind") String kind, @PathParam("name") String name,
                             @RestForm(Csrf.FIELD) String token, @RestForm String customerFacing,
                             @RestForm String personalData, @RestForm String regulatedUse, @RestForm String autonomy,
                             @RestForm String reason) {
        csrf.verify(token);
        InventoryViews.Item item = item(kind, name);
        try {
            inventory.classify(Kind.valueOf(item.kind()), item.name(), new InventoryRequests.Classify(
                    yesNo(customerFacing), yesNo(personalData), yesNo(regulatedUse), autonomy(autonomy), reason),
                    ui.caller());
            return Ui.seeOther("/ui/inventory/" + item.kind() + "/" + item.name());
        } catch (ProblemException refused) {
            return showEntry(refused.type().status(), item, refused.getMessage(), refused.errors());
        }
    }

    private InventoryViews.Item item(String kind, String name) {
        return Kind.parse(kind).flatMap(k -> views.find(k, name))
                .orElseThrow(() -> ProblemException.notFound("Inventory entry " + kind + " " + name));
    }

    private Response showList(int status, String error, List<Problem.FieldError> errors) {
        boolean registers = ui.caller().hasRole(Roles.ADMIN) || ui.caller().hasRole(Roles.RISK_OFFICER);
        return ui.page(status, Templates.inventory(ui.chrome("Inventory", "inventory"), views.all(), registers, error,
                errors));
    }

    private Response showEntry(int status, InventoryViews.Item item, String error, List<Problem.FieldError> errors) {
        List<String> autonomies = Arrays.stream(Autonomy.values()).map(Enum::name).toList();
        return ui.page(status, Templates.inventoryEntry(ui.chrome(item.kind() + " " + item.name(), "inventory"), item,
                ui.caller().hasRole(Roles.RISK_OFFICER), autonomies, error, errors));
    }

    /** One principal per line or comma. */
    private static List<String> principals(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
    }

    private static Boolean yesNo(String value) {
        return value == null || value.isBlank() ? null : Boolean.valueOf("yes".equals(value) || "true".equals(value));
    }

    private static Autonomy autonomy(String value) {
        try {
            return value == null || value.isBlank() ? null : Autonomy.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new Problem.FieldError("autonomy",
                    "must be NONE, SUPERVISED or AUTONOMOUS")));
        }
    }
}
