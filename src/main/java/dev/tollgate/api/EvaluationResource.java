package dev.tollgate.api;

import dev.tollgate.pipeline.EvaluationReport;
import dev.tollgate.pipeline.EvaluationRequest;
import dev.tollgate.workflow.Reports;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.JsonBodies;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/candidates/{id}/evaluations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluations")
@RolesAllowed(Roles.EVALUATOR)
public class EvaluationResource {

    private final Reports reports;
    private final CurrentCaller caller;

    EvaluationResource(Reports reports, CurrentCaller caller) {
        this.reports = reports;
        this.caller = caller;
    }

    /** A suite's report as stored. */
    public record ReportView(UUID candidateId, String suite, Boolean passed, Map<String, Double> metrics,
                             String reportUri, String reportedBy, Instant at) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "reportEvaluation", summary = "Report an evaluation suite's result",
            description = "Never by the candidate's submitter. Accepted while the candidate is `EVALUATING`, or "
                    + "`IN_PRODUCTION` while a re-evaluation waits for its suites; the last required report runs the "
                    + "gates in the same request.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = EvaluationRequest.class),
            examples = {@ExampleObject(name = "report", ref = "EvaluationReport"),
                    @ExampleObject(name = "prompt, with what answered", ref = "PromptEvaluationReport")}))
    @APIResponse(responseCode = "201", description = "The report as stored.",
            content = @Content(schema = @Schema(implementation = ReportView.class)))
    @APIResponse(responseCode = "403", ref = "EvaluationForbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "WrongStage")
    public Response report(@PathParam("id") UUID id, byte[] body) {
        EvaluationReport r = reports.evaluation(id, JsonBodies.parse(body, EvaluationRequest.class), caller.get());
        return Response.status(Response.Status.CREATED)
                .entity(new ReportView(r.candidateId, r.suite, r.passed, r.metrics, r.reportUri, r.reportedBy,
                        r.reportedAt))
                .build();
    }
}
