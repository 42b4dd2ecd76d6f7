package dev.tollgate.workflow;

import dev.tollgate.candidate.Stage;
import dev.tollgate.pipeline.PipelinePolicy;
import dev.tollgate.release.Releases;
import java.time.Duration;
import java.util.Arrays;

/** Where a promotion deploys, with what the workflow needs to know about each: one code path for both. */
enum Environment {

    STAGING(Releases.STAGING, Stage.DEPLOYING_STAGING, ScheduledTimer.Purpose.STAGING_TIMEOUT,
            PromotionProcess.STAGING_DONE),
    PRODUCTION(Releases.PRODUCTION, Stage.DEPLOYING_PRODUCTION, ScheduledTimer.Purpose.PRODUCTION_TIMEOUT,
            PromotionProcess.PRODUCTION_DONE);

    /** The name deployers and the release history use ({@code staging}, {@code production}). */
    final String name;
    /** The stage in which the candidate waits for the deployer's result. */
    final Stage deploying;
    /** The timer that ends the wait. */
    final ScheduledTimer.Purpose timeout;
    /** The signal that resumes the waiting process instance. */
    final String signal;

    Environment(String name, Stage deploying, ScheduledTimer.Purpose timeout, String signal) {
        this.name = name;
        this.deploying = deploying;
        this.timeout = timeout;
        this.signal = signal;
    }

    /** How long the policy lets the deployers take here. */
    Duration limit(PipelinePolicy.Timeouts timeouts) {
        return this == STAGING ? timeouts.staging() : timeouts.production();
    }

    /** The environment whose deployment a candidate waits for in {@code stage}. */
    static Environment waitingIn(Stage stage) {
        return Arrays.stream(values()).filter(e -> e.deploying == stage).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no deployment is awaited in " + stage));
    }
}
