package dev.tollgate.candidate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.approval.ApprovalService;
import dev.tollgate.events.EventTypes;
import dev.tollgate.pipeline.EvaluationService;
import dev.tollgate.pipeline.GateResult;
import dev.tollgate.pipeline.RiskAssessment;
import dev.tollgate.pipeline.Timers;
import dev.tollgate.security.Roles;
import dev.tollgate.pipeline.PipelinePolicies;
import dev.tollgate.pipeline.PromotionProcess;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.CanonicalJson;
import dev.tollgate.shared.Cursor;
import dev.tollgate.shared.JsonBodies;
import dev.tollgate.shared.Page;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import dev.tollgate.shared.StoredText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Submitting candidates and reading them. A submission is one transaction: the candidate, its
 * pinned policy, the promotion's first steps (up to the approval task or a failed gate) and their
 * events all commit together, or nothing does.
 */
@ApplicationScoped
@Transactional
public class CandidateService {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final CandidateRepository candidates;
    private final PipelinePolicies policies;
    private final Transitions transitions;
    private final PromotionProcess process;
    private final ApprovalService approvals;
    private final EvaluationService evaluations;
    private final Timers timers;
    private final EntityManager em;
    private final Clock clock;

    CandidateService(CandidateRepository candidates, PipelinePolicies policies, Transitions transitions,
                     PromotionProcess process, ApprovalService approvals, EvaluationService evaluations, Timers timers,
                     EntityManager em, Clock clock) {
        this.candidates = candidates;
        this.policies = policies;
        this.transitions = transitions;
        this.process = process;
        this.approvals = approvals;
        this.evaluations = evaluations;
        this.timers = timers;
        this.em = em;
        this.clock = clock;
    }

    /** What a submission did: created a candidate, or found the one an earlier identical request created. */
    public record Submission(CandidateView candidate, boolean created) {
    }

    public Submission submit(byte[] body, String idempotencyKey, Caller caller) {
        JsonNode tree = JsonBodies.tree(body);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.validation(List.of(new FieldError("Idempotency-Key",
                    "must be 1 to 255 printable ASCII characters without spaces")));
        }
        CandidateValidator.Valid valid = CandidateValidator.validate(JsonBodies.bind(tree, SubmitCandidateRequest.class));
        String requestHash = CanonicalJson.fingerprint(tree);
        // Retries of one submission arrive together (a CI job that timed out): they take their turn here, so
        // the later ones find what the first committed instead of racing it into a unique-key violation.
        candidates.lockSubmission(caller.name(), idempotencyKey, valid.kind(), valid.name(), valid.version());

        if (idempotencyKey != null) {
            IdempotencyRecord seen = em.find(IdempotencyRecord.class,
                    new IdempotencyRecord.Key(caller.name(), idempotencyKey));
            if (seen != null) {
                if (!seen.requestHash.equals(requestHash)) {
                    throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was used for a different request body",
                            List.of(), Map.of("candidateId", seen.candidateId.toString()));
                }
                return new Submission(view(candidates.findById(seen.candidateId)), false);
            }
        }

        Optional<Candidate> existing = candidates.findByIdentity(valid.kind(), valid.name(), valid.version());
        if (existing.isPresent()) {
            Candidate candidate = existing.get();
            if (!candidate.digest.equals(valid.digest())) {
                throw new ProblemException(ProblemType.DIGEST_CONFLICT,
                        valid.kind() + " " + valid.name() + " " + valid.version()
                                + " was already submitted with digest " + candidate.digest,
                        List.of(), Map.of("candidateId", candidate.id.toString()));
            }
            // Only a repeat of the request that created it (same Idempotency-Key) gets the candidate back as a success.
            throw new ProblemException(ProblemType.ALREADY_SUBMITTED,
                    valid.kind() + " " + valid.name() + " " + valid.version() + " was already submitted as candidate "
                            + candidate.id + "; to retry a submission safely, send the same Idempotency-Key",
                    List.of(), Map.of("candidateId", candidate.id.toString()));
        }

        PipelinePolicies.Loaded policy = policies.find(valid.pipeline()).orElseThrow(() ->
                ProblemException.validation(List.of(new FieldError("pipeline",
                        "unknown pipeline '" + valid.pipeline() + "'; see GET /api/v1/pipelines"))));
        List<String> kinds = policy.policy().kinds();
        if (!kinds.isEmpty() && !kinds.contains(valid.kind().name())) {
            throw ProblemException.validation(List.of(new FieldError("pipeline",
                    "pipeline '" + valid.pipeline() + "' is for " + String.join(" and ", kinds) + " candidates")));
        }
        policies.pin(policy.policy().name());

        Instant now = clock.instant();
        Candidate candidate = new Candidate();
        candidate.id = UUID.randomUUID();
        candidate.kind = valid.kind();
        candidate.name = valid.name();
        candidate.version = valid.version();
        candidate.digest = valid.digest();
        candidate.artifactUri = valid.artifactUri();
        candidate.prompt = valid.prompt() == null ? null : JsonBodies.toMap(valid.prompt());
        candidate.pipeline = policy.policy().name();
        candidate.policyDigest = policy.digest();
        candidate.submittedBy = caller.name();
        candidate.submittedAt = now;
        candidate.metrics = valid.metrics();
        candidate.labels = valid.labels();
        candidate.description = valid.description();
        candidate.updatedAt = now;
        transitions.submitted(candidate, caller.name(),
                valid.description() == null ? "Submitted" : valid.description());
        em.flush();

        candidate.processInstanceId = process.start(candidate.id.toString());
        remember(idempotencyKey, caller, requestHash, candidate.id);
        em.flush();
        return new Submission(view(candidate), true);
    }

    /**
     * Stops a running promotion: its workflow instance is aborted, its open approval task and its
     * timers are closed, and the candidate ends CANCELLED. Only its submitter or an admin may.
     */
    public CandidateView cancel(UUID id, String reason, Caller caller) {
        if (reason != null && reason.length() > 4000) {
            throw ProblemException.validation(List.of(new FieldError("reason", "must be at most 4000 characters")));
        }
        StoredText.require("reason", reason);
        Candidate candidate = candidates.lock(id);
        if (!caller.is(candidate.submittedBy) && !caller.hasRole(Roles.ADMIN)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only the candidate's submitter or an admin may cancel it");
        }
        if (candidate.stage == Stage.DEPLOYING_PRODUCTION) {
            // The deployers may already be rolling it out: cancelling now would leave the record saying otherwise.
            throw new ProblemException(ProblemType.WRONG_STAGE, "The production deployment of this candidate was already "
                    + "requested, so it can no longer be cancelled; wait for the deployer's result, then roll back with "
                    + "POST /api/v1/releases/" + candidate.kind + "/" + candidate.name + "/rollback if needed",
                    List.of(), Map.of("stage", candidate.stage.name()));
        }
        if (candidate.stage.isTerminal() || candidate.stage == Stage.IN_PRODUCTION || candidate.rollbackInstanceId != null) {
            throw new ProblemException(ProblemType.WRONG_STAGE, "A candidate that is " + candidate.stage
                    + (candidate.rollbackInstanceId != null ? " (being rolled back to)" : "")
                    + " cannot be cancelled" + (candidate.stage == Stage.IN_PRODUCTION ? "; roll it back instead" : ""),
                    List.of(), Map.of("stage", candidate.stage.name()));
        }
        process.abort(candidate.processInstanceId);
        approvals.cancelOpen(candidate.id);
        timers.cancel(candidate.id, List.of());
        transitions.move(candidate, Stage.CANCELLED, EventTypes.CANCELLED, caller.name(),
                reason == null || reason.isBlank() ? "Cancelled" : reason.strip(), Map.of());
        em.flush();
        return view(candidate);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<CandidateView> find(UUID id) {
        return candidates.findByIdOptional(id).map(this::view);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<CandidateView> list(CandidateRepository.CandidateFilter filter, Cursor after, int limit) {
        List<Candidate> rows = candidates.page(filter, after == null ? null : after.at(),
                after == null ? null : after.id(), limit + 1);
        List<CandidateView> items = rows.subList(0, Math.min(limit, rows.size())).stream().map(this::view).toList();
        String next = null;
        if (rows.size() > limit) {
            CandidateView last = items.get(items.size() - 1);
            next = new Cursor(last.submittedAt(), last.id()).encode();
        }
        return new Page<>(items, next);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<List<CandidateView.History>> history(UUID id) {
        if (candidates.findByIdOptional(id).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(candidates.history(id).stream()
                .map(h -> new CandidateView.History(h.seq, h.at, h.eventType,
                        h.fromStage == null ? null : h.fromStage.name(), h.toStage.name(), h.actor, h.reason))
                .toList());
    }

    private void remember(String idempotencyKey, Caller caller, String requestHash, UUID candidateId) {
        if (idempotencyKey == null) {
            return;
        }
        IdempotencyRecord record = new IdempotencyRecord();
        record.principal = caller.name();
        record.idemKey = idempotencyKey;
        record.requestHash = requestHash;
        record.candidateId = candidateId;
        record.createdAt = clock.instant();
        em.persist(record);
    }

    private CandidateView view(Candidate c) {
        List<CandidateView.Gate> gates = em.createQuery(
                        "from GateResult where candidateId = :id order by id", GateResult.class)
                .setParameter("id", c.id)
                .getResultStream()
                .map(g -> new CandidateView.Gate(g.gate, g.metric, g.value, g.operator, g.bound, g.baseline, g.passed,
                        g.detail))
                .toList();
        CandidateView.Release release = null;
        if (c.stage == Stage.IN_PRODUCTION) {
            Instant since = candidates.history(c.id).stream()
                    .filter(h -> h.toStage == Stage.IN_PRODUCTION).map(h -> h.at).findFirst().orElse(c.updatedAt);
            release = new CandidateView.Release("production", since);
        }
        List<CandidateView.Report> reports = evaluations.reports(c.id).stream()
                .map(r -> new CandidateView.Report(r.suite, r.passed, r.metrics, r.reportUri, r.reportedBy, r.reportedAt))
                .toList();
        List<String> required = policies.pinned(c.policyDigest).evaluation().suites();
        List<String> pending = c.stage == Stage.SUBMITTED || c.stage == Stage.EVALUATING
                ? evaluations.pendingSuites(c) : List.of();
        RiskAssessment risk = em.find(RiskAssessment.class, c.id);
        return new CandidateView(c.id, c.kind.name(), c.name, c.version, c.digest, c.artifactUri, c.prompt,
                c.pipeline, c.policyDigest, c.stage.name(), c.stage.status(), c.submittedBy, c.submittedAt,
                c.metrics, c.labels, c.description,
                new CandidateView.Evaluation(required, pending, reports, gates),
                risk == null ? null : new CandidateView.Risk(risk.tier.name(), risk.reasons),
                approvals.summary(c.id).orElse(null), release);
    }
}
