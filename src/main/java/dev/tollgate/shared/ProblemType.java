package dev.tollgate.shared;

import jakarta.ws.rs.core.Response.Status;
import java.net.URI;

/** The kinds of problem Tollgate reports. Their URIs are part of the public contract. */
public enum ProblemType {
    VALIDATION("validation", "Invalid request", Status.BAD_REQUEST),
    MALFORMED_JSON("malformed-json", "Request body is not valid JSON", Status.BAD_REQUEST),
    UNAUTHENTICATED("unauthenticated", "Authentication required", Status.UNAUTHORIZED),
    FORBIDDEN("forbidden", "Not allowed", Status.FORBIDDEN),
    CSRF("csrf", "Form token missing or invalid", Status.FORBIDDEN),
    SEPARATION_OF_DUTIES("separation-of-duties", "Separation of duties", Status.FORBIDDEN),
    ALREADY_VOTED("already-voted", "Already voted", Status.FORBIDDEN),
    NOT_FOUND("not-found", "Not found", Status.NOT_FOUND),
    METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", Status.METHOD_NOT_ALLOWED),
    NOT_ACCEPTABLE("not-acceptable", "Not acceptable", Status.NOT_ACCEPTABLE),
    DIGEST_CONFLICT("digest-conflict", "Version already submitted with another digest", Status.CONFLICT),
    ALREADY_REGISTERED("already-registered", "Name already in the inventory", Status.CONFLICT),
    NOT_REGISTERED("not-registered", "Name not in the inventory", 422),
    NOT_A_LISTED_SUBMITTER("not-a-listed-submitter", "Not a submitter of this name", Status.FORBIDDEN),
    LINE_ALREADY("line-already", "The line is already in that state", Status.CONFLICT),
    ALREADY_SUBMITTED("already-submitted", "Version already submitted", Status.CONFLICT),
    TASK_CLOSED("task-closed", "Approval task is closed", Status.CONFLICT),
    WRONG_STAGE("wrong-stage", "Not possible at the candidate's stage", Status.CONFLICT),
    STALE_RESULT("stale-deployment-result", "Deployment result does not match a waiting deployment", Status.CONFLICT),
    CONCURRENT_UPDATE("concurrent-update", "Concurrent update, retry", Status.CONFLICT),
    PAYLOAD_TOO_LARGE("payload-too-large", "Request body too large", Status.REQUEST_ENTITY_TOO_LARGE),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", Status.UNSUPPORTED_MEDIA_TYPE),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency-Key reused with another request",
            422),
    TOO_MANY_REQUESTS("too-many-requests", "Too many requests", Status.TOO_MANY_REQUESTS),
    INTERNAL("internal", "Internal error", Status.INTERNAL_SERVER_ERROR),
    UNAVAILABLE("unavailable", "Service unavailable", Status.SERVICE_UNAVAILABLE);

    private static final String BASE = "https://tollgate.dev/problems/";

    private final URI uri;
    private final String title;
    private final int status;

    ProblemType(String slug, String title, Status status) {
        this(slug, title, status.getStatusCode());
    }

    ProblemType(String slug, String title, int status) {
        this.uri = URI.create(BASE + slug);
        this.title = title;
        this.status = status;
    }

    public URI uri() {
        return uri;
    }

    public String title() {
        return title;
    }

    public int status() {
        return status;
    }
}
