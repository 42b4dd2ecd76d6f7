package dev.tollgate.shared;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure that reaches the HTTP layer into an RFC 9457 problem. Nothing else in the
 * code base builds error responses, and no stack trace ever leaves the server.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    static final String BASIC_CHALLENGE = "Basic realm=\"Tollgate\"";

    @Inject
    Event<AccessRefused> refused;

    @Inject
    SecurityIdentity identity;

    @Inject
    io.vertx.core.http.HttpServerRequest http;

    /** The UI's pages get their refusals as a page, not as JSON. */
    @Inject
    @Location("ui/error.html")
    Template errorPage;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, Request request) {
        var problem = new Problem(e.type().uri(), e.type().title(), e.type().status(), e.getMessage(),
                path(uri), e.errors(), e.extra());
        if (problem.status() == 401 || problem.status() == 403) {
            audit(request, uri, problem.status(), e.type());
        }
        return respond(problem);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri, Request request) {
        refused(null, request, uri, 401, ProblemType.UNAUTHENTICATED);
        return challenge(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri, Request request) {
        // The identity is unknown (the credentials failed): reading it here would try them again.
        refused(null, request, uri, 401, ProblemType.UNAUTHENTICATED);
        return challenge(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, Request request) {
        audit(request, uri, 403, ProblemType.FORBIDDEN);
        return respond(Problem.of(ProblemType.FORBIDDEN, "Your roles do not allow this request", path(uri)));
    }

    /** Refusals are audit entries (docs/audit.md): who tried what, and why it was refused. */
    private void audit(Request request, UriInfo uri, int status, ProblemType type) {
        String actor = identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName();
        refused(actor, request, uri, status, type);
    }

    private void refused(String actor, Request request, UriInfo uri, int status, ProblemType type) {
        refused.fire(new AccessRefused(actor, address(), request.getMethod(), path(uri), status, type.uri().toString()));
    }

    /** The caller's address (the client's, behind a trusted proxy that forwards it). */
    private String address() {
        try {
            return http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        } catch (RuntimeException noRequest) {
            return null;
        }
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("Request failed", e);
        }
        ProblemType type = switch (status) {
            case 400 -> ProblemType.MALFORMED_JSON;
            case 401 -> ProblemType.UNAUTHENTICATED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ProblemType.UNAVAILABLE;
            default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.VALIDATION;
        };
        if (status == 401) {
            return challenge(uri);
        }
        String detail = status >= 500 ? "The server could not complete the request" : e.getMessage();
        Problem problem = new Problem(type.uri(), type.title(), status, detail, path(uri), java.util.List.of(),
                java.util.Map.of());
        if (isUi(problem.instance())) {
            return respond(problem);
        }
        Response.ResponseBuilder builder = Response.status(status).type(Problem.MEDIA_TYPE).entity(problem.toJson());
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        }
        return builder.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        // Concurrency and availability failures are told apart by DatabaseFailures, however deeply they are wrapped.
        // The transaction did not complete, and the caller may retry. (Only a connection lost during the commit
        // itself leaves it in doubt; the API's writes are safe to retry: an Idempotency-Key, a stage that moved on.)
        switch (DatabaseFailures.classify(e)) {
            case CONFLICT -> {
                LOG.debugf("Concurrent update on %s: %s", path(uri), DatabaseFailures.sqlState(e).orElse("-"));
                return respond(Problem.of(ProblemType.CONCURRENT_UPDATE,
                        "Another request changed this resource at the same time; retry", path(uri)));
            }
            case UNAVAILABLE -> {
                LOG.warnf("Database unavailable on %s: %s", path(uri), LogSafe.of(String.valueOf(e.getMessage())));
                Response problem = respond(Problem.of(ProblemType.UNAVAILABLE,
                        "The database is not reachable right now; retry shortly.", path(uri)));
                return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, "5").build();
            }
            default -> {
                LOG.error("Unexpected failure on " + path(uri), e);
                return respond(Problem.of(ProblemType.INTERNAL, "The server could not complete the request", path(uri)));
            }
        }
    }

    private static Response challenge(UriInfo uri) {
        if (isUi(path(uri))) {
            return Response.seeOther(URI.create("/ui/login")).build();
        }
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.WWW_AUTHENTICATE, BASIC_CHALLENGE)
                .entity(Problem.of(ProblemType.UNAUTHENTICATED, "Log in to use this endpoint", path(uri)).toJson())
                .build();
    }

    Response respond(Problem problem) {
        if (isUi(problem.instance())) {
            return Response.status(problem.status()).type("text/html;charset=UTF-8")
                    .entity(errorPage.data("title", problem.title()).data("detail", problem.detail()).render()).build();
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem.toJson()).build();
    }

    private static boolean isUi(String path) {
        return path != null && path.startsWith("/ui/");
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getRequestUri().getRawPath();
    }
}
