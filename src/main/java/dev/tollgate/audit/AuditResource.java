package dev.tollgate.audit;

import dev.tollgate.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.AUDITOR)
public class AuditResource {

    private final DataSource dataSource;

    AuditResource(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code {valid, entries, headHash, firstInvalidSeq?, problem?}} over the whole chain. */
    @GET
    @Path("/verify")
    public Map<String, Object> verify() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            AuditVerifier.Result result = AuditVerifier.verify(connection);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("valid", result.valid());
            body.put("entries", result.entries());
            body.put("headHash", result.headHash());
            if (!result.valid()) {
                body.put("firstInvalidSeq", result.firstInvalidSeq());
                body.put("problem", result.problem());
            }
            return body;
        }
    }
}
