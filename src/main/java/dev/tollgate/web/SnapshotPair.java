package dev.tollgate.web;

import dev.tollgate.workflow.CandidateView;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Two model snapshots side by side: the one a prompt was evaluated with (pinned) and one its provider answered with
 * (observed). A part differs only when both sides name it, so a snapshot learnt without a fingerprint is not
 * reported as changed.
 */
public record SnapshotPair(CandidateView.Snapshot pinned, CandidateView.Snapshot observed) {

    /** Null when neither side is known: there is nothing to show. */
    static SnapshotPair of(CandidateView.Snapshot pinned, CandidateView.Snapshot observed) {
        return pinned == null && observed == null ? null : new SnapshotPair(pinned, observed);
    }

    /** One part of the snapshots, both sides ({@code null}: not known); {@code literal}: an identifier, not words. */
    public record Part(String name, String pinned, String observed, boolean differs, boolean literal) {
    }

    /** Provider, model, fingerprint, and how each side was learnt. */
    public List<Part> parts() {
        return List.of(part("Provider", CandidateView.Snapshot::provider, providerDiffers()),
                part("Model", CandidateView.Snapshot::model, modelDiffers()),
                part("Fingerprint", CandidateView.Snapshot::fingerprint, fingerprintDiffers()),
                new Part("Learnt from", pinned == null ? null : learnt(pinned.from()),
                        observed == null ? null : observed.from(), false, false));
    }

    /** How the pinned snapshot was learnt, in words. */
    static String learnt(String from) {
        return switch (from == null ? "" : from) {
            case "EVALUATION" -> "the evaluation (what answered while the suites ran)";
            case "SUBMISSION" -> "the submitted prompt (it names a dated model)";
            case "FIRST_OBSERVATION" -> "the first observation after the release";
            case "REEVALUATION" -> "a re-evaluation that accepted it";
            default -> from.isEmpty() ? null : Formats.words(from);
        };
    }

    public Instant pinnedAt() {
        return pinned == null ? null : pinned.at();
    }

    public Instant observedAt() {
        return observed == null ? null : observed.at();
    }

    private Part part(String name, Function<CandidateView.Snapshot, String> of, boolean differs) {
        return new Part(name, pinned == null ? null : of.apply(pinned), observed == null ? null : of.apply(observed),
                differs, true);
    }

    public boolean providerDiffers() {
        return both() && differs(pinned.provider(), observed.provider());
    }

    public boolean modelDiffers() {
        return both() && differs(pinned.model(), observed.model());
    }

    public boolean fingerprintDiffers() {
        return both() && differs(pinned.fingerprint(), observed.fingerprint());
    }

    public boolean differs() {
        return providerDiffers() || modelDiffers() || fingerprintDiffers();
    }

    private boolean both() {
        return pinned != null && observed != null;
    }

    private static boolean differs(String a, String b) {
        return a != null && b != null && !a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }
}
