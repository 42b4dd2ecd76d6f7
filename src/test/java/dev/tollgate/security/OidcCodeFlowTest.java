package dev.tollgate.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.MockIdentityProvider;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Production's sign-in for people: the OIDC authorization code flow against a stand-in provider
 * shaped like Keycloak (roles in the access token's {@code realm_access/roles}). The test plays the
 * browser: it follows the redirects by hand and keeps the cookies.
 */
@QuarkusTest
@TestProfile(OidcCodeFlowTest.WithProvider.class)
@QuarkusTestResource(TollgateServices.class)
class OidcCodeFlowTest {

    public static class WithProvider implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MockIdentityProvider.class));
        }
    }

    /** Visits {@code path}, is sent to the provider, signs in there as {@code user}, and comes back. */
    private static Map<String, String> signIn(String user, String path) {
        Response visit = given().redirects().follow(false).get(path);
        assertThat(visit.statusCode()).as("sent to the identity provider").isEqualTo(302);
        String authorize = visit.header("Location");
        assertThat(authorize).contains("/realms/tollgate/auth", "client_id=tollgate", "response_type=code");
        Map<String, String> cookies = new HashMap<>(visit.getCookies());

        // The redirect locations are already URL-encoded: send them as they are.
        Response provider = given().urlEncodingEnabled(false).redirects().follow(false)
                .get(authorize + "&login_hint=" + user);
        assertThat(provider.statusCode()).isEqualTo(302);
        Response back = given().urlEncodingEnabled(false).redirects().follow(false).cookies(cookies)
                .get(provider.header("Location"));
        assertThat(back.statusCode()).as("the code is exchanged and the session starts").isEqualTo(302);
        cookies.putAll(back.getCookies());
        return cookies;
    }

    @Test
    void anApproverSignsInAtTheProviderAndGetsTheInbox() {
        Map<String, String> session = signIn("olivia", "/ui/inbox");
        Response inbox = given().redirects().follow(false).cookies(session).get("/ui/inbox");
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(inbox.asString()).contains("<strong id=\"user\">olivia</strong>", "(approver)", "<h1>Inbox</h1>");
    }

    @Test
    void rolesComeFromTheAccessTokensRealmRoles() {
        Map<String, String> session = signIn("sid", "/ui/candidates");
        assertThat(given().redirects().follow(false).cookies(session).get("/ui/candidates").statusCode()).isEqualTo(200);
        assertThat(given().redirects().follow(false).cookies(session).get("/ui/inbox").statusCode())
                .as("a submitter has no inbox").isEqualTo(403);
    }

    @Test
    void aProviderUserWithoutTollgateRolesIsRefused() {
        Map<String, String> session = signIn("uma", "/ui/candidates");
        assertThat(given().redirects().follow(false).cookies(session).get("/ui/candidates").statusCode()).isEqualTo(403);
    }

    @Test
    void theApiStillAnswers401AndNeverRedirectsToTheProvider() {
        Response api = given().redirects().follow(false).get("/api/v1/candidates");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.contentType()).startsWith("application/problem+json");
    }

    @Test
    void signingOutEndsTheSessionAtTheProvider() {
        Map<String, String> session = signIn("olivia", "/ui/inbox");
        Response out = given().redirects().follow(false).cookies(session).contentType("application/x-www-form-urlencoded")
                .post("/ui/logout");
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.header("Location")).contains("/realms/tollgate/logout");
    }
}
