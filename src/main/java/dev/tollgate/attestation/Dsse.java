package dev.tollgate.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/**
 * DSSE envelopes (github.com/secure-systems-lab/dsse, protocol v1): the signature covers the pre-authentication
 * encoding {@code "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body}, never the JSON around it, so that no
 * re-serialization can change what was signed. Ed25519 only.
 */
public final class Dsse {

    public static final String IN_TOTO = "application/vnd.in-toto+json";
    public static final String ALGORITHM = "Ed25519";

    /** Whether an envelope verifies, and why not when it does not. */
    public record Verdict(boolean valid, String keyId, String problem) {
    }

    private Dsse() {
    }

    static byte[] pae(String payloadType, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(("DSSEv1 " + type.length + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(type);
        out.writeBytes((" " + payload.length + " ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Signs {@code payload} and returns the envelope. */
    public static ObjectNode sign(ObjectMapper json, byte[] payload, String keyId, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(pae(IN_TOTO, payload));
            ObjectNode envelope = json.createObjectNode();
            envelope.put("payloadType", IN_TOTO);
            envelope.put("payload", Base64.getEncoder().encodeToString(payload));
            envelope.putArray("signatures").addObject()
                    .put("keyid", keyId)
                    .put("sig", Base64.getEncoder().encodeToString(signer.sign()));
            return envelope;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing an attestation failed", e);
        }
    }

    /** Verifies the envelope against the public keys by key id; valid when one signature of a known key verifies. */
    public static Verdict verify(JsonNode envelope, Map<String, PublicKey> keys) {
        if (!IN_TOTO.equals(envelope.path("payloadType").asText())) {
            return new Verdict(false, null, "payloadType is not " + IN_TOTO);
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(envelope.path("payload").asText());
        } catch (IllegalArgumentException e) {
            return new Verdict(false, null, "payload is not base64");
        }
        String problem = "no signature";
        for (JsonNode signature : envelope.path("signatures")) {
            String keyId = signature.path("keyid").asText(null);
            PublicKey key = keyId == null ? null : keys.get(keyId);
            if (key == null) {
                problem = "signed with key " + keyId + ", which is not among the keys given";
                continue;
            }
            try {
                Signature verifier = Signature.getInstance(ALGORITHM);
                verifier.initVerify(key);
                verifier.update(pae(envelope.path("payloadType").asText(), payload));
                if (verifier.verify(Base64.getDecoder().decode(signature.path("sig").asText()))) {
                    return new Verdict(true, keyId, null);
                }
                problem = "the signature of key " + keyId + " does not match the payload";
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                problem = "the signature of key " + keyId + " cannot be checked: " + e.getMessage();
            }
        }
        return new Verdict(false, null, problem);
    }

    /** The statement inside an envelope. */
    public static JsonNode statement(ObjectMapper json, JsonNode envelope) throws java.io.IOException {
        return json.readTree(Base64.getDecoder().decode(envelope.path("payload").asText()));
    }
}
