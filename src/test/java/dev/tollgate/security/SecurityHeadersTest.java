package dev.tollgate.security;

import static dev.tollgate.testing.Api.anonymous;
import static dev.tollgate.testing.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class SecurityHeadersTest {

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        as("mona").get("/api/v1/pipelines").then().statusCode(200)
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Cache-Control", equalTo("no-store"));
        anonymous().get("/api/v1/pipelines").then().statusCode(401)
                .header("X-Content-Type-Options", equalTo("nosniff"));
    }
}
