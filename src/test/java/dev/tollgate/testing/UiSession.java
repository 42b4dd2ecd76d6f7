package dev.tollgate.testing;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser-like session over HTTP: signed in through the login form, with the CSRF cookie and form token. */
public final class UiSession {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final Map<String, String> cookies;
    private final String csrf;

    private UiSession(Map<String, String> cookies, String csrf) {
        this.cookies = cookies;
        this.csrf = csrf;
    }

    /** Signs in with the demo password; a wrong one gives a session that is not signed in. */
    public static UiSession signIn(String user, String password) {
        Response login = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", user).formParam("j_password", password).post("/j_security_check");
        Map<String, String> cookies = new HashMap<>(login.getCookies());
        Response page = given().redirects().follow(false).cookies(cookies).get("/ui/candidates");
        cookies.putAll(page.getCookies());
        Matcher token = CSRF.matcher(page.asString());
        return new UiSession(cookies, token.find() ? token.group(1) : null);
    }

    public static UiSession signIn(String user) {
        return signIn(user, "demo");
    }

    /** A request carrying the session's cookies; redirects are not followed, so that tests see them. */
    public RequestSpecification request() {
        return given().redirects().follow(false).cookies(cookies);
    }

    /** A form POST with the session's CSRF token (when it has one). */
    public RequestSpecification form() {
        RequestSpecification form = request().contentType("application/x-www-form-urlencoded");
        return csrf == null ? form : form.formParam("csrf", csrf);
    }

    public String csrf() {
        return csrf;
    }
}
