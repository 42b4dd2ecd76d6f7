package dev.tollgate.web;

import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.security.Caller;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Builds the frame of a page and turns a rendered template into a response. */
@RequestScoped
public class Ui {

    static final MediaType HTML = MediaType.valueOf("text/html;charset=UTF-8");
    private static final int BADGE_CAP = 100;

    private final CurrentCaller current;
    private final Csrf csrf;
    private final ApprovalInbox approvals;

    Ui(CurrentCaller current, Csrf csrf, ApprovalInbox approvals) {
        this.current = current;
        this.csrf = csrf;
        this.approvals = approvals;
    }

    public Caller caller() {
        return current.get();
    }

    public Chrome chrome(String title, String section) {
        Caller caller = current.get();
        boolean decides = caller.hasRole(Roles.APPROVER) || caller.hasRole(Roles.RISK_OFFICER);
        String badge = null;
        if (decides) {
            int count = approvals.inboxCount(caller, BADGE_CAP);
            badge = count >= BADGE_CAP ? (BADGE_CAP - 1) + "+" : Integer.toString(count);
        }
        return new Chrome(title, section, caller.name(), caller.roles().stream().sorted().toList(), decides,
                caller.hasRole(Roles.AUDITOR), caller.hasRole(Roles.ADMIN), badge, csrf.token());
    }

    public Response page(TemplateInstance template) {
        return page(Response.Status.OK.getStatusCode(), template);
    }

    public Response page(int status, TemplateInstance template) {
        Response.ResponseBuilder response = Response.status(status).type(HTML).entity(template.render());
        csrf.cookieToSet().ifPresent(response::cookie);
        return response.build();
    }

    /** Post/redirect/get: after a form changes something, the browser loads the result page with GET. */
    public static Response seeOther(String location) {
        return Response.seeOther(URI.create(location)).build();
    }

    static List<String> sorted(java.util.Collection<String> values) {
        return values.stream().sorted().toList();
    }
}
