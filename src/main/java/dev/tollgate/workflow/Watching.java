package dev.tollgate.workflow;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.CandidateRepository;
import dev.tollgate.candidate.Kind;
import dev.tollgate.candidate.Stage;
import dev.tollgate.candidate.Transitions;
import dev.tollgate.events.PromotionEvent;
import dev.tollgate.pipeline.EvaluationService;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.shared.AdvisoryLocks;
import dev.tollgate.watch.AlertmanagerWebhook;
import dev.tollgate.watch.DriftBounds;
import dev.tollgate.watch.ProductionWatch;
import dev.tollgate.watch.ProductionWatches;
import dev.tollgate.watch.Reevaluation;
import dev.tollgate.watch.Reevaluations;
import dev.tollgate.watch.Signal;
import dev.tollgate.watch.Signals;
import dev.tollgate.watch.ValidSignal;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Watching what is in production (docs/drift.md). A signal is stored once per id and judged against the version
 * in production and its pipeline's policy: a provider answering with another model or fingerprint than the one
 * evaluated, or a drift metric beyond its bound, starts a re-evaluation (reevaluation.bpmn), or joins the one
 * under way; inside the verification window after a release, a signal beyond its bound fails the release at
 * once. One name's signals are handled one at a time, so that ten copies of one observation arriving together
 * start one re-evaluation.
 */
@ApplicationScoped
@Transactional
public class Watching {

    /** A signal as stored, and whether this request stored it (false: a retry found it). */
    public record Received(Signal signal, boolean created) {
    }

    /** One alert of an Alertmanager payload: the signal it became, or why it was ignored. */
    public record AlertReceived(String fingerprint, String status, Signal signal, String ignored) {
    }

    private final CandidateRepository candidates;
    private final Signals signals;
    private final Reevaluations reevaluations;
    private final ProductionWatches watches;
    private final EvaluationService evaluations;
    private final Transitions transitions;
    private final Timers timers;
    private final PromotionProcess process;
    private final Reevaluating reevaluating;

    Watching(CandidateRepository candidates, Signals signals, Reevaluations reevaluations, ProductionWatches watches,
             EvaluationService evaluations, Transitions transitions, Timers timers, PromotionProcess process,
             Reevaluating reevaluating) {
        this.candidates = candidates;
        this.signals = signals;
        this.reevaluations = reevaluations;
        this.watches = watches;
        this.evaluations = evaluations;
        this.transitions = transitions;
        this.timers = timers;
        this.process = process;
        this.reevaluating = reevaluating;
    }

    /** A signal from a monitor (REST or Kafka): stored with what it led to, or found again when retried. */
    public Received receive(ValidSignal in, String receivedBy) {
        Optional<Signal> earlier = signals.earlier(in);
        if (earlier.isPresent()) {
            return new Received(earlier.get(), false);
        }
        // Lock order: this name's watch lock before any candidate (docs/operations.md, "Locks"). A copy of the
        // signal that waited here finds what the first one stored.
        AdvisoryLocks.hold(candidates.getEntityManager(), AdvisoryLocks.WATCH, "watch:" + in.kind() + "/" + in.name());
        earlier = signals.earlier(in);
        if (earlier.isPresent()) {
            return new Received(earlier.get(), false);
        }
        return new Received(signals.record(in, receivedBy, handle(in, receivedBy)), true);
    }

    /**
     * An Alertmanager payload, in one transaction: each alert about a model or prompt is a signal; the others are
     * ignored, and said so. The answers come in the payload's order; the alerts are applied in the order of their
     * names, so that two payloads about the same names never wait for each other's locks in a circle.
     */
    public List<AlertReceived> receiveAlerts(List<AlertmanagerWebhook.Alert> alerts, String receivedBy) {
        AlertReceived[] received = new AlertReceived[alerts.size()];
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            AlertmanagerWebhook.Alert alert = alerts.get(i);
            if (alert.signal() == null) {
                received[i] = new AlertReceived(alert.fingerprint(), alert.status(), null, alert.ignored());
            } else {
                order.add(i);
            }
        }
        order.sort(java.util.Comparator.comparing(i -> alerts.get(i).signal().kind() + "/" + alerts.get(i).signal().name()));
        for (int i : order) {
            AlertmanagerWebhook.Alert alert = alerts.get(i);
            received[i] = new AlertReceived(alert.fingerprint(), alert.status(), receive(alert.signal(), receivedBy).signal(),
                    null);
        }
        return List.of(received);
    }

    private Signals.Handled handle(ValidSignal in, String actor) {
        Optional<Candidate> serving = candidates.inProduction(in.kind(), in.name());
        if (serving.isEmpty()) {
            return new Signals.Handled(Signal.Outcome.NOTHING_IN_PRODUCTION,
                    "nothing of " + in.kind() + " " + in.name() + " is in production", null, null);
        }
        Candidate candidate = candidates.lock(serving.get().id);
        candidates.getEntityManager().refresh(candidate);
        if (candidate.stage != Stage.IN_PRODUCTION) {
            return new Signals.Handled(Signal.Outcome.NOTHING_IN_PRODUCTION,
                    "version " + candidate.version + " left production meanwhile", null, null);
        }
        if (candidates.rollbackUnderWay(candidate.kind, candidate.name)) {
            return handled(Signal.Outcome.ROLLBACK_UNDER_WAY, "a rollback of " + candidate.name
                    + " is under way: version " + candidate.version + " is leaving production", candidate, null);
        }
        PipelinePolicy policy = reevaluating.policy(candidate);
        ProductionWatch watch = watches.find(candidate.id).orElseGet(() -> watches.served(candidate,
                evaluatedWith(candidate), policy.risk(), null));
        if (in.status() == Signal.Status.RESOLVED) {
            return resolved(in, candidate, policy);
        }
        if (in.type() == Signal.Type.PROVIDER) {
            return observed(in, actor, candidate, watch, policy);
        }
        return drift(in, actor, candidate, watch, policy);
    }

    private Signals.Handled observed(ValidSignal in, String actor, Candidate candidate, ProductionWatch watch,
                                     PipelinePolicy policy) {
        String requested = candidate.prompt == null ? null : Objects.toString(candidate.prompt.get("model"), null);
        String pinnedModel = watch.pinnedModel;
        String pinnedFingerprint = watch.pinnedFingerprint;
        ProductionWatches.Observation observation = watches.observe(watch, in, requested, policy.risk());
        if (!observation.changed()) {
            return handled(observation.change() == ProductionWatches.Change.BASELINE ? Signal.Outcome.BASELINE_RECORDED
                    : Signal.Outcome.NO_CHANGE, observation.detail(), candidate, null);
        }
        PipelinePolicy.Reevaluation rules = policy.reevaluation();
        boolean fingerprint = observation.change() == ProductionWatches.Change.FINGERPRINT;
        if (rules == null || !(fingerprint ? rules.triggers().fingerprint() : rules.triggers().model())) {
            return handled(Signal.Outcome.NOT_WATCHED, observation.detail() + "; pipeline " + candidate.pipeline
                    + " does not re-evaluate on " + (fingerprint ? "a fingerprint" : "a model") + " change", candidate, null);
        }
        Reevaluation.Trigger trigger = observation.change() == ProductionWatches.Change.ALIAS
                ? Reevaluation.Trigger.ALIAS_CHANGE : Reevaluation.Trigger.PROVIDER_CHANGE;
        return detected(candidate, policy, trigger, observation.detail(), actor, new PromotionEvent.DriftDetected(
                in.signalId(), trigger.name(), observation.detail(), in.source(), null, null, null, in.provider(),
                in.model(), in.fingerprint(), pinnedModel, pinnedFingerprint));
    }

    private Signals.Handled drift(ValidSignal in, String actor, Candidate candidate, ProductionWatch watch,
                                  PipelinePolicy policy) {
        if (watch.verifying()) {
            Map<String, PipelinePolicy.Threshold> bounds = policy.verification() == null ? Map.of()
                    : policy.verification().bounds();
            Optional<DriftBounds.Breach> breach = DriftBounds.check(in, bounds);
            if (breach.isPresent()) {
                return verificationFailed(in, actor, candidate, watch, policy, breach.get());
            }
        }
        PipelinePolicy.Reevaluation rules = policy.reevaluation();
        if (rules == null || (in.alertKey() != null && !rules.triggers().alerts())) {
            return handled(Signal.Outcome.NOT_WATCHED, "pipeline " + candidate.pipeline + " does not re-evaluate on "
                    + (rules == null ? "signals (no reevaluation section)" : "alerts"), candidate, null);
        }
        Optional<DriftBounds.Breach> breach = DriftBounds.check(in, rules.triggers().drift());
        if (breach.isEmpty()) {
            return handled(Signal.Outcome.WITHIN_BOUNDS, DriftBounds.within(in, rules.triggers().drift()), candidate, null);
        }
        DriftBounds.Breach b = breach.get();
        return detected(candidate, policy, Reevaluation.Trigger.DRIFT, b.detail(), actor, new PromotionEvent.DriftDetected(
                in.signalId(), Reevaluation.Trigger.DRIFT.name(), b.detail(), in.source(), b.metric(), b.value(),
                b.bound(), null, null, null, null, null));
    }

    /** A detection joins the re-evaluation under way, or starts one. */
    private Signals.Handled detected(Candidate candidate, PipelinePolicy policy, Reevaluation.Trigger trigger,
                                     String detail, String actor, PromotionEvent.DriftDetected event) {
        Optional<Reevaluation> underWay = reevaluations.underWay(candidate.id);
        if (underWay.isPresent()) {
            Reevaluation running = reevaluations.lock(underWay.get().id);
            reevaluations.merge(running);
            return handled(Signal.Outcome.MERGED, detail + "; joined the re-evaluation under way since "
                    + running.startedAt + " (" + running.signals + " signals)", candidate, running.id);
        }
        transitions.record(candidate, event, actor, detail);
        Reevaluation started = reevaluating.open(candidate, policy, trigger, detail);
        reevaluations.merge(started);
        reevaluating.run(started);
        return handled(Signal.Outcome.REEVALUATION_STARTED, detail, candidate, started.id);
    }

    /**
     * A signal beyond its bound inside the verification window: the release failed its verification, and the
     * policy's reaction follows at once through a re-evaluation that needs no suites.
     */
    private Signals.Handled verificationFailed(ValidSignal in, String actor, Candidate candidate, ProductionWatch watch,
                                               PipelinePolicy policy, DriftBounds.Breach breach) {
        watches.endVerification(watch, ProductionWatch.VerificationStatus.FAILED);
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.VERIFICATION_END));
        reevaluations.underWay(candidate.id).ifPresent(running -> reevaluating.end(reevaluations.lock(running.id), candidate,
                "SUPERSEDED", "the release failed its verification: " + breach.detail()));
        PipelinePolicy.Reaction reaction = policy.verification() == null ? PipelinePolicy.Reaction.ROLL_BACK
                : policy.verification().onFail();
        Reevaluation failed = reevaluating.open(candidate, policy, Reevaluation.Trigger.VERIFICATION,
                "verification failed: " + breach.detail());
        failed.gates = List.of(verificationCheck(breach));
        reevaluations.merge(failed);
        transitions.record(candidate, new PromotionEvent.VerificationFailed(in.signalId(), breach.metric(), breach.value(),
                breach.bound(), reaction.name(), failed.id.toString()), actor, breach.detail());
        reevaluating.run(failed);
        return handled(Signal.Outcome.VERIFICATION_FAILED, breach.detail(), candidate, failed.id);
    }

    /**
     * A resolved alert, recorded beside the alert it closes. When that alert started (or joined) a re-evaluation
     * still waiting for its suites, and nothing else that started it still stands, the policy says whether the
     * re-evaluation ends ({@code onResolved: END}) or goes on.
     */
    private Signals.Handled resolved(ValidSignal in, Candidate candidate, PipelinePolicy policy) {
        Optional<Signal> firing = signals.firing(in.alertKey());
        if (firing.isEmpty()) {
            return handled(Signal.Outcome.RESOLVED, "resolved; Tollgate never received it firing", candidate, null);
        }
        Signal opened = firing.get();
        String detail = "the alert received as " + opened.signalId + " resolved";
        if (opened.reevaluationId == null) {
            return handled(Signal.Outcome.RESOLVED, detail, candidate, null);
        }
        Reevaluation reevaluation = reevaluations.lock(opened.reevaluationId);
        if (reevaluation.status != Reevaluation.Status.RUNNING || reevaluation.judgedAt != null) {
            return handled(Signal.Outcome.RESOLVED, detail + "; its re-evaluation is " + reevaluation.status,
                    candidate, reevaluation.id);
        }
        boolean end = policy.reevaluation() == null
                || policy.reevaluation().onResolved() == PipelinePolicy.OnResolved.END;
        if (!end) {
            return handled(Signal.Outcome.RESOLVED, detail + "; the re-evaluation goes on (onResolved: CONTINUE)",
                    candidate, reevaluation.id);
        }
        boolean stands = reevaluation.trigger == Reevaluation.Trigger.SCHEDULE
                || reevaluation.trigger == Reevaluation.Trigger.VERIFICATION
                || signals.standing(reevaluation.id, in.alertKey());
        if (stands) {
            return handled(Signal.Outcome.RESOLVED, detail + "; other signals of the re-evaluation still stand: it goes on",
                    candidate, reevaluation.id);
        }
        reevaluating.end(reevaluation, candidate, "ALERT_RESOLVED", detail + " before the suites reported (onResolved: END)");
        return handled(Signal.Outcome.RESOLVED, detail + "; the re-evaluation it started ended (onResolved: END)",
                candidate, reevaluation.id);
    }

    /**
     * Versions that already served when this instance started (before watching existed, or before their pipeline's
     * policy asked for a schedule) are watched too: their watch and their schedule are set up once, by whichever
     * replica gets there first.
     */
    void watchWhatServes(@Observes StartupEvent startup) {
        QuarkusTransaction.requiringNew().run(() -> {
            AdvisoryLocks.hold(candidates.getEntityManager(), AdvisoryLocks.WATCH, "watch:start-up");
            for (Candidate candidate : candidates.list("stage", Stage.IN_PRODUCTION)) {
                PipelinePolicy policy = reevaluating.policy(candidate);
                if (watches.find(candidate.id).isEmpty()) {
                    watches.served(candidate, evaluatedWith(candidate), policy.risk(), null);
                }
                var every = policy.reevaluation() == null ? null : policy.reevaluation().every();
                if (every != null && !timers.pending(candidate.id, ScheduledTimer.Purpose.REEVALUATION_SCHEDULE)) {
                    timers.schedule(candidate.id, ScheduledTimer.Purpose.REEVALUATION_SCHEDULE, null, every);
                }
            }
        });
    }

    /** The schedule's timer: a re-evaluation of the version in production, unless one is under way; the next one is set. */
    void scheduled(Candidate candidate) {
        if (candidate.stage != Stage.IN_PRODUCTION) {
            return;
        }
        PipelinePolicy policy = reevaluating.policy(candidate);
        if (policy.reevaluation() == null || policy.reevaluation().every() == null) {
            return;
        }
        timers.schedule(candidate.id, ScheduledTimer.Purpose.REEVALUATION_SCHEDULE, null, policy.reevaluation().every());
        if (reevaluations.underWay(candidate.id).isPresent() || candidates.rollbackUnderWay(candidate.kind, candidate.name)) {
            return;
        }
        reevaluating.run(reevaluating.open(candidate, policy, Reevaluation.Trigger.SCHEDULE,
                "scheduled: pipeline " + candidate.pipeline + " re-evaluates every " + policy.reevaluation().every()));
    }

    /** The verification window's timer: it closed with no signal beyond its bounds. */
    void verificationWindowEnded(Candidate candidate) {
        if (candidate.stage != Stage.IN_PRODUCTION) {
            return;
        }
        watches.find(candidate.id).filter(ProductionWatch::verifying).ifPresent(watch -> {
            watches.endVerification(watch, ProductionWatch.VerificationStatus.PASSED);
            transitions.record(candidate, new PromotionEvent.VerificationPassed(watch.verificationFrom.toString(),
                    watch.verificationUntil.toString()), Transitions.SYSTEM,
                    "No signal beyond its bounds during the verification window");
        });
    }

    /** A re-evaluation's suites did not all report in time: its process goes on to the verdict, which fails. */
    void suitesOverdue(Candidate candidate, UUID reevaluationId) {
        reevaluations.find(reevaluationId)
                .filter(r -> r.status == Reevaluation.Status.RUNNING && r.judgedAt == null)
                .ifPresent(r -> process.signal(r.processInstanceId, PromotionProcess.REEVALUATION_DONE));
    }

    /**
     * The candidate now serves in production (a promotion or a rollback): its watch starts, with the snapshot its
     * evaluation reported, the verification window and the schedule its pipeline's policy asks for. The caller
     * holds the candidate's lock.
     */
    void enteredProduction(Candidate candidate) {
        PipelinePolicy policy = reevaluating.policy(candidate);
        var window = policy.verification() == null ? null : policy.verification().window();
        watches.served(candidate, evaluatedWith(candidate), policy.risk(), window);
        if (window != null) {
            timers.schedule(candidate.id, ScheduledTimer.Purpose.VERIFICATION_END, null, window);
        }
        if (policy.reevaluation() != null && policy.reevaluation().every() != null) {
            timers.schedule(candidate.id, ScheduledTimer.Purpose.REEVALUATION_SCHEDULE, null, policy.reevaluation().every());
        }
    }

    /** The candidate no longer serves (replaced, or rolled back): what watched it ends. The caller holds its lock. */
    void leftProduction(Candidate candidate, String replacedBy) {
        reevaluations.underWay(candidate.id).ifPresent(r -> reevaluating.end(reevaluations.lock(r.id), candidate,
                "LEFT_PRODUCTION", "version " + replacedBy + " serves in production now"));
        watches.find(candidate.id).ifPresent(w -> watches.endVerification(w, ProductionWatch.VerificationStatus.ENDED));
        timers.cancel(candidate.id, List.of(ScheduledTimer.Purpose.VERIFICATION_END,
                ScheduledTimer.Purpose.REEVALUATION_SCHEDULE, ScheduledTimer.Purpose.REEVALUATION_TIMEOUT,
                ScheduledTimer.Purpose.APPROVAL_TIMEOUT, ScheduledTimer.Purpose.APPROVAL_REMINDER));
    }

    private Optional<ProductionWatches.Snapshot> evaluatedWith(Candidate candidate) {
        if (candidate.kind != Kind.PROMPT) {
            return Optional.empty();
        }
        return evaluations.evaluatedWith(candidate).map(m -> new ProductionWatches.Snapshot(m.get("provider"),
                m.get("model"), m.get("fingerprint")));
    }

    private static Map<String, Object> verificationCheck(DriftBounds.Breach breach) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("gate", "VERIFICATION");
        check.put("metric", breach.metric());
        check.put("value", breach.value());
        check.put("operator", breach.bound() == null ? "ALERT" : "BOUND");
        check.put("bound", breach.bound());
        check.put("baseline", null);
        check.put("passed", false);
        check.put("detail", breach.detail());
        return check;
    }

    private static Signals.Handled handled(Signal.Outcome outcome, String detail, Candidate candidate, UUID reevaluationId) {
        return new Signals.Handled(outcome, detail, candidate.id, reevaluationId);
    }
}
