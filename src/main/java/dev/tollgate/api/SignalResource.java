package dev.tollgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.watch.AlertmanagerWebhook;
import dev.tollgate.watch.SignalValidator;
import dev.tollgate.workflow.SignalView;
import dev.tollgate.workflow.Watching;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * Signals from the monitoring teams already run (docs/drift.md): drift alerts and provider observations as Tollgate
 * defines them, and Prometheus Alertmanager's webhook exactly as Alertmanager sends it.
 */
@Path("/api/v1/signals")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.MONITOR)
public class SignalResource {

    /** The answer to an Alertmanager notification: what became of each alert. */
    public record AlertmanagerAnswer(int alerts, List<AlertAnswer> results) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlertAnswer(String fingerprint, String status, String signalId, String outcome, String detail,
                              UUID reevaluationId, String ignored) {
    }

    private final Watching watching;
    private final CurrentCaller caller;

    SignalResource(Watching watching, CurrentCaller caller) {
        this.watching = watching;
        this.caller = caller;
    }

    /** 201 with what the signal led to; 200 with the same answer when a retry sends the same signal id again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signal(byte[] body) {
        Watching.Received received = watching.receive(SignalValidator.validate(JsonBodies.tree(body)), caller.get().name());
        return Response.status(received.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(SignalView.of(received.signal())).build();
    }

    /**
     * Alertmanager's webhook (payload version 4). Alerts whose labels name no model or prompt are ignored and said
     * so; the answer is 200 whenever the payload could be read, so that Alertmanager does not send it again.
     */
    @POST
    @Path("/alertmanager")
    @Consumes(MediaType.APPLICATION_JSON)
    public AlertmanagerAnswer alertmanager(byte[] body) {
        List<AlertmanagerWebhook.Alert> alerts = AlertmanagerWebhook.read(JsonBodies.tree(body));
        List<AlertAnswer> results = watching.receiveAlerts(alerts, caller.get().name()).stream()
                .map(a -> a.signal() == null
                        ? new AlertAnswer(a.fingerprint(), a.status(), null, "IGNORED", null, null, a.ignored())
                        : new AlertAnswer(a.fingerprint(), a.status(), a.signal().signalId, a.signal().outcome.name(),
                        a.signal().detail, a.signal().reevaluationId, null))
                .toList();
        return new AlertmanagerAnswer(results.size(), results);
    }
}
