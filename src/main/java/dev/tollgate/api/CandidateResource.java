package dev.tollgate.api;

import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.CandidateValidator;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.workflow.CandidateViews;
import dev.tollgate.workflow.Promotions;
import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.workflow.CandidateView;
import dev.tollgate.security.CurrentCaller;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.QueryParams;
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

@Path("/api/v1/candidates")
@Produces(MediaType.APPLICATION_JSON)
// Any of the contract's roles: signing in with none of them (an IdP user Tollgate does not know) is not enough.
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class CandidateResource {

    private final Promotions promotions;
    private final CandidateViews views;
    private final CurrentCaller caller;

    CandidateResource(Promotions promotions, CandidateViews views, CurrentCaller caller) {
        this.promotions = promotions;
        this.views = views;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUBMITTER)
    public Response submit(byte[] body, @HeaderParam("Idempotency-Key") String idempotencyKey, UriInfo uri) {
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
    public CandidateView cancel(@PathParam("id") UUID id, byte[] body) {
        String reason = body == null || body.length == 0 ? null
                : JsonBodies.parse(body, CancelRequest.class).reason();
        return promotions.cancel(id, reason, caller.get());
    }

    @GET
    @Path("/{id}")
    public CandidateView get(@PathParam("id") UUID id) {
        return views.find(id).orElseThrow(() -> ProblemException.notFound("Candidate " + id));
    }

    @GET
    @Path("/{id}/history")
    public List<CandidateView.History> history(@PathParam("id") UUID id) {
        return views.history(id).orElseThrow(() -> ProblemException.notFound("Candidate " + id));
    }

    @GET
    public Page<CandidateView> list(@QueryParam("kind") String kind, @QueryParam("name") String name,
                                    @QueryParam("stage") String stage, @QueryParam("status") String status,
                                    @QueryParam("submittedBy") String submittedBy,
                                    @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
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
