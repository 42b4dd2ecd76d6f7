package dev.tollgate.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.watch.AlertmanagerWebhook;
import dev.tollgate.watch.SignalRequest;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Signals from the monitoring teams already run (docs/drift.md): drift alerts and provider observations as Tollgate
 * defines them, and Prometheus Alertmanager's webhook exactly as Alertmanager sends it.
 */
@Path("/api/v1/signals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Signals")
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
    @Operation(operationId = "sendSignal", summary = "Report a drift signal or a provider observation",
            description = "About the version of (kind, name) in production; idempotent by `signalId`. The answer says what "
                    + "the signal led to (`outcome`) and why (`detail`).")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SignalRequest.class),
            examples = {@ExampleObject(name = "drift", ref = "DriftSignal"),
                    @ExampleObject(name = "provider", ref = "ProviderSignal")}))
    @APIResponse(responseCode = "201", description = "Received.", content = @Content(
            schema = @Schema(implementation = SignalView.class),
            examples = @ExampleObject(name = "answer", ref = "SignalAnswer")))
    @APIResponse(responseCode = "200", description = "The same signal again: the first answer.",
            content = @Content(schema = @Schema(implementation = SignalView.class)))
    @APIResponse(responseCode = "422", ref = "IdempotencyKeyReused")
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
    @Operation(operationId = "sendAlertmanagerNotification", summary = "Alertmanager's webhook",
            description = "Point an Alertmanager webhook receiver here (with a monitor API token). Each alert labelled "
                    + "`tollgate_kind` and `tollgate_name` is a drift signal; others are ignored, and the answer says so.")
    @RequestBody(required = true, content = @Content(schema = @Schema(ref = "AlertmanagerPayload"),
            examples = @ExampleObject(name = "firing", ref = "AlertmanagerFiring")))
    @APIResponse(responseCode = "200", description = "What became of each alert.", content = @Content(
            schema = @Schema(implementation = AlertmanagerAnswer.class),
            examples = @ExampleObject(name = "answer", ref = "AlertmanagerAnswer")))
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
