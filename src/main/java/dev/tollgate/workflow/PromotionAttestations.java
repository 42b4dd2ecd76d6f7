package dev.tollgate.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.attestation.Attestation;
import dev.tollgate.attestation.Attestations;
import dev.tollgate.candidate.Candidate;
import dev.tollgate.pipeline.RiskAssessor;
import dev.tollgate.release.DeploymentResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * The in-toto statement of a promotion (docs/governance.md, "Attestations"): its subject is the candidate's digest,
 * its predicate what the decision rested on: the pinned policy, the evaluation reports and gates, the risk tier
 * with its reasons and facts, the approvals, and, once it serves, the deployer's result. Signed twice: when the
 * production deployment is requested (for the deployers to check before they deploy) and once the version serves.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class PromotionAttestations {

    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://tollgate.dev/attestations/promotion/v1";

    private final Attestations attestations;
    private final CandidateViews views;
    private final RiskAssessor risk;
    private final ObjectMapper json;
    private final Clock clock;

    PromotionAttestations(Attestations attestations, CandidateViews views, RiskAssessor risk, ObjectMapper json,
                          Clock clock) {
        this.attestations = attestations;
        this.views = views;
        this.risk = risk;
        this.json = json;
        this.clock = clock;
    }

    /** Signs the candidate's statement; {@code deployed} is the production result, once there is one. */
    Attestations.Signed sign(Candidate candidate, Attestation.Purpose purpose, DeploymentResult deployed) {
        CandidateView view = views.of(candidate);
        ObjectNode statement = json.createObjectNode();
        statement.put("_type", STATEMENT_TYPE);
        ObjectNode subject = statement.putArray("subject").addObject();
        subject.put("name", candidate.kind + "/" + candidate.name + "@" + candidate.version);
        String[] digest = candidate.digest.split(":", 2);
        subject.putObject("digest").put(digest[0], digest[1]);
        statement.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = statement.putObject("predicate");
        predicate.put("purpose", purpose.name());
        predicate.put("signedAt", clock.instant().toString());
        ObjectNode about = predicate.putObject("candidate");
        about.put("id", candidate.id.toString());
        about.put("kind", candidate.kind.name());
        about.put("name", candidate.name);
        about.put("version", candidate.version);
        about.put("digest", candidate.digest);
        about.put("artifactUri", candidate.artifactUri);
        about.put("submittedBy", candidate.submittedBy);
        about.put("submittedAt", candidate.submittedAt.toString());
        // A prompt is the subject's digest (its canonical JSON): never the prompt itself, which may be large.
        predicate.putObject("policy").put("pipeline", candidate.pipeline).put("digest", candidate.policyDigest);
        predicate.set("evaluation", json.valueToTree(view.evaluation()));
        ObjectNode riskNode = json.valueToTree(view.risk());
        risk.find(candidate.id).ifPresent(r -> riskNode.set("facts", json.valueToTree(r.inputs)));
        predicate.set("risk", riskNode);
        predicate.set("approvals", json.valueToTree(view.approvals()));
        if (view.breakGlass() != null) {
            // Promoted in an emergency past its quorum or a freeze: said in the signed record, not only in the log.
            predicate.set("breakGlass", json.valueToTree(view.breakGlass()));
        }
        if (deployed != null) {
            ObjectNode result = predicate.putObject("deployment");
            result.put("stage", deployed.stage);
            result.put("outcome", deployed.outcome);
            result.put("environment", deployed.environment);
            result.put("detail", deployed.detail);
            result.put("reportedBy", deployed.reportedBy);
            result.put("at", deployed.receivedAt.toString());
        }
        return attestations.sign(candidate.id, purpose, statement);
    }
}
