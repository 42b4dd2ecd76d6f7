package dev.tollgate.web;

import dev.tollgate.audit.AuditQueries;
import dev.tollgate.audit.AuditVerification;
import dev.tollgate.audit.AuditVerifier;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.QueryParams;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The auditor's pages over the audit trail: search, one entry, verification, export links. */
@Path("/ui/audit")
@RolesAllowed(Roles.AUDITOR)
public class AuditPages {

    static final int PAGE_SIZE = 100;

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance audit(Chrome page, Search search, List<AuditQueries.View> entries, String nextUrl);

        static native TemplateInstance auditEntry(Chrome page, AuditQueries.View entry, Long previous, long next);

        static native TemplateInstance auditVerify(Chrome page, AuditVerifier.Result result,
                                                   AuditVerification.Report report, long millis);
    }

    /** The search form as typed. Times are RFC 3339, or a local date-time read as UTC. */
    public record Search(String subject, String actor, String type, String from, String to) {
        /** These results from {@code cursor} on. */
        String url(String cursor) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("subject", subject);
            parameters.put("actor", actor);
            parameters.put("type", type);
            parameters.put("from", from);
            parameters.put("to", to);
            parameters.put("cursor", cursor);
            return "/ui/audit?" + QueryParams.encode(parameters);
        }
    }

    private final Ui ui;
    private final AuditQueries queries;
    private final AuditVerification verification;

    AuditPages(Ui ui, AuditQueries queries, AuditVerification verification) {
        this.ui = ui;
        this.queries = queries;
        this.verification = verification;
    }

    @GET
    public Response search(@QueryParam("subject") String subject, @QueryParam("actor") String actor,
                           @QueryParam("type") String type, @QueryParam("from") String from,
                           @QueryParam("to") String to, @QueryParam("cursor") String cursor) {
        Search search = new Search(QueryParams.optional(subject), QueryParams.optional(actor), QueryParams.optional(type),
                QueryParams.optional(from), QueryParams.optional(to));
        AuditQueries.Position after;
        try {
            after = AuditQueries.Position.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw ProblemException.validation(List.of(new FieldError("cursor", "is not a cursor this page issued")));
        }
        Page<AuditQueries.View> page = queries.search(new AuditQueries.Filter(search.subject(), search.actor(),
                search.type(), QueryParams.instant("from", search.from()), QueryParams.instant("to", search.to())), after, PAGE_SIZE);
        String next = page.next() == null ? null : search.url(page.next());
        return ui.page(Templates.audit(ui.chrome("Audit trail", "audit"), search, page.items(), next));
    }

    @GET
    @Path("/entries/{seq}")
    public Response entry(@PathParam("seq") long seq) {
        AuditQueries.View entry = queries.entry(seq).orElseThrow(() -> ProblemException.notFound("Audit entry " + seq));
        return ui.page(Templates.auditEntry(ui.chrome("Audit entry " + seq, "audit"), entry, seq > 1 ? seq - 1 : null,
                seq + 1));
    }

    /** Verifies the whole chain now (read-only, so a GET); at a million entries this takes about ten seconds. */
    @GET
    @Path("/verify")
    public Response verify() {
        long started = System.nanoTime();
        AuditVerification.Report report = verification.verify(null);
        long millis = (System.nanoTime() - started) / 1_000_000;
        return ui.page(Templates.auditVerify(ui.chrome("Verify the audit trail", "audit"), report.result(), report, millis));
    }

}
