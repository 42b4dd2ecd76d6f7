package dev.tollgate.security;

import static dev.tollgate.testing.Api.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class ApiTokensTest {

    @Inject
    DataSource dataSource;

    private static JsonPath create(String name, String roles) {
        return as("admin").contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"owner\": \"ci-" + name + "\", \"roles\": " + roles
                        + ", \"expiresInDays\": 30}")
                .post("/api/v1/admin/tokens").then().statusCode(201).extract().jsonPath();
    }

    private static io.restassured.specification.RequestSpecification bearer(String secret) {
        return given().header("Authorization", "Bearer " + secret).accept(ContentType.JSON);
    }

    @Test
    void aTokenIsShownOnceStoredAsAHashAndActsAsItsOwnerWithItsRoles() throws Exception {
        String name = Submissions.uniqueName("ci");
        JsonPath created = create(name, "[\"submitter\"]");
        String secret = created.getString("secret");
        String id = created.getString("token.id");
        assertThat(secret).startsWith("tg_").hasSizeGreaterThan(40);
        assertThat(created.getString("token.status")).isEqualTo("ACTIVE");

        String listed = as("admin").get("/api/v1/admin/tokens").then().statusCode(200).extract().asString();
        assertThat(listed).contains(id).doesNotContain(secret);
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select secret_hash, last_used_at from api_token where id = ?::uuid")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(ApiTokens.sha256(secret)).doesNotContain(secret);
                assertThat(rs.getTimestamp(2)).as("not used yet").isNull();
            }
        }

        String candidate = bearer(secret).contentType(ContentType.JSON)
                .body(Submissions.model(Submissions.uniqueName("tok"), "1.0.0"))
                .post("/api/v1/candidates").then().statusCode(201).extract().path("submittedBy");
        assertThat(candidate).isEqualTo("token:ci-" + name);
        bearer(secret).get("/api/v1/approvals").then().statusCode(403);
        bearer(secret).get("/api/v1/admin/tokens").then().statusCode(403);

        JsonPath after = as("admin").get("/api/v1/admin/tokens").then().extract().jsonPath();
        assertThat(after.getString("find { it.id == '" + id + "' }.lastUsedAt")).isNotNull();
    }

    @Test
    void aRevokedTokenIsRefusedAndRevokingAgainChangesNothing() {
        JsonPath created = create(Submissions.uniqueName("rev"), "[\"deployer\"]");
        String secret = created.getString("secret");
        String id = created.getString("token.id");
        bearer(secret).get("/api/v1/candidates?limit=1").then().statusCode(200);

        JsonPath revoked = as("admin").delete("/api/v1/admin/tokens/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(revoked.getString("status")).isEqualTo("REVOKED");
        assertThat(revoked.getString("revokedBy")).isEqualTo("admin");
        bearer(secret).get("/api/v1/candidates?limit=1").then().statusCode(401)
                .contentType("application/problem+json");
        String revokedAt = revoked.getString("revokedAt");
        assertThat(as("admin").delete("/api/v1/admin/tokens/" + id).then().statusCode(200).extract()
                .<String>path("revokedAt")).isEqualTo(revokedAt);
        as("admin").delete("/api/v1/admin/tokens/00000000-0000-0000-0000-000000000000").then().statusCode(404);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JsonPath created = create(Submissions.uniqueName("exp"), "[\"monitor\"]");
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "update api_token set expires_at = now() - interval '1 second' where id = ?::uuid")) {
            s.setString(1, created.getString("token.id"));
            s.executeUpdate();
        }
        bearer(created.getString("secret")).get("/api/v1/candidates?limit=1").then().statusCode(401);
        assertThat(as("admin").get("/api/v1/admin/tokens").then().extract().jsonPath()
                .getString("find { it.id == '" + created.getString("token.id") + "' }.status")).isEqualTo("EXPIRED");
    }

    @Test
    void tokensCarryMachineRolesOnlyAndEveryFieldIsChecked() {
        as("admin").contentType(ContentType.JSON)
                .body("{\"name\": \"\", \"owner\": \"WORKFLOW_ENGINE_USER\", \"roles\": [\"approver\", \"admin\"], \"expiresInDays\": 0}")
                .post("/api/v1/admin/tokens").then().statusCode(400)
                .contentType("application/problem+json");
        List<String> fields = as("admin").contentType(ContentType.JSON)
                .body("{\"name\": \"\", \"owner\": \"WORKFLOW ENGINE USER\", \"roles\": [\"approver\"], \"expiresInDays\": 0}")
                .post("/api/v1/admin/tokens").then().extract().jsonPath().getList("errors.field");
        assertThat(fields).containsExactlyInAnyOrder("name", "owner", "roles", "expiresInDays");
        as("admin").contentType(ContentType.JSON).body("{\"name\": \"x\", \"owner\": \"y\", \"roles\": [\"risk-officer\"]}")
                .post("/api/v1/admin/tokens").then().statusCode(400);
    }

    @Test
    void aTokenHoldsOneDutyOnly() {
        for (String roles : List.of("[\"submitter\", \"evaluator\"]", "[\"submitter\", \"deployer\"]",
                "[\"evaluator\", \"deployer\"]", "[\"submitter\", \"evaluator\", \"deployer\"]")) {
            as("admin").contentType(ContentType.JSON).body("{\"name\": \"x\", \"owner\": \"ci-x\", \"roles\": " + roles + "}")
                    .post("/api/v1/admin/tokens").then().statusCode(400)
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo("roles"))
                    .body("errors[0].message", org.hamcrest.Matchers.containsString("duties"));
        }
        create(Submissions.uniqueName("read"), "[\"deployer\", \"monitor\", \"auditor\"]");
    }

    @Test
    void aTokenActsInItsOwnNamespaceNeverAsAPersonOrAsTollgate() {
        for (String owner : List.of("Sam", "tollgate")) {
            String secret = as("admin").contentType(ContentType.JSON)
                    .body("{\"name\": \"" + Submissions.uniqueName("ns") + "\", \"owner\": \"" + owner + "\", \"roles\": [\"submitter\"]}")
                    .post("/api/v1/admin/tokens").then().statusCode(201).extract().path("secret");
            String submittedBy = bearer(secret).contentType(ContentType.JSON)
                    .body(Submissions.model(Submissions.uniqueName("ns"), "1.0.0"))
                    .post("/api/v1/candidates").then().statusCode(201).extract().path("submittedBy");
            assertThat(submittedBy).isEqualTo("token:" + owner.toLowerCase(java.util.Locale.ROOT));
        }
        as("admin").contentType(ContentType.JSON).body("{\"name\": \"x\", \"owner\": \"Sam Smith\", \"roles\": [\"submitter\"]}")
                .post("/api/v1/admin/tokens").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("owner"));
    }

    @Test
    void onlyAdminsManageTokens() {
        for (String user : List.of("alice", "bob", "dave", "audrey", "mona")) {
            as(user).contentType(ContentType.JSON).body("{\"name\": \"x\", \"owner\": \"y\", \"roles\": [\"submitter\"]}")
                    .post("/api/v1/admin/tokens").then().statusCode(403);
        }
    }

    @Test
    void creatingAndRevokingAreInTheAuditTrail() {
        String name = Submissions.uniqueName("aud");
        JsonPath created = create(name, "[\"evaluator\"]");
        String id = created.getString("token.id");
        as("admin").delete("/api/v1/admin/tokens/" + id).then().statusCode(200);
        String body = as("audrey").queryParam("subject", id).get("/api/v1/audit").then().statusCode(200)
                .extract().asString();
        JsonPath trail = JsonPath.from(body);
        assertThat(trail.getList("items.action")).containsExactly("token.created", "token.revoked");
        assertThat(trail.getList("items.actor")).containsOnly("admin");
        assertThat(trail.getString("items[0].data.owner")).isEqualTo("ci-" + name);
        assertThat(trail.getList("items[0].data.roles")).containsExactly("evaluator");
        assertThat(body).doesNotContain(created.getString("secret"));
    }
}
