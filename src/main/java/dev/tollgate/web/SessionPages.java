package dev.tollgate.web;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Signing in and out. With the demo users (local profile) the login form posts to Quarkus' form
 * authentication; in production the identity provider's login page takes its place (OIDC code
 * flow) and this page is never shown.
 */
@Path("/ui")
public class SessionPages {

    @CheckedTemplate(basePath = "ui")
    static class Templates {
        static native TemplateInstance login(boolean failed, boolean signedOut);
    }

    private final Csrf csrf;
    private final String sessionCookie;

    SessionPages(Csrf csrf, @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String sessionCookie) {
        this.csrf = csrf;
        this.sessionCookie = sessionCookie;
    }

    @GET
    @Path("/login")
    @PermitAll
    public Response login(@QueryParam("failed") boolean failed, @QueryParam("signedOut") boolean signedOut) {
        return Response.status(failed ? 401 : 200).type(Ui.HTML).entity(Templates.login(failed, signedOut).render())
                .build();
    }

    /** Signing out is a POST with the form token, so that another site cannot sign a user out. */
    @POST
    @Path("/logout")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@RestForm(Csrf.FIELD) String token) {
        csrf.verify(token);
        NewCookie expired = new NewCookie.Builder(sessionCookie).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(java.net.URI.create("/ui/login?signedOut=true")).cookie(expired).build();
    }
}
