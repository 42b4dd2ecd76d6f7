package dev.tollgate.release;

import dev.tollgate.shared.Problem.FieldError;
import dev.tollgate.shared.ProblemException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A deployer's result, from {@code POST /api/v1/candidates/{id}/deployments} or from a record of
 * {@code tollgate.deployments}: both are checked by {@link #validate}.
 */
public record DeploymentRequest(@Schema(required = true, enumeration = {"staging", "production"}) String stage,
                                @Schema(required = true, enumeration = {"SUCCEEDED", "FAILED"}) String outcome,
                                @Schema(maxLength = 255) String environment, @Schema(maxLength = 4000) String detail) {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    /** Refuses (400 naming each field) a result that no candidate could accept. */
    public void validate() {
        List<FieldError> errors = new ArrayList<>();
        if (!Releases.STAGING.equals(stage) && !Releases.PRODUCTION.equals(stage)) {
            errors.add(new FieldError("stage", "must be staging or production"));
        }
        if (!SUCCEEDED.equals(outcome) && !FAILED.equals(outcome)) {
            errors.add(new FieldError("outcome", "must be SUCCEEDED or FAILED"));
        }
        if (environment != null && environment.length() > 255) {
            errors.add(new FieldError("environment", "must be at most 255 characters"));
        }
        if (detail != null && detail.length() > 4000) {
            errors.add(new FieldError("detail", "must be at most 4000 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }
}
