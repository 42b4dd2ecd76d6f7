package dev.tollgate.shared;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link StoredText}'s rule to the decoded path and every query parameter of every request,
 * API and UI alike, before any resource sees them: {@code ?name=%00} is a 400 naming {@code name},
 * never a database error.
 */
@Provider
@PreMatching
public class UnstorableTextFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        StoredText.require("(path)", request.getUriInfo().getPath(true));
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getQueryParameters(true).entrySet()) {
            StoredText.require(parameter.getKey(), parameter.getKey());
            for (String value : parameter.getValue()) {
                StoredText.require(parameter.getKey(), value);
            }
        }
    }
}
