package dev.tollgate.api;

import dev.tollgate.attestation.Attestations;
import dev.tollgate.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The keys that verify Tollgate's attestations (docs/governance.md, "Attestations"); a candidate's are under its own path. */
@Path("/api/v1/attestations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Attestations")
@RolesAllowed({Roles.SUBMITTER, Roles.EVALUATOR, Roles.APPROVER, Roles.RISK_OFFICER, Roles.DEPLOYER, Roles.AUDITOR,
        Roles.MONITOR, Roles.ADMIN})
public class AttestationResource {

    /** A public key, PEM, with the id its signatures name. */
    public record Key(String keyId, String algorithm, String publicKey, java.time.Instant firstUsedAt, boolean current) {
    }

    private final Attestations attestations;

    AttestationResource(Attestations attestations) {
        this.attestations = attestations;
    }

    @GET
    @Path("/keys")
    @Operation(operationId = "listAttestationKeys", summary = "The keys that verify attestations",
            description = "Every public key Tollgate signed with, oldest first: a rotation adds one and removes none. "
                    + "`current`: the key this instance signs with now.")
    @APIResponse(responseCode = "200", description = "The keys.")
    public List<Key> keys() {
        return attestations.keys().stream().map(k -> new Key(k.keyId, k.algorithm, k.publicKey, k.firstUsedAt,
                k.keyId.equals(attestations.keyId()))).toList();
    }
}
