package dev.tollgate.api;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Swagger UI, served in the local run only (docs/api.md, "OpenAPI"), runs an inline script, sets inline styles and
 * shows data: images, all of which the Content-Security-Policy of every other response refuses
 * (application.properties, "HTTP"). Its pages get a policy of their own, as narrow as Swagger UI allows: its own
 * scripts and styles, and requests to this origin only (the document, and "Try it out" against the API).
 */
@ApplicationScoped
public class SwaggerUiHeaders {

    static final String POLICY = "default-src 'none'; script-src 'self' 'unsafe-inline'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final boolean enabled;
    private final String path;

    SwaggerUiHeaders(@ConfigProperty(name = "quarkus.swagger-ui.enable", defaultValue = "false") boolean enabled,
                     @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "q") String root,
                     @ConfigProperty(name = "quarkus.swagger-ui.path", defaultValue = "swagger-ui") String path) {
        this.enabled = enabled;
        this.path = path.startsWith("/") ? path : "/" + root.replaceAll("^/+|/+$", "") + "/" + path;
    }

    void route(@Observes Router router) {
        if (!enabled) {
            return;
        }
        // Set when the headers go out, after the handler that sets the policy of every response.
        router.route(path + "*").order(Integer.MIN_VALUE).handler(context -> {
            context.addHeadersEndHandler(ignored -> context.response().headers().set("Content-Security-Policy", POLICY));
            context.next();
        });
    }
}
