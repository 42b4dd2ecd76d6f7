package dev.tollgate.reliability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Drives candidates the way their users would, whatever happens to the server: a CI job that submits
 * (retrying with one Idempotency-Key), an evaluation pipeline that reports, an approver who approves.
 * Deployments come from the {@link KafkaDeployer}. After a failed or lost request it looks at where the
 * candidate stands and goes on from there; every 2xx it gets is remembered, to check later that it
 * committed.
 */
final class Promoter {

    /** A 2xx answer: what the server said it did. */
    record Success(String action, String candidateId, String taskId) {
    }

    private final Http http;
    private final Duration patience;
    final List<Success> successes = new CopyOnWriteArrayList<>();

    Promoter(Http http, Duration patience) {
        this.http = http;
        this.patience = patience;
    }

    static String model(String pipeline, String name) {
        return """
                {"kind": "MODEL", "name": "%s", "version": "1.0.0", "artifactUri": "s3://models/%s/1.0.0",
                 "digest": "sha256:%s", "pipeline": "%s", "metrics": {"auc": 0.93, "latency_p95_ms": 41.0},
                 "labels": {"customer_facing": "true"}}""".formatted(name, name, "c".repeat(64), pipeline);
    }

    /** Submits until it has an id (the same Idempotency-Key each time); null when it never got one. */
    String submit(String pipeline, String name) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            Http.Reply reply = http.post("alice", "/api/v1/candidates", model(pipeline, name), "reliability-" + name);
            if (reply.ok()) {
                successes.add(new Success("submit", reply.text("id"), null));
                return reply.text("id");
            }
            pause(200);
        }
        return null;
    }

    /** Drives the candidate until it is in production (or, with {@code untilApproval}, waits for approval). */
    String drive(String id, boolean untilApproval) {
        long deadline = System.nanoTime() + patience.toNanos();
        String stage = null;
        while (System.nanoTime() < deadline) {
            Http.Reply candidate = http.get("audrey", "/api/v1/candidates/" + id);
            if (!candidate.ok()) {
                pause(200);
                continue;
            }
            stage = candidate.text("stage");
            switch (stage) {
                case "EVALUATING" -> {
                    if (http.post("eve", "/api/v1/candidates/" + id + "/evaluations",
                            "{\"suite\": \"offline-eval\", \"metrics\": {\"auc\": 0.93}, \"passed\": true}").ok()) {
                        successes.add(new Success("evaluation", id, null));
                    }
                }
                case "AWAITING_APPROVAL" -> {
                    if (untilApproval) {
                        return stage;
                    }
                    approve(id, candidate.body().path("approvals").path("taskId").asText());
                }
                case "IN_PRODUCTION", "FAILED", "REJECTED", "CANCELLED", "ROLLED_BACK", "RETIRED" -> {
                    return stage;
                }
                default -> pause(150); // SUBMITTED, RISK_REVIEW, DEPLOYING_*: the engine or the deployer acts
            }
        }
        return stage;
    }

    /** bob approves; true on a 2xx. */
    boolean approve(String id, String taskId) {
        boolean ok = http.post("bob", "/api/v1/approvals/" + taskId + "/decision",
                "{\"decision\": \"APPROVE\", \"comment\": \"reliability\"}").ok();
        if (ok) {
            successes.add(new Success("decision", id, taskId));
        }
        return ok;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
