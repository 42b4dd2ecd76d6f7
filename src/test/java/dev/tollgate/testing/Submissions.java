package dev.tollgate.testing;

import java.util.UUID;

/** Request bodies for submissions; every call names a fresh model so that tests never collide. */
public final class Submissions {

    public static final String DIGEST_A = "sha256:" + "a".repeat(64);
    public static final String DIGEST_B = "sha256:" + "b".repeat(64);

    private Submissions() {
    }

    /** A unique model name for one test. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A customer-facing MODEL on the standard pipeline that passes its thresholds (auc >= 0.80,
     * latency_p95_ms <= 100): MEDIUM risk, one approval.
     */
    public static String model(String name, String version) {
        return model(name, version, DIGEST_A, 0.93, 41.0);
    }

    public static String model(String name, String version, String digest, double auc, double latency) {
        return model("standard", name, version, digest, auc, latency, true, false);
    }

    /** A MODEL on any pipeline, with the labels that feed the risk decision. */
    public static String model(String pipeline, String name, String version, String digest, double auc, double latency,
                               boolean customerFacing, boolean handlesPii) {
        return """
                {"kind": "MODEL", "name": "%s", "version": "%s",
                 "artifactUri": "s3://models/%s/%s", "digest": "%s",
                 "pipeline": "%s", "metrics": {"auc": %s, "latency_p95_ms": %s},
                 "labels": {"team": "risk", "customer_facing": "%s", "handles_pii": "%s"},
                 "description": "retrained on October data"}
                """.formatted(name, version, name, version, digest, pipeline, auc, latency, customerFacing, handlesPii);
    }
}
