package dev.tollgate.web;

import dev.tollgate.shared.ProblemException;
import dev.tollgate.shared.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.NewCookie;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CSRF protection for the UI's forms: a random value in an HttpOnly, SameSite=Strict cookie, and
 * in every form a token that is the HMAC of that value and the signed-in user's name. A POST is
 * accepted only if its form token matches the cookie it came with and the user sending it, so a
 * page on another site can neither read nor forge it. Every UI form carries the field
 * {@value #FIELD}; every UI POST calls {@link #verify(String)} before it changes anything.
 */
@RequestScoped
public class Csrf {

    public static final String FIELD = "csrf";
    static final String COOKIE = "tollgate-csrf";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PROCESS_KEY = random(32);

    private final HttpServerRequest request;
    private final SecurityIdentity identity;
    private final byte[] key;
    private final boolean alwaysSecure;
    private String issued;

    Csrf(HttpServerRequest request, SecurityIdentity identity,
         @ConfigProperty(name = "tollgate.ui.csrf-key") Optional<String> configuredKey,
         @ConfigProperty(name = "tollgate.ui.secure-cookies", defaultValue = "false") boolean alwaysSecure) {
        this.request = request;
        this.identity = identity;
        this.alwaysSecure = alwaysSecure;
        // Replicas must share the key (deploy/k8s sets it from a secret); one process alone may use a random one.
        this.key = configuredKey.filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8)).orElse(PROCESS_KEY);
    }

    /** The token for this request's forms; issues the cookie's value if the browser has none yet. */
    public String token() {
        return sign(cookieValue().orElseGet(() -> {
            if (issued == null) {
                issued = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
            }
            return issued;
        }));
    }

    /** The cookie to set with this response, if {@link #token()} issued a new value. */
    public Optional<NewCookie> cookieToSet() {
        return Optional.ofNullable(issued).map(value -> new NewCookie.Builder(COOKIE).value(value).path("/ui")
                .httpOnly(true).sameSite(NewCookie.SameSite.STRICT)
                // Behind a TLS-terminating proxy the request is HTTPS as the proxy forwards it (X-Forwarded-Proto).
                .secure(alwaysSecure || request.isSSL()).build());
    }

    /** Refuses (403) a form whose token does not match this browser's cookie and this user. */
    public void verify(String formToken) {
        Optional<String> cookie = cookieValue();
        if (formToken == null || cookie.isEmpty() || !MessageDigest.isEqual(
                sign(cookie.get()).getBytes(StandardCharsets.US_ASCII), formToken.getBytes(StandardCharsets.US_ASCII))) {
            throw new ProblemException(ProblemType.CSRF, "This form did not come from this session of Tollgate, "
                    + "or it is out of date. Go back, reload the page, and try again.");
        }
    }

    private Optional<String> cookieValue() {
        var cookie = request.getCookie(COOKIE);
        return cookie == null || cookie.getValue().isBlank() ? Optional.empty() : Optional.of(cookie.getValue());
    }

    private String sign(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String user = identity.isAnonymous() ? "" : identity.getPrincipal().getName();
            byte[] tag = mac.doFinal((value + "|" + user).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
