package dev.tollgate.pipeline;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.Stage;
import dev.tollgate.security.Caller;
import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Evaluation reports from the systems that run evaluation suites, and what the gates read of them: the
 * pending suites, the merged metrics, whether the evidence is independent of the submitter.
 */
@ApplicationScoped
@Transactional
public class EvaluationService {

    private static final Pattern SUITE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

    /** A report that passed validation. */
    public record ValidReport(String suite, Boolean passed, Map<String, Double> metrics, String reportUri,
                              Map<String, String> observed) {
    }

    /** The stored report, and whether it was the last required suite to report. */
    public record Recorded(EvaluationReport report, boolean complete) {
    }

    private final EntityManager em;
    private final PipelinePolicies policies;
    private final Clock clock;

    EvaluationService(EntityManager em, PipelinePolicies policies, Clock clock) {
        this.em = em;
        this.policies = policies;
        this.clock = clock;
    }

    /** Records a report on the candidate, which the caller has locked. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recorded record(Candidate candidate, ValidReport request, Caller caller) {
        refuseSubmitter(candidate, caller);
        if (candidate.stage != Stage.EVALUATING) {
            throw new ProblemException(ProblemType.WRONG_STAGE,
                    "Evaluation reports are accepted while the candidate is EVALUATING, AWAITING_APPROVAL while its "
                            + "approval task is open, or IN_PRODUCTION while a re-evaluation waits for its suites; it is "
                            + candidate.stage,
                    List.of(), Map.of("stage", candidate.stage.name()));
        }
        EvaluationReport report = store(candidate, request, caller, null);
        return new Recorded(report, pendingSuites(candidate).isEmpty());
    }

    /**
     * Records a report that arrives after evaluation ended, while the candidate waits for approval (the caller has
     * locked it and checked that its approval task is open): evidence the approvers must see before they decide.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EvaluationReport recordLate(Candidate candidate, ValidReport request, Caller caller) {
        refuseSubmitter(candidate, caller);
        return store(candidate, request, caller, null);
    }

    /**
     * Records a report that answers a re-evaluation of the version in production, which the caller has locked;
     * complete when every one of {@code suites} has reported for it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Recorded recordForReevaluation(Candidate candidate, ValidReport request, Caller caller, UUID reevaluationId,
                                          List<String> suites) {
        refuseSubmitter(candidate, caller);
        EvaluationReport report = store(candidate, request, caller, reevaluationId);
        Set<String> reported = new LinkedHashSet<>(reportsOf(reevaluationId).stream().map(r -> r.suite).toList());
        return new Recorded(report, reported.containsAll(suites));
    }

    /** The reports of a re-evaluation, in the order they arrived. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EvaluationReport> reportsOf(UUID reevaluationId) {
        return em.createQuery("from EvaluationReport where reevaluationId = :id order by id", EvaluationReport.class)
                .setParameter("id", reevaluationId).getResultList();
    }

    /** What answered during the candidate's evaluation, by its latest report that said so. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Map<String, String>> evaluatedWith(Candidate candidate) {
        List<EvaluationReport> reports = reports(candidate.id);
        for (int i = reports.size() - 1; i >= 0; i--) {
            if (reports.get(i).observed != null) {
                return Optional.of(reports.get(i).observed);
            }
        }
        return Optional.empty();
    }

    private static void refuseSubmitter(Candidate candidate, Caller caller) {
        if (caller.is(candidate.submittedBy)) {
            // Nobody grades their own exam: the evidence for a candidate comes from someone who did not submit it.
            throw new ProblemException(ProblemType.SEPARATION_OF_DUTIES,
                    "You submitted this candidate, so you cannot report its evaluations");
        }
    }

    private EvaluationReport store(Candidate candidate, ValidReport request, Caller caller, UUID reevaluationId) {
        EvaluationReport report = new EvaluationReport();
        report.candidateId = candidate.id;
        report.suite = request.suite();
        report.passed = request.passed();
        report.metrics = request.metrics();
        report.reportUri = request.reportUri();
        report.reportedBy = caller.name();
        report.reportedAt = clock.instant();
        report.reevaluationId = reevaluationId;
        report.observed = request.observed();
        em.persist(report);
        em.flush();
        return report;
    }

    /** The required suites of the candidate's pinned policy that have not reported yet. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> pendingSuites(Candidate candidate) {
        Set<String> reported = new LinkedHashSet<>(reports(candidate.id).stream().map(r -> r.suite).toList());
        return policies.pinned(candidate.policyDigest).evaluation().suites().stream()
                .filter(suite -> !reported.contains(suite)).toList();
    }

    /**
     * Whether every required suite of the pinned policy reported, and reported by someone other than the
     * submitter. A pipeline that requires no suite has no independent evidence at all.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean independentlyEvaluated(Candidate candidate) {
        List<String> required = policies.pinned(candidate.policyDigest).evaluation().suites();
        if (required.isEmpty()) {
            return false;
        }
        Map<String, EvaluationReport> latest = new LinkedHashMap<>();
        reports(candidate.id).forEach(r -> latest.put(r.suite, r));
        return required.stream().allMatch(suite -> latest.containsKey(suite)
                && !Caller.samePrincipal(latest.get(suite).reportedBy, candidate.submittedBy));
    }

    /** The reports of the candidate's own evaluation (not of later re-evaluations), in the order they arrived. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EvaluationReport> reports(UUID candidateId) {
        return em.createQuery("from EvaluationReport where candidateId = :id and reevaluationId is null order by id",
                        EvaluationReport.class)
                .setParameter("id", candidateId).getResultList();
    }

    /**
     * The metrics the gates judge: those submitted, overridden by those the evaluation suites
     * reported (the later report wins), since the evaluators measured them independently.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Double> metricsOf(Candidate candidate) {
        Map<String, Double> merged = new LinkedHashMap<>(candidate.metrics);
        reports(candidate.id).forEach(r -> merged.putAll(r.metrics));
        return merged;
    }

    /** Refuses (400 naming each field) a report that no candidate could accept. */
    public static ValidReport validate(EvaluationRequest request) {
        List<FieldError> errors = new ArrayList<>();
        if (request.suite() == null || !SUITE.matcher(request.suite()).matches()) {
            errors.add(new FieldError("suite", "is required and must match [a-z0-9][a-z0-9._-]{0,62}"));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (request.metrics() != null) {
            request.metrics().forEach((name, value) -> {
                if (!METRIC_NAME.matcher(name).matches()) {
                    errors.add(new FieldError("metrics." + name, "metric names must match [A-Za-z0-9][A-Za-z0-9._:/-]{0,127}"));
                } else if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
                    errors.add(new FieldError("metrics." + name, "must be a finite number"));
                } else {
                    metrics.put(name, value.doubleValue());
                }
            });
        }
        if (request.reportUri() != null) {
            try {
                if (new URI(request.reportUri()).getScheme() == null || request.reportUri().length() > 2048) {
                    errors.add(new FieldError("reportUri", "must be an absolute URI of at most 2048 characters"));
                }
            } catch (URISyntaxException e) {
                errors.add(new FieldError("reportUri", "is not a valid URI"));
            }
        }
        Map<String, String> observed = observed(request.observed(), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new ValidReport(request.suite(), request.passed(), metrics, request.reportUri(), observed);
    }

    private static Map<String, String> observed(EvaluationRequest.Observed observed, List<FieldError> errors) {
        if (observed == null) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("provider", observed.provider());
        fields.put("model", observed.model());
        fields.put("fingerprint", observed.fingerprint());
        fields.forEach((field, value) -> {
            if (value != null && (value.isBlank() || value.length() > 255)) {
                errors.add(new FieldError("observed." + field, "must be 1 to 255 characters"));
            }
        });
        if (observed.model() == null) {
            errors.add(new FieldError("observed.model", "is required: the model the provider said answered"));
        }
        fields.values().removeIf(java.util.Objects::isNull);
        return fields;
    }
}
