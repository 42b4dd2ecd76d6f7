package dev.tollgate.release;

/** The body of {@code POST /api/v1/candidates/{id}/deployments}, the REST twin of the Kafka result. */
public record DeploymentRequest(String stage, String outcome, String environment, String detail) {
}
