package dev.tollgate.web;

import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.approval.ApprovalInbox;
import dev.tollgate.workflow.CandidateViews;
import dev.tollgate.workflow.CandidateView;
import dev.tollgate.workflow.ReevaluationView;
import dev.tollgate.workflow.ReevaluationViews;
import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.release.ReleasePeriod;
import dev.tollgate.release.Releases;
import dev.tollgate.security.Roles;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.QueryParams;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Candidates (list with filters, one candidate's page) and releases: readable by every role. */
@Path("/ui")
// Any of the contract's roles: signing in with none of them (an IdP user Tollgate does not know) is not enough.
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class CandidatePages {

    static final int PAGE_SIZE = 50;
    private static final int HISTORY = 20;
    private static final int REEVALUATIONS = 20;

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance candidates(Chrome page, Filter filter, List<CandidateView> candidates,
                                                  String nextUrl, List<String> stages);

        static native TemplateInstance candidate(Chrome page, CandidateView candidate,
                                                 List<CandidateView.History> history, RawString picture,
                                                 String flash, boolean canDecide, ReevaluationBanner banner,
                                                 WatchPanel production, List<ReevaluationView> reevaluations);

        static native TemplateInstance releases(Chrome page, List<Serving> serving);

        static native TemplateInstance release(Chrome page, String kind, String name,
                                               Map<String, List<ReleasePeriod>> environments,
                                               ReevaluationBanner banner, WatchPanel production);
    }

    /** The list's filters as typed, so that the form shows them again. */
    public record Filter(String kind, String name, String stage, String submittedBy) {
        /** This list from {@code cursor} on. */
        String url(String cursor) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("kind", kind);
            parameters.put("name", name);
            parameters.put("stage", stage);
            parameters.put("submittedBy", submittedBy);
            parameters.put("cursor", cursor);
            return "/ui/candidates?" + QueryParams.encode(parameters);
        }
    }

    /** One row of the releases page: a name and what serves in each environment. */
    public record Serving(String kind, String name, ReleasePeriod production, ReleasePeriod staging) {
    }

    private final Ui ui;
    private final CandidateViews candidates;
    private final ApprovalInbox approvals;
    private final ProcessPicture picture;
    private final Releases releases;
    private final ReevaluationViews reevaluations;

    CandidatePages(Ui ui, CandidateViews candidates, ApprovalInbox approvals, ProcessPicture picture, Releases releases,
                   ReevaluationViews reevaluations) {
        this.ui = ui;
        this.candidates = candidates;
        this.approvals = approvals;
        this.picture = picture;
        this.releases = releases;
        this.reevaluations = reevaluations;
    }

    @GET
    public Response home() {
        var caller = ui.caller();
        if (caller.hasRole(Roles.APPROVER) || caller.hasRole(Roles.RISK_OFFICER)) {
            return Ui.seeOther("/ui/inbox");
        }
        return Ui.seeOther(caller.hasRole(Roles.AUDITOR) ? "/ui/audit" : "/ui/candidates");
    }

    @GET
    @Path("/candidates")
    public Response list(@QueryParam("kind") String kind, @QueryParam("name") String name,
                         @QueryParam("stage") String stage, @QueryParam("submittedBy") String submittedBy,
                         @QueryParam("cursor") String cursor) {
        Filter filter = new Filter(QueryParams.optional(kind), QueryParams.optional(name), QueryParams.optional(stage),
                QueryParams.optional(submittedBy));
        var query = new CandidateRepository.CandidateFilter(QueryParams.enumValue(Kind.class, "kind", filter.kind()),
                filter.name(), QueryParams.enumValue(Stage.class, "stage", filter.stage()), null, filter.submittedBy());
        Page<CandidateView> page = candidates.list(query, Cursor.decode(cursor), PAGE_SIZE);
        String next = page.next() == null ? null : filter.url(page.next());
        List<String> stages = Arrays.stream(Stage.values()).map(Stage::name).toList();
        return ui.page(Templates.candidates(ui.chrome("Candidates", "candidates"), filter, page.items(), next, stages));
    }

    @GET
    @Path("/candidates/{id}")
    public Response candidate(@PathParam("id") UUID id, @QueryParam("voted") String voted) {
        CandidateView candidate = candidates.find(id).orElseThrow(() -> ProblemException.notFound("Candidate " + id));
        List<CandidateView.History> history = candidates.history(id).orElse(List.of());
        Stage stage = Stage.valueOf(candidate.stage());
        Stage previous = history.isEmpty() || history.get(history.size() - 1).from() == null ? null
                : Stage.valueOf(history.get(history.size() - 1).from());
        String flash = switch (voted == null ? "" : voted) {
            case "APPROVE" -> "Your approval is recorded.";
            case "REJECT" -> "Your rejection is recorded.";
            case "KEEP" -> "Your decision to keep this version is recorded.";
            case "ROLL_BACK" -> "Your decision to roll this version back is recorded.";
            default -> null;
        };
        var caller = ui.caller();
        // The domain's rule, not a copy: the vote form is offered only to someone whose vote would count.
        boolean canDecide = candidate.approvals() != null
                && approvals.refusal(candidate.approvals().taskId(), caller).isEmpty();
        return ui.page(Templates.candidate(ui.chrome(candidate.name() + " " + candidate.version(), "candidates"),
                candidate, history, new RawString(picture.marked(stage, previous)), flash, canDecide,
                ReevaluationBanner.of("this version", candidate, approvals, caller), WatchPanel.of(candidate),
                reevaluations.ofCandidate(id, REEVALUATIONS)));
    }

    @GET
    @Path("/releases")
    public Response releases() {
        Map<String, Serving> byName = new LinkedHashMap<>();
        for (ReleasePeriod period : releases.current(2000)) {
            String key = period.kind + "/" + period.name;
            Serving row = byName.getOrDefault(key, new Serving(period.kind, period.name, null, null));
            byName.put(key, Releases.PRODUCTION.equals(period.environment)
                    ? new Serving(row.kind(), row.name(), period, row.staging())
                    : new Serving(row.kind(), row.name(), row.production(), period));
        }
        return ui.page(Templates.releases(ui.chrome("Releases", "releases"), List.copyOf(byName.values())));
    }

    @GET
    @Path("/releases/{kind}/{name}")
    public Response release(@PathParam("kind") String kind, @PathParam("name") String name) {
        Kind parsed = QueryParams.enumValue(Kind.class, "kind", kind);
        Map<String, List<ReleasePeriod>> environments = new LinkedHashMap<>();
        for (String environment : List.of(Releases.PRODUCTION, Releases.STAGING)) {
            environments.put(environment, releases.history(parsed.name(), name, environment, HISTORY));
        }
        // The version serving in production now: its re-evaluation under way, and for a prompt its model snapshots.
        CandidateView serving = environments.get(Releases.PRODUCTION).stream().filter(p -> p.endedAt == null)
                .findFirst().flatMap(p -> candidates.find(p.candidateId)).orElse(null);
        ReevaluationBanner banner = serving == null ? null
                : ReevaluationBanner.of("version " + serving.version() + ", in production now", serving, approvals,
                ui.caller());
        return ui.page(Templates.release(ui.chrome(name, "releases"), parsed.name(), name, environments, banner,
                WatchPanel.of(serving)));
    }
}
