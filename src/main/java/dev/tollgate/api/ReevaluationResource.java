package dev.tollgate.api;

import dev.tollgate.candidate.Kind;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.QueryParams;
import dev.tollgate.watch.Reevaluations;
import dev.tollgate.workflow.ReevaluationView;
import dev.tollgate.workflow.ReevaluationViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Re-evaluations of versions in production, with their evidence (docs/drift.md). */
@Path("/api/v1/reevaluations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Re-evaluations")
// Any of the contract's roles: signing in with none of them (an IdP user Tollgate does not know) is not enough.
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class ReevaluationResource {

    private final ReevaluationViews views;

    ReevaluationResource(ReevaluationViews views) {
        this.views = views;
    }

    /** Newest first; {@code status=open} keeps those under way (evaluators poll this for suites to run). */
    @GET
    @Operation(operationId = "listReevaluations", summary = "Re-evaluations, newest first",
            description = "Keyset-paged: pass the answer's `next` back as `cursor`.")
    @APIResponse(responseCode = "200", description = "A page of re-evaluations.")
    public Page<ReevaluationView> list(@Parameter(description = "MODEL or PROMPT") @QueryParam("kind") String kind,
                                       @QueryParam("name") String name,
                                       @Parameter(description = "open or ended") @QueryParam("status") String status,
                                       @QueryParam("candidateId") String candidateId,
                                       @Parameter(description = "1 to 200 (50)") @QueryParam("limit") String limit,
                                       @Parameter(description = "The previous page's `next`") @QueryParam("cursor")
                                       String cursor) {
        Boolean open = switch (QueryParams.optional(status) == null ? "" : status.strip()) {
            case "" -> null;
            case "open" -> true;
            case "ended" -> false;
            default -> throw ProblemException.validation(List.of(new FieldError("status", "must be open or ended")));
        };
        Kind kindFilter = QueryParams.enumValue(Kind.class, "kind", kind);
        UUID candidate = null;
        if (QueryParams.optional(candidateId) != null) {
            try {
                candidate = UUID.fromString(candidateId.strip());
            } catch (IllegalArgumentException e) {
                throw ProblemException.validation(List.of(new FieldError("candidateId", "must be a candidate id (a UUID)")));
            }
        }
        return views.list(new Reevaluations.Filter(kindFilter == null ? null : kindFilter.name(), QueryParams.optional(name),
                open, candidate), Cursor.decode(cursor), Cursor.limit(limit, 50, 200));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getReevaluation", summary = "A re-evaluation, with its evidence")
    @APIResponse(responseCode = "200", description = "The re-evaluation.")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ReevaluationView get(@PathParam("id") UUID id) {
        return views.find(id).orElseThrow(() -> ProblemException.notFound("Re-evaluation " + id));
    }
}
