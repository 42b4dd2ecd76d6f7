package dev.tollgate.watch;

import dev.tollgate.candidate.Candidate;
import dev.tollgate.candidate.Kind;
import dev.tollgate.pipeline.PipelinePolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What Tollgate knows of each version in production: for a prompt, the model snapshot it was evaluated with and the
 * one its provider answers with now, compared at every provider observation; for every version, its verification
 * window. The caller holds the version's row lock.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class ProductionWatches {

    /** What an evaluator saw answer during an evaluation. */
    public record Snapshot(String provider, String model, String fingerprint) {
    }

    /** What a provider observation shows against the pinned snapshot. */
    public enum Change { NONE, BASELINE, PROVIDER, MODEL, ALIAS, FINGERPRINT }

    /** The comparison, in words for the signal and the event. */
    public record Observation(Change change, String detail) {

        public boolean changed() {
            return change != Change.NONE && change != Change.BASELINE;
        }
    }

    private final EntityManager em;
    private final Clock clock;

    ProductionWatches(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ProductionWatch> find(UUID candidateId) {
        return Optional.ofNullable(em.find(ProductionWatch.class, candidateId));
    }

    /**
     * The version now serves in production: its watch starts, with the snapshot its evaluation reported (if any) or
     * the dated model its prompt names, and a verification window of {@code window} (none when null). A version
     * back in production by a rollback keeps what it had pinned before.
     */
    public ProductionWatch served(Candidate candidate, Optional<Snapshot> evaluated, PipelinePolicy.Risk risk,
                                  Duration window) {
        Instant now = clock.instant();
        ProductionWatch watch = find(candidate.id).orElseGet(() -> {
            ProductionWatch created = new ProductionWatch();
            created.candidateId = candidate.id;
            created.kind = candidate.kind.name();
            created.name = candidate.name;
            created.createdAt = now;
            em.persist(created);
            return created;
        });
        if (candidate.kind == Kind.PROMPT && watch.pinnedFrom == null && candidate.prompt != null) {
            String requested = String.valueOf(candidate.prompt.get("model"));
            if (evaluated.isPresent()) {
                pin(watch, evaluated.get(), ProductionWatch.PinnedFrom.EVALUATION, now);
            } else if (risk.pinned(requested)) {
                pin(watch, new Snapshot(Objects.toString(candidate.prompt.get("provider"), null), requested, null),
                        ProductionWatch.PinnedFrom.SUBMISSION, now);
            }
        }
        watch.verificationFrom = window == null ? null : now;
        watch.verificationUntil = window == null ? null : now.plus(window);
        watch.verificationStatus = window == null ? null : ProductionWatch.VerificationStatus.RUNNING;
        return watch;
    }

    /**
     * Compares a provider observation with the pinned snapshot and remembers it as the last observed one. The first
     * observation of a version whose evaluation said nothing of what answered becomes its pinned snapshot.
     */
    public Observation observe(ProductionWatch watch, ValidSignal signal, String requestedModel,
                               PipelinePolicy.Risk risk) {
        Instant now = clock.instant();
        watch.observedProvider = signal.provider();
        watch.observedModel = signal.model();
        watch.observedFingerprint = signal.fingerprint();
        watch.observedAt = signal.observedAt() == null ? now : signal.observedAt();
        watch.observations++;
        if (watch.pinnedModel == null) {
            pin(watch, new Snapshot(signal.provider(), signal.model(), signal.fingerprint()),
                    ProductionWatch.PinnedFrom.FIRST_OBSERVATION, now);
            return new Observation(Change.BASELINE, "first observation: " + describe(signal.model(), signal.fingerprint())
                    + " is now the pinned snapshot");
        }
        if (watch.pinnedProvider != null && !watch.pinnedProvider.equalsIgnoreCase(signal.provider())) {
            return new Observation(Change.PROVIDER, "the provider is " + signal.provider() + ", not "
                    + watch.pinnedProvider + " as evaluated");
        }
        if (!watch.pinnedModel.equals(signal.model())) {
            boolean alias = !risk.pinned(requestedModel);
            return new Observation(alias ? Change.ALIAS : Change.MODEL, alias
                    ? "the floating alias " + requestedModel + " now resolves to " + signal.model() + ", not "
                    + watch.pinnedModel + " as evaluated"
                    : "the provider answered with " + signal.model() + ", not the evaluated " + watch.pinnedModel);
        }
        if (signal.fingerprint() != null && watch.pinnedFingerprint == null) {
            watch.pinnedFingerprint = signal.fingerprint();
            return new Observation(Change.BASELINE, "fingerprint " + signal.fingerprint()
                    + " recorded for " + signal.model() + ": the evaluation did not report one");
        }
        if (signal.fingerprint() != null && !signal.fingerprint().equals(watch.pinnedFingerprint)) {
            return new Observation(Change.FINGERPRINT, signal.model() + " answers with fingerprint "
                    + signal.fingerprint() + ", not the evaluated " + watch.pinnedFingerprint);
        }
        return new Observation(Change.NONE, "as evaluated: " + describe(watch.pinnedModel, watch.pinnedFingerprint));
    }

    /** A re-evaluation passed (or people kept the version) with what the provider answers now: that is pinned now. */
    public void acceptObserved(ProductionWatch watch) {
        if (watch.observedModel != null) {
            pin(watch, new Snapshot(watch.observedProvider, watch.observedModel, watch.observedFingerprint),
                    ProductionWatch.PinnedFrom.REEVALUATION, clock.instant());
        }
    }

    /** Ends a running verification window with {@code status}; false when none was running. */
    public boolean endVerification(ProductionWatch watch, ProductionWatch.VerificationStatus status) {
        if (!watch.verifying()) {
            return false;
        }
        watch.verificationStatus = status;
        return true;
    }

    private static void pin(ProductionWatch watch, Snapshot snapshot, ProductionWatch.PinnedFrom from, Instant at) {
        watch.pinnedProvider = snapshot.provider();
        watch.pinnedModel = snapshot.model();
        watch.pinnedFingerprint = snapshot.fingerprint();
        watch.pinnedFrom = from;
        watch.pinnedAt = at;
    }

    private static String describe(String model, String fingerprint) {
        return model + (fingerprint == null ? "" : " (fingerprint " + fingerprint + ")");
    }
}
