package dev.tollgate.web;

import dev.tollgate.workflow.CandidateView;
import java.util.Objects;

/**
 * How a version is watched in production, as the candidate and release pages show it: the pinned model snapshot beside
 * the last observed one (a prompt), the floating-alias warning, the verification window.
 */
public record WatchPanel(CandidateView candidate, SnapshotPair snapshots) {

    /** Null for a version that never served in production. */
    static WatchPanel of(CandidateView candidate) {
        if (candidate == null || candidate.watch() == null) {
            return null;
        }
        CandidateView.Watch watch = candidate.watch();
        return new WatchPanel(candidate, SnapshotPair.of(watch.pinned(), watch.lastObserved()));
    }

    public boolean floatingAlias() {
        return Boolean.TRUE.equals(candidate.watch().floatingAlias());
    }

    public boolean prompt() {
        return "PROMPT".equals(candidate.kind());
    }

    /** The model the prompt asks for. */
    public String requestedModel() {
        return candidate.prompt() == null ? null : Objects.toString(candidate.prompt().get("model"), null);
    }

    public CandidateView.Verification verification() {
        return candidate.watch().verification();
    }
}
