package dev.tollgate.api;

import dev.tollgate.audit.AuditExport;
import dev.tollgate.audit.AuditQueries;
import dev.tollgate.audit.AuditVerification;
import dev.tollgate.audit.AuditVerifier;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.QueryParams;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {

    private final AuditVerification verification;
    private final AuditQueries queries;
    private final AuditExport export;
    private final Clock clock;

    AuditResource(AuditVerification verification, AuditQueries queries, AuditExport export, Clock clock) {
        this.verification = verification;
        this.queries = queries;
        this.export = export;
        this.clock = clock;
    }

    /** Entries in time order, oldest first; {@code cursor} is the {@code next} of the previous page. */
    @GET
    @Operation(operationId = "searchAudit", summary = "Audit entries, oldest first",
            description = "Keyset-paged: pass the answer's `next` back as `cursor`. `from` and `to` are RFC 3339 (UTC "
                    + "without an offset).")
    @APIResponse(responseCode = "200", description = "A page of entries.")
    public Page<AuditQueries.View> search(@QueryParam("subject") String subject, @QueryParam("actor") String actor,
                                          @Parameter(description = "The entry's action: submitted, approval.granted, "
                                                  + "access.denied, ...") @QueryParam("type") String type,
                                          @QueryParam("from") String from, @QueryParam("to") String to,
                                          @Parameter(description = "1 to 1000 (100)") @QueryParam("limit") String limit,
                                          @Parameter(description = "The previous page's `next`") @QueryParam("cursor")
                                          String cursor) {
        return queries.search(new AuditQueries.Filter(QueryParams.optional(subject), QueryParams.optional(actor),
                QueryParams.optional(type), QueryParams.instant("from", from),
                QueryParams.instant("to", to)), position(cursor), Cursor.limit(limit, 100, 1000));
    }

    /**
     * {@code {valid, entries, headHash, firstInvalidSeq?, problem?, checkpoint, checkpointStatus, unsealed}} over
     * the whole sealed chain, held against the latest checkpoint published on Kafka, or the one given.
     */
    @GET
    @Path("/verify")
    @Operation(operationId = "verifyAudit", summary = "Verify the audit trail's chain",
            description = "Against the latest checkpoint published on Kafka, or the one given (both parameters, or "
                    + "neither).")
    @APIResponse(responseCode = "200", description = "The verification.",
            content = @Content(schema = @Schema(ref = "AuditVerification")))
    public Map<String, Object> verify(@QueryParam("checkpointSeq") Long checkpointSeq,
                                      @QueryParam("checkpointHash") String checkpointHash) {
        if ((checkpointSeq == null) != (checkpointHash == null || checkpointHash.isEmpty())) {
            throw ProblemException.validation(List.of(new FieldError("checkpointHash",
                    "checkpointSeq and checkpointHash go together")));
        }
        AuditVerifier.Checkpoint given = checkpointSeq == null ? null
                : new AuditVerifier.Checkpoint(checkpointSeq, checkpointHash);
        AuditVerification.Report report = verification.verify(given);
        AuditVerifier.Result result = report.result();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", result.valid());
        body.put("entries", result.entries());
        body.put("headHash", result.headHash());
        if (!result.valid()) {
            body.put("firstInvalidSeq", result.firstInvalidSeq());
            body.put("problem", result.problem());
        }
        body.put("checkpoint", report.checkpoint() == null ? null
                : Map.of("seq", report.checkpoint().seq(), "hash", report.checkpoint().hash()));
        body.put("checkpointStatus", report.status().name());
        body.put("unsealed", Map.of("entries", report.unsealed().entries(),
                "oldestAgeSeconds", report.unsealed().oldestAgeSeconds()));
        return body;
    }

    /** Streams the log as JSON Lines or CSV, with the chain fields; verifiable offline. */
    @GET
    @Path("/export")
    @Produces({"application/jsonl", "text/csv", MediaType.APPLICATION_JSON})
    @Operation(operationId = "exportAudit", summary = "Export the audit trail",
            description = "Streamed, with the chain's fields, verifiable offline; the first line is the export's anchor "
                    + "(docs/audit.md).")
    @APIResponse(responseCode = "200", description = "The entries, as JSON Lines (`format=jsonl`, the default) or CSV.",
            content = {@Content(mediaType = "application/jsonl", schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING))})
    public Response export(@QueryParam("format") String format, @QueryParam("from") String from,
                           @QueryParam("to") String to) {
        String chosen = format == null ? "jsonl" : format;
        if (!chosen.equals("jsonl") && !chosen.equals("csv")) {
            throw ProblemException.validation(List.of(new FieldError("format", "must be jsonl or csv")));
        }
        Instant fromInstant = QueryParams.instant("from", from);
        Instant toInstant = QueryParams.instant("to", to);
        StreamingOutput body = out -> export.write(chosen, fromInstant, toInstant, out);
        return Response.ok(body, chosen.equals("csv") ? "text/csv" : "application/jsonl")
                .header("Content-Disposition", "attachment; filename=\"tollgate-audit." + chosen + "\"")
                .build();
    }

    /** What was in production for (kind, name) at an instant, and the entries that led to it. */
    @GET
    @Path("/production/{kind}/{name}")
    @Operation(operationId = "getProductionAt", summary = "What served in production at an instant",
            description = "With the audit entries that led to it; now when `at` is omitted.")
    @APIResponse(responseCode = "200", description = "What served, and why.")
    public AuditQueries.ProductionAt productionAt(@PathParam("kind") String kind, @PathParam("name") String name,
                                                  @QueryParam("at") String at) {
        Instant when = QueryParams.instant("at", at);
        return queries.productionAt(kind, name, when == null ? clock.instant() : when);
    }


    private static AuditQueries.Position position(String cursor) {
        try {
            return AuditQueries.Position.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("cursor", "is not a cursor this API issued")));
        }
    }

}
