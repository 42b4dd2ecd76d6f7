package dev.tollgate.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.jboss.logging.MDC;

/**
 * Puts the candidate a request is about into the log context ({@code candidateId}), for the API and the UI alike,
 * so that every line a request logs can be found by candidate (JSON logs carry the MDC; tracing adds
 * {@code traceId} and {@code spanId}). Only a well-formed id is put there: the value is the request's own.
 */
@Provider
public class LogContext implements ContainerRequestFilter, ContainerResponseFilter {

    static final String CANDIDATE = "candidateId";

    @Override
    public void filter(ContainerRequestContext request) {
        MultivaluedMap<String, String> parameters = request.getUriInfo().getPathParameters();
        String id = parameters.getFirst("id");
        if (id != null && request.getUriInfo().getPath().contains("/candidates/") && isUuid(id)) {
            MDC.put(CANDIDATE, id);
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MDC.remove(CANDIDATE);
    }

    private static boolean isUuid(String value) {
        try {
            UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
