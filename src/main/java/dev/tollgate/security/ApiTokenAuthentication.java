package dev.tollgate.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * {@code Authorization: Bearer tg_…} authenticates with an API token ({@link ApiTokens}). Any other
 * bearer token is left to the OIDC mechanism, and requests without one to Basic, form or OIDC.
 */
public final class ApiTokenAuthentication {

    public static final String TOKEN_ID_ATTRIBUTE = "tollgate.api-token-id";
    private static final String BEARER = "Bearer ";

    private ApiTokenAuthentication() {
    }

    /** The secret of an API token, as presented. */
    public static final class Request extends BaseAuthenticationRequest {
        final String secret;

        Request(String secret) {
            this.secret = secret;
        }
    }

    @ApplicationScoped
    public static class Mechanism implements HttpAuthenticationMechanism {

        @Override
        public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
            String secret = presented(context);
            if (secret == null) {
                return Uni.createFrom().nullItem();
            }
            // This mechanism's challenge answers a failed token, not the form's or the identity provider's.
            context.put(HttpAuthenticationMechanism.class.getName(), this);
            return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new Request(secret), context));
        }

        /** The API token in the Authorization header, or null when the header holds something else. */
        private static String presented(RoutingContext context) {
            String header = context.request().getHeader("Authorization");
            if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    || !header.startsWith(ApiTokens.PREFIX, BEARER.length())) {
                return null;
            }
            return header.substring(BEARER.length()).strip();
        }

        @Override
        public Uni<ChallengeData> getChallenge(RoutingContext context) {
            // Silent for requests without a token, so that the form login page or the identity provider answers them.
            return presented(context) == null ? Uni.createFrom().nullItem()
                    : Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"Tollgate\""));
        }

        @Override
        public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
            return Set.of(Request.class);
        }

        @Override
        public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
            return Uni.createFrom().item(new HttpCredentialTransport(
                    HttpCredentialTransport.Type.AUTHORIZATION, "bearer", "api-token"));
        }

        @Override
        public int getPriority() {
            // Ahead of OIDC (1001), whose bearer check would refuse a tg_ secret as a malformed JWT and stop
            // the chain; behind Basic (2000), which only acts on Basic headers.
            return DEFAULT_PRIORITY + 500;
        }
    }

    @ApplicationScoped
    public static class Provider implements IdentityProvider<Request> {

        private final ApiTokens tokens;

        Provider(ApiTokens tokens) {
            this.tokens = tokens;
        }

        @Override
        public Class<Request> getRequestType() {
            return Request.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(Request request, AuthenticationRequestContext context) {
            return context.runBlocking(() -> tokens.authenticate(request.secret)
                    .map(holder -> (SecurityIdentity) QuarkusSecurityIdentity.builder()
                            .setPrincipal(new QuarkusPrincipal(holder.owner()))
                            .addRoles(holder.roles())
                            .addAttribute(TOKEN_ID_ATTRIBUTE, holder.tokenId().toString())
                            .build())
                    .orElseThrow(() -> new AuthenticationFailedException("Unknown, expired or revoked API token")));
        }
    }
}
