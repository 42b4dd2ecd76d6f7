package dev.tollgate.attestation;

import static dev.tollgate.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.events.EventTypes;
import dev.tollgate.shared.Sha256;
import dev.tollgate.testing.PromotionEvents;
import dev.tollgate.testing.Promotions;
import dev.tollgate.testing.Submissions;
import dev.tollgate.testing.TollgateServices;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every production promotion is attested (docs/governance.md, "Attestations"): an in-toto statement about the
 * candidate's digest, signed in a DSSE envelope, that verifies offline with Tollgate's public key and nothing else,
 * and stops verifying when one byte changes.
 */
@QuarkusTest
@QuarkusTestResource(TollgateServices.class)
class AttestationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Verified(int status, String output) {
    }

    private static Verified verify(Path key, String envelope, String... more) throws Exception {
        Path file = Files.createTempFile("attestation-", ".json");
        Files.writeString(file, envelope);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("--key", key.toString(), "--envelope", file.toString()));
        args.addAll(List.of(more));
        int status = AttestationVerifyCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Verified(status, out.toString(StandardCharsets.UTF_8));
    }

    /** Tollgate's current public key, as an operator downloads it. */
    private static Path publicKey() throws Exception {
        String key = as("audrey").get("/api/v1/attestations/keys").then().statusCode(200).extract()
                .jsonPath().getString("find { it.current }.publicKey");
        Path file = Files.createTempFile("tollgate-attestation-", ".pub");
        Files.writeString(file, key);
        return file;
    }

    private static String attestation(String candidateId, String purpose) {
        return as("audrey").queryParam("purpose", purpose).get("/api/v1/candidates/" + candidateId + "/attestation")
                .then().statusCode(200).extract().asString();
    }

    @Test
    void aPromotionIsAttestedAndTheAttestationVerifiesOfflineWithThePublicKey() throws Exception {
        String name = Submissions.uniqueName("attested");
        String id = Promotions.toProduction(Submissions.model(name, "1.0.0"));
        String envelope = attestation(id, "PROMOTION");

        Verified verified = verify(publicKey(), envelope, "--digest", Submissions.DIGEST_A);

        assertThat(verified.status()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("VALID", "MODEL/" + name + "@1.0.0", "PROMOTION");
        JsonNode statement = JSON.readTree(Base64.getDecoder().decode(JSON.readTree(envelope).path("payload").asText()));
        assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.path("subject").path(0).path("digest").path("sha256").asText())
                .isEqualTo(Submissions.DIGEST_A.substring("sha256:".length()));
        JsonNode predicate = statement.path("predicate");
        assertThat(predicate.path("policy").path("pipeline").asText()).isEqualTo("standard");
        assertThat(predicate.path("policy").path("digest").asText()).startsWith("sha256:");
        assertThat(predicate.path("evaluation").path("reports").path(0).path("suite").asText()).isEqualTo("offline-eval");
        assertThat(predicate.path("evaluation").path("gates").size()).isPositive();
        assertThat(predicate.path("risk").path("tier").asText()).isEqualTo("MEDIUM");
        assertThat(predicate.path("risk").path("facts").path("customerFacing").asBoolean()).isTrue();
        assertThat(predicate.path("approvals").path("granted").path(0).path("by").asText()).isEqualTo("bob");
        assertThat(predicate.path("deployment").path("outcome").asText()).isEqualTo("SUCCEEDED");

        // The promoted event names it by the digest of its payload.
        String payloadDigest = "sha256:" + Sha256.hex(Base64.getDecoder().decode(JSON.readTree(envelope).path("payload").asText()));
        List<PromotionEvents.Received> events = PromotionEvents.awaitFor(id,
                PromotionEvents.containsType(EventTypes.PROMOTED), Duration.ofSeconds(30));
        JsonNode promoted = JSON.readTree(events.stream().filter(e -> e.type().equals(EventTypes.PROMOTED)).findFirst()
                .orElseThrow().data());
        assertThat(promoted.path("attestation").path("payloadDigest").asText()).isEqualTo(payloadDigest);
    }

    @Test
    void oneChangedByteMakesTheAttestationFail() throws Exception {
        String id = Promotions.toProduction(Submissions.model(Submissions.uniqueName("tampered"), "1.0.0"));
        Path key = publicKey();
        ObjectNode envelope = (ObjectNode) JSON.readTree(attestation(id, "PROMOTION"));
        byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText());

        byte[] changed = payload.clone();
        int at = new String(payload, StandardCharsets.UTF_8).indexOf("\"tier\":\"MEDIUM\"") + "\"tier\":\"".length();
        changed[at] = 'L'; // MEDIUM → LEDIUM: one byte
        ObjectNode tampered = envelope.deepCopy();
        tampered.put("payload", Base64.getEncoder().encodeToString(changed));
        Verified broken = verify(key, JSON.writeValueAsString(tampered));
        assertThat(broken.status()).isEqualTo(1);
        assertThat(broken.output()).contains("INVALID", "does not match the payload");

        ObjectNode resigned = envelope.deepCopy();
        byte[] sig = Base64.getDecoder().decode(resigned.path("signatures").path(0).path("sig").asText());
        sig[0] ^= 1;
        ((ObjectNode) resigned.path("signatures").path(0)).put("sig", Base64.getEncoder().encodeToString(sig));
        assertThat(verify(key, JSON.writeValueAsString(resigned)).status()).isEqualTo(1);

        assertThat(verify(key, JSON.writeValueAsString(envelope), "--digest", Submissions.DIGEST_B).status())
                .as("about another digest").isEqualTo(1);
        assertThat(verify(key, JSON.writeValueAsString(envelope)).status()).as("untouched").isZero();
    }

    @Test
    void theProductionDeploymentRequestCarriesAnAttestationForTheDeployers() throws Exception {
        String id = Promotions.toProduction(Submissions.model(Submissions.uniqueName("for-deployers"), "1.0.0"));
        List<PromotionEvents.Received> events = PromotionEvents.awaitFor(id,
                PromotionEvents.containsType(EventTypes.PROMOTED), Duration.ofSeconds(30));
        JsonNode production = events.stream().filter(e -> e.type().equals(EventTypes.DEPLOYING))
                .map(e -> {
                    try {
                        return JSON.readTree(e.data());
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                })
                .filter(d -> d.path("stage").asText().equals("production")).findFirst().orElseThrow();

        Verified verified = verify(publicKey(), JSON.writeValueAsString(production.path("attestation")),
                "--digest", Submissions.DIGEST_A);

        assertThat(verified.status()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("DEPLOY");
        assertThat(attestation(id, "DEPLOY")).isEqualTo(JSON.writeValueAsString(production.path("attestation")));
    }
}
