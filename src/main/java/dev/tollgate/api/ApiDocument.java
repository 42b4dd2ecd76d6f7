package dev.tollgate.api;

import dev.tollgate.shared.Profiles;
import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Completes the OpenAPI document at start-up (docs/api.md, "OpenAPI") with what only the running instance knows and
 * what every operation shares, so that the resources carry only what is particular to each of them:
 * <ul>
 *   <li>the ways into this instance: OIDC with its provider's discovery URL where an identity provider is configured,
 *   API tokens always, HTTP Basic only where demo users can exist (local and test, never production);</li>
 *   <li>each operation's roles, read from its resource's {@code @RolesAllowed}, as {@code x-roles} and at the end of
 *   its description, and a security requirement that accepts any of this instance's schemes;</li>
 *   <li>the problem responses that any operation may give: 400, 401, 403, 429 and 503; for state changes 409
 *   {@code concurrent-update} and 415, and 413 when they take a body;</li>
 *   <li>nothing outside the API: KIE's generated endpoints and the UI's pages are not scanned, and would be dropped.</li>
 * </ul>
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUN)
public class ApiDocument implements OASFilter {

    static final String OIDC = "oidc";
    static final String BASIC = "basic";
    static final String ROLES = "x-roles";
    private static final String API = "/api/";
    private static final Set<PathItem.HttpMethod> STATE_CHANGES = Set.of(PathItem.HttpMethod.POST,
            PathItem.HttpMethod.PUT, PathItem.HttpMethod.PATCH, PathItem.HttpMethod.DELETE);

    private final Config config = ConfigProvider.getConfig();

    @Override
    public void filterOpenAPI(OpenAPI document) {
        List<String> schemes = securitySchemes(document.getComponents());
        Map<String, List<String>> roles = rolesOfEndpoints();
        for (Map.Entry<String, PathItem> path : new ArrayList<>(document.getPaths().getPathItems().entrySet())) {
            if (!path.getKey().startsWith(API)) {
                document.getPaths().removePathItem(path.getKey());
                continue;
            }
            path.getValue().getOperations().forEach((method, operation) -> {
                secure(operation, roles.get(method + " " + path.getKey()), schemes);
                addProblems(operation, STATE_CHANGES.contains(method));
            });
        }
    }

    /** Keeps the schemes this instance accepts, with the identity provider's discovery URL; their names, in order. */
    private List<String> securitySchemes(Components components) {
        String idp = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class).orElse(null);
        boolean oidc = idp != null && config.getOptionalValue("quarkus.oidc.tenant-enabled", Boolean.class).orElse(true);
        if (oidc) {
            components.getSecuritySchemes().get(OIDC)
                    .setOpenIdConnectUrl(idp.replaceAll("/+$", "") + "/.well-known/openid-configuration");
        } else {
            components.removeSecurityScheme(OIDC);
        }
        boolean basic = !Profiles.isProduction()
                && config.getOptionalValue("quarkus.http.auth.basic", Boolean.class).orElse(false);
        if (!basic) {
            components.removeSecurityScheme(BASIC);
        }
        return List.copyOf(components.getSecuritySchemes().keySet());
    }

    /**
     * The roles of every endpoint of this package's resources, by {@code "GET /api/v1/candidates/{id}"}: the method's
     * {@code @RolesAllowed}, else its class's. The resources are the CDI beans Quarkus REST makes of them.
     */
    private static Map<String, List<String>> rolesOfEndpoints() {
        Map<String, List<String>> roles = new HashMap<>();
        if (Arc.container() == null) {
            // The build also runs this filter, without a container, for the copy it may store: no roles there.
            return roles;
        }
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> resource = bean.getBeanClass();
            Path classPath = resource.getAnnotation(Path.class);
            if (classPath == null || !resource.getPackageName().equals(ApiDocument.class.getPackageName())) {
                continue;
            }
            for (Method method : resource.getDeclaredMethods()) {
                String http = httpMethod(method);
                RolesAllowed allowed = method.isAnnotationPresent(RolesAllowed.class)
                        ? method.getAnnotation(RolesAllowed.class) : resource.getAnnotation(RolesAllowed.class);
                if (http != null && allowed != null) {
                    Path methodPath = method.getAnnotation(Path.class);
                    String template = ("/" + classPath.value() + "/" + (methodPath == null ? "" : methodPath.value()))
                            .replaceAll("/+", "/").replaceAll("(.)/$", "$1");
                    roles.put(http + " " + template, List.of(allowed.value()));
                }
            }
        }
        return roles;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static void secure(Operation operation, List<String> roles, List<String> schemes) {
        if (roles != null) {
            operation.addExtension(ROLES, roles);
            String said = "Roles: " + String.join(", ", roles.stream().map(role -> "`" + role + "`").toList()) + ".";
            String description = operation.getDescription();
            operation.setDescription(description == null || description.isBlank() ? said : description + "\n\n" + said);
        }
        List<SecurityRequirement> anyOf = new ArrayList<>();
        for (String scheme : schemes) {
            anyOf.add(OASFactory.createSecurityRequirement().addScheme(scheme));
        }
        operation.setSecurity(anyOf);
    }

    private static void addProblems(Operation operation, boolean stateChange) {
        APIResponses responses = operation.getResponses();
        addIfAbsent(responses, "400", "BadRequest");
        addIfAbsent(responses, "401", "Unauthenticated");
        addIfAbsent(responses, "403", "Forbidden");
        addIfAbsent(responses, "429", "TooManyRequests");
        addIfAbsent(responses, "503", "Unavailable");
        if (stateChange) {
            addIfAbsent(responses, "409", "ConcurrentUpdate");
            addIfAbsent(responses, "415", "UnsupportedMediaType");
            if (operation.getRequestBody() != null) {
                addIfAbsent(responses, "413", "PayloadTooLarge");
            }
        }
        responses.setAPIResponses(new TreeMap<>(responses.getAPIResponses()));
    }

    private static void addIfAbsent(APIResponses responses, String status, String shared) {
        if (!responses.hasAPIResponse(status)) {
            responses.addAPIResponse(status, reference(shared));
        }
    }

    /** A response of {@code #/components/responses}, from META-INF/openapi.yaml. */
    private static APIResponse reference(String shared) {
        return OASFactory.createAPIResponse().ref(shared);
    }
}
