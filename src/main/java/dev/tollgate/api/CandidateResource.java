package dev.tollgate.api;

import dev.tollgate.attestation.Attestation;
import dev.tollgate.attestation.Attestations;
import dev.tollgate.breakglass.BreakGlassView;
import dev.tollgate.breakglass.BreakGlasses;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.SubmitCandidateRequest;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.QueryParams;
import dev.tollgate.workflow.CandidateView;
import dev.tollgate.workflow.CandidateViews;
import dev.tollgate.workflow.EmergencyPromotions;
import dev.tollgate.workflow.Promotions;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/candidates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Candidates")
// Any of the contract's roles: signing in with none of them (an IdP user Tollgate does not know) is not enough.
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class CandidateResource {

    private final Promotions promotions;
    private final CandidateViews views;
    private final CurrentCaller caller;
    private final Attestations attestations;
    private final EmergencyPromotions emergencies;

    CandidateResource(Promotions promotions, CandidateViews views, CurrentCaller caller, Attestations attestations,
                      EmergencyPromotions emergencies) {
        this.attestations = attestations;
        this.emergencies = emergencies;
        this.promotions = promotions;
        this.views = views;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUBMITTER)
    @Operation(operationId = "submitCandidate", summary = "Submit a candidate",
            description = "Starts the candidate's promotion on its pipeline (`standard` for a MODEL and `prompt` for a "
                    + "PROMPT when omitted), and answers with the candidate after the workflow's first steps. Unknown "
                    + "fields are refused by name.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = SubmitCandidateRequest.class),
            examples = {@ExampleObject(name = "model", ref = "ModelSubmission"),
                    @ExampleObject(name = "prompt", ref = "PromptSubmission")}))
    @APIResponse(responseCode = "201", description = "Submitted.", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = CandidateView.class),
                    examples = @ExampleObject(name = "submitted", ref = "SubmittedCandidate")))
    @APIResponse(responseCode = "200", description = "A retry of the request that created it (the same Idempotency-Key "
            + "and body): that candidate, and no new promotion.", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(schema = @Schema(implementation = CandidateView.class)))
    @APIResponse(responseCode = "409", ref = "SubmissionConflict")
    @APIResponse(responseCode = "403", ref = "SubmissionForbidden")
    @APIResponse(responseCode = "422", ref = "SubmissionUnprocessable")
    public Response submit(byte[] body,
                           @Parameter(description = "Makes retries safe: the same key and body again answer 200 with the "
                                   + "same candidate. Scoped to the caller.")
                           @HeaderParam("Idempotency-Key") String idempotencyKey, UriInfo uri) {
        CandidateValidator.NewCandidate request = CandidateValidator.submission(JsonBodies.tree(body), idempotencyKey);
        Promotions.Submission submission = promotions.submit(request, caller.get());
        var location = uri.getBaseUriBuilder().path("api/v1/candidates").path(submission.candidate().id().toString())
                .build();
        return Response.status(submission.created() ? Response.Status.CREATED : Response.Status.OK)
                .location(location)
                .entity(submission.candidate())
                .build();
    }

    /** The optional body of a cancel request. */
    public record CancelRequest(String reason) {
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({Roles.SUBMITTER, Roles.ADMIN})
    @Operation(operationId = "cancelCandidate", summary = "Cancel a candidate",
            description = "Its submitter or an admin; anyone else gets 403. JSON or no body.")
    @APIResponse(responseCode = "200", description = "Cancelled.",
            content = @Content(schema = @Schema(implementation = CandidateView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "WrongStage")
    public CandidateView cancel(@PathParam("id") UUID id,
                                @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                                        schema = @Schema(implementation = CancelRequest.class))) byte[] body) {
        String reason = body == null || body.length == 0 ? null
                : JsonBodies.parse(body, CancelRequest.class).reason();
        return promotions.cancel(id, reason, caller.get());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getCandidate", summary = "A candidate")
    @APIResponse(responseCode = "200", description = "The candidate view.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public CandidateView get(@PathParam("id") UUID id) {
        return views.find(id).orElseThrow(() -> ProblemException.notFound("Candidate " + id));
    }

    @GET
    @Path("/{id}/attestation")
    @Operation(operationId = "getAttestation", summary = "A candidate's attestation",
            description = "The DSSE envelope (payload: an in-toto Statement v1), byte for byte as signed. `purpose` "
                    + "DEPLOY (signed at the production deployment request) or PROMOTION (once it serves, with the "
                    + "deployer's result); the newest of either when absent.")
    @APIResponse(responseCode = "200", description = "The envelope.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response attestation(@PathParam("id") UUID id, @QueryParam("purpose") String purpose) {
        Attestation.Purpose wanted = QueryParams.enumValue(Attestation.Purpose.class, "purpose", purpose);
        Attestation found = attestations.latest(id, wanted)
                .orElseThrow(() -> ProblemException.notFound("Attestation of candidate " + id));
        return Response.ok(found.envelope, MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Path("/{id}/break-glass")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.APPROVER, Roles.RISK_OFFICER, Roles.ADMIN})
    @Operation(operationId = "breakGlass", summary = "Promote in an emergency",
            description = "For a candidate waiting for its approval or held by a freeze or the stopped line: it goes on "
                    + "to production at once, past both. Only the roles its pipeline names (`breakGlass.roles`), never "
                    + "its submitter, with a `reason`; someone else must review it by `breakGlass.reviewWithin`.")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = BreakGlasses.Request.class)))
    @APIResponse(responseCode = "200", description = "The break-glass.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "WrongStage")
    public BreakGlassView breakGlass(@PathParam("id") UUID id, byte[] body) {
        return emergencies.breakGlass(id, JsonBodies.parse(body, BreakGlasses.Request.class), caller.get());
    }

    @GET
    @Path("/{id}/history")
    @Operation(operationId = "getCandidateHistory", summary = "A candidate's history",
            description = "Every transition and decision, oldest first; `seq` is the events' `ce_sequence`.")
    @APIResponse(responseCode = "200", description = "The history.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<CandidateView.History> history(@PathParam("id") UUID id) {
        return views.history(id).orElseThrow(() -> ProblemException.notFound("Candidate " + id));
    }

    @GET
    @Operation(operationId = "listCandidates", summary = "Candidates, newest first",
            description = "Keyset-paged: pass the answer's `next` back as `cursor`.")
    @APIResponse(responseCode = "200", description = "A page of candidates.")
    public Page<CandidateView> list(@Parameter(description = "MODEL or PROMPT") @QueryParam("kind") String kind,
                                    @QueryParam("name") String name, @QueryParam("stage") String stage,
                                    @Parameter(description = "ACTIVE, or a terminal stage") @QueryParam("status")
                                    String status,
                                    @QueryParam("submittedBy") String submittedBy,
                                    @Parameter(description = "1 to 200 (50)") @QueryParam("limit") String limit,
                                    @Parameter(description = "The previous page's `next`") @QueryParam("cursor")
                                    String cursor) {
        Stage stageFilter = QueryParams.enumValue(Stage.class, "stage", stage);
        Boolean activeFilter = null;
        if ("ACTIVE".equals(status)) {
            activeFilter = true;
        } else if (status != null && !status.isEmpty()) {
            Stage ended = QueryParams.enumValue(Stage.class, "status", status);
            if (!ended.isTerminal() || (stageFilter != null && stageFilter != ended)) {
                throw ProblemException.validation(List.of(new FieldError("status",
                        "must be ACTIVE or a terminal stage that agrees with stage=")));
            }
            stageFilter = ended;
        }
        var filter = new CandidateRepository.CandidateFilter(QueryParams.enumValue(Kind.class, "kind", kind), QueryParams.optional(name),
                stageFilter, activeFilter, QueryParams.optional(submittedBy));
        return views.list(filter, Cursor.decode(cursor), Cursor.limit(limit, 50, 200));
    }
}
