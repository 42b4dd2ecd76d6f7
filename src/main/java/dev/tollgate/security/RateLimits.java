package dev.tollgate.security;

import dev.tollgate.shared.Problem;
import dev.tollgate.shared.ProblemType;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Per-caller rate limits, answered with 429, {@code Retry-After} and an RFC 9457 problem:
 * <ul>
 * <li>the API ({@code /api/}): per authenticated principal, or per address for callers whose credentials are
 * missing or wrong, {@code tollgate.rate-limit.api.per-second} sustained and {@code .burst} at once;</li>
 * <li>the login form's post: per address, {@code tollgate.rate-limit.login.per-minute}, so that passwords cannot
 * be guessed at speed.</li>
 * </ul>
 * Limits are kept per instance: with N replicas behind a load balancer a caller gets up to N times as much.
 */
@ApplicationScoped
public class RateLimits {

    private final boolean enabled;
    private final TokenBuckets api;
    private final TokenBuckets login;
    private final String loginPath;
    private final CurrentIdentityAssociation identities;

    RateLimits(CurrentIdentityAssociation identities,
               @ConfigProperty(name = "tollgate.rate-limit.enabled", defaultValue = "true") boolean enabled,
               @ConfigProperty(name = "tollgate.rate-limit.api.per-second", defaultValue = "50") double apiPerSecond,
               @ConfigProperty(name = "tollgate.rate-limit.api.burst", defaultValue = "200") int apiBurst,
               @ConfigProperty(name = "tollgate.rate-limit.login.per-minute", defaultValue = "10") double loginPerMinute,
               @ConfigProperty(name = "quarkus.http.auth.form.post-location", defaultValue = "/j_security_check")
               String loginPath) {
        this.identities = identities;
        this.enabled = enabled;
        this.api = new TokenBuckets(apiPerSecond, apiBurst, 100_000);
        this.login = new TokenBuckets(loginPerMinute / 60.0, (int) Math.max(1, loginPerMinute), 100_000);
        this.loginPath = loginPath;
    }

    /** The API's limit, after authentication: whoever the credentials prove, or the address when they prove nobody. */
    @ServerRequestFilter(preMatching = true)
    public Uni<Response> limitApi(ContainerRequestContext request, HttpServerRequest http) {
        if (!enabled || !request.getUriInfo().getPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity()
                .onFailure().recoverWithItem((SecurityIdentity) null)
                .map(identity -> {
                    String key = identity == null || identity.isAnonymous() ? "address:" + address(http)
                            : "principal:" + identity.getPrincipal().getName().toLowerCase(Locale.ROOT);
                    long wait = api.take(key, System.nanoTime());
                    return wait == 0 ? null : tooMany(wait, request.getUriInfo().getRequestUri().getRawPath(),
                            "Too many requests from this caller; retry in " + wait + " s");
                });
    }

    /** The login form's limit, before the credentials are even checked. */
    void limitLogin(@Observes Filters filters) {
        filters.register(context -> {
            HttpServerRequest http = context.request();
            if (!enabled || http.method() != HttpMethod.POST || !loginPath.equals(http.path())) {
                context.next();
                return;
            }
            long wait = login.take("address:" + address(http), System.nanoTime());
            if (wait == 0) {
                context.next();
                return;
            }
            Problem problem = Problem.of(ProblemType.TOO_MANY_REQUESTS,
                    "Too many sign-in attempts from this address; retry in " + wait + " s", http.path());
            context.response().setStatusCode(429)
                    .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait))
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(new JsonObject(problem.toJson()).encode());
        }, 250); // before authentication (200): a refused attempt never reaches the password check
    }

    private static Response tooMany(long wait, String path, String detail) {
        return Response.status(429).type(Problem.MEDIA_TYPE).header(HttpHeaders.RETRY_AFTER, Long.toString(wait))
                .entity(Problem.of(ProblemType.TOO_MANY_REQUESTS, detail, path).toJson()).build();
    }

    private static String address(HttpServerRequest http) {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
