package dev.tollgate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.local.FreePorts;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal OpenID Connect provider over HTTP, standing in for Keycloak in tests of the code flow:
 * discovery, JWKS, an authorization endpoint that signs in the user named by {@code login_hint}
 * (the test plays the browser and the user), a token endpoint, and end-session. Tokens are shaped
 * like Keycloak's: the user's realm roles are in the access token only ({@code realm_access/roles}).
 */
public class MockIdentityProvider implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "tollgate";
    public static final String CLIENT_SECRET = "test-client-secret";
    /** The provider's users and their realm roles. */
    public static final Map<String, List<String>> USERS = Map.of(
            "olivia", List.of("approver"),
            "sid", List.of("submitter"),
            "uma", List.of());

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> codes = new ConcurrentHashMap<>();
    private HttpServer server;
    private String issuer;

    @Override
    public Map<String, String> start() {
        try {
            int port = FreePorts.find();
            issuer = "http://127.0.0.1:" + port + "/realms/tollgate";
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/realms/tollgate/", this::handle);
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.oidc.tenant-enabled", "true");
        config.put("quarkus.oidc.auth-server-url", issuer);
        config.put("quarkus.oidc.client-id", CLIENT_ID);
        config.put("quarkus.oidc.credentials.secret", CLIENT_SECRET);
        config.put("quarkus.http.auth.permission.ui.auth-mechanism", "code");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/realms/tollgate".length());
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        try {
            switch (path) {
                case "/.well-known/openid-configuration" -> json(exchange, 200, JSON.writeValueAsString(Map.of(
                        "issuer", issuer,
                        "authorization_endpoint", issuer + "/auth",
                        "token_endpoint", issuer + "/token",
                        "jwks_uri", issuer + "/certs",
                        "end_session_endpoint", issuer + "/logout",
                        "response_types_supported", List.of("code"),
                        "subject_types_supported", List.of("public"),
                        "id_token_signing_alg_values_supported", List.of("RS256"))));
                case "/certs" -> json(exchange, 200, TestJwts.jwks());
                case "/auth" -> {
                    String user = query.get("login_hint");
                    if (!USERS.containsKey(user) || !CLIENT_ID.equals(query.get("client_id"))) {
                        json(exchange, 400, "{\"error\": \"invalid_request\"}");
                        return;
                    }
                    String code = UUID.randomUUID().toString();
                    codes.put(code, user + " " + query.getOrDefault("nonce", ""));
                    String location = query.get("redirect_uri") + (query.get("redirect_uri").contains("?") ? "&" : "?")
                            + "code=" + code + "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
                    redirect(exchange, location);
                }
                case "/token" -> {
                    Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    String granted = codes.remove(body.getOrDefault("code", ""));
                    if (granted == null || !authenticated(exchange, body)) {
                        json(exchange, 400, "{\"error\": \"invalid_grant\"}");
                        return;
                    }
                    String[] parts = granted.split(" ", -1);
                    json(exchange, 200, JSON.writeValueAsString(tokens(parts[0], parts[1])));
                }
                case "/logout" -> redirect(exchange, query.getOrDefault("post_logout_redirect_uri", issuer));
                default -> json(exchange, 404, "{\"error\": \"not_found\"}");
            }
        } finally {
            exchange.close();
        }
    }

    private Map<String, Object> tokens(String user, String nonce) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("iss", issuer);
        id.put("sub", "id-" + user);
        id.put("aud", CLIENT_ID);
        id.put("azp", CLIENT_ID);
        id.put("iat", now);
        id.put("exp", now + 300);
        id.put("preferred_username", user);
        if (!nonce.isEmpty()) {
            id.put("nonce", nonce);
        }
        Map<String, Object> access = new LinkedHashMap<>();
        access.put("iss", issuer);
        access.put("sub", "id-" + user);
        access.put("aud", List.of("account", CLIENT_ID)); // Keycloak with an audience mapper for the client
        access.put("azp", CLIENT_ID);
        access.put("typ", "Bearer");
        access.put("iat", now);
        access.put("exp", now + 300);
        access.put("preferred_username", user);
        access.put("realm_access", Map.of("roles", USERS.get(user)));
        return Map.of("access_token", TestJwts.sign(access), "id_token", TestJwts.sign(id), "token_type", "Bearer",
                "expires_in", 300);
    }

    /** client_secret_basic or client_secret_post. */
    private static boolean authenticated(HttpExchange exchange, Map<String, String> body) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Basic ")) {
            String pair = new String(java.util.Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
            return pair.equals(CLIENT_ID + ":" + CLIENT_SECRET);
        }
        return CLIENT_ID.equals(body.get("client_id")) && CLIENT_SECRET.equals(body.get("client_secret"));
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
