package dev.tollgate.security;

import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.util.Set;

/**
 * Every state change on the API (POST, PUT, PATCH, DELETE under {@code /api/}) is JSON or has no body at
 * all: a {@code Content-Type} other than JSON is a 415, whatever the caller authenticated with. A page on
 * another site can send a form or plain text with the browser's cookies, but not JSON without the
 * server's consent (CORS), so no cross-site request can change anything. The UI's own forms post to
 * {@code /ui/}, where CSRF tokens guard them.
 */
@Provider
@PreMatching
public class JsonOnlyStateChanges implements ContainerRequestFilter {

    private static final Set<String> STATE_CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    public void filter(ContainerRequestContext request) {
        if (!STATE_CHANGES.contains(request.getMethod()) || !request.getUriInfo().getPath().startsWith("/api/")) {
            return;
        }
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType == null) {
            if (request.hasEntity()) {
                throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                        "A request body must be sent as application/json");
            }
            return;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type is not a media type");
        }
        boolean json = type.getType().equalsIgnoreCase("application")
                && (type.getSubtype().equalsIgnoreCase("json") || type.getSubtype().toLowerCase().endsWith("+json"));
        if (!json) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "State changes take application/json, not " + type.getType() + "/" + type.getSubtype());
        }
    }
}
