package dev.tollgate.attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verifies an attestation offline, with nothing but the envelope and Tollgate's public key (docs/governance.md):
 * <pre>
 * java -cp "target/quarkus-app/lib/main/*:target/quarkus-app/app/*" dev.tollgate.attestation.AttestationVerifyCommand \
 *      --key tollgate-attestation.pub [--key older.pub] --envelope attestation.json [--digest sha256:…]
 * </pre>
 * Exits 0 when a signature of a given key verifies (and the subject carries {@code --digest}, when given), 1 when
 * not, 2 on usage errors. Prints the statement's subject and what the decision rested on.
 */
public final class AttestationVerifyCommand {

    private AttestationVerifyCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** The command, with its exit status. */
    public static int run(String[] args, PrintStream out) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        Path envelopeFile = null;
        String digest = null;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--key" -> {
                        PublicKey key = Keys.publicKey(Files.readString(Path.of(args[i + 1])));
                        keys.put(Keys.keyId(key), key);
                    }
                    case "--key-id" -> {
                        // A configured key id (tollgate.attestation.key-id) for the key given just before.
                        if (keys.isEmpty()) {
                            throw new IllegalArgumentException("--key-id follows the --key it names");
                        }
                        String last = keys.keySet().stream().reduce((a, b) -> b).orElseThrow();
                        keys.put(args[i + 1], keys.remove(last));
                    }
                    case "--envelope" -> envelopeFile = Path.of(args[i + 1]);
                    case "--digest" -> digest = args[i + 1];
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (keys.isEmpty() || envelopeFile == null || args.length % 2 != 0) {
                throw new IllegalArgumentException("usage: --key PUBLIC_KEY.pem [--key-id ID] [--key …] --envelope FILE "
                        + "[--digest sha256:HEX]");
            }
        } catch (IllegalArgumentException | IOException e) {
            out.println(e.getMessage());
            return 2;
        }
        ObjectMapper json = new ObjectMapper();
        try {
            JsonNode envelope = json.readTree(Files.readString(envelopeFile));
            Dsse.Verdict verdict = Dsse.verify(envelope, keys);
            if (!verdict.valid()) {
                out.println("INVALID: " + verdict.problem());
                return 1;
            }
            JsonNode statement = Dsse.statement(json, envelope);
            JsonNode subject = statement.path("subject").path(0);
            String subjectDigest = subject.path("digest").fieldNames().hasNext()
                    ? subject.path("digest").fieldNames().next() + ":" + subject.path("digest").elements().next().asText()
                    : null;
            if (digest != null && !digest.equals(subjectDigest)) {
                out.println("INVALID: the statement is about " + subjectDigest + ", not " + digest);
                return 1;
            }
            JsonNode predicate = statement.path("predicate");
            out.println("VALID: signed by " + verdict.keyId());
            out.println("subject   " + subject.path("name").asText() + " " + subjectDigest);
            out.println("purpose   " + predicate.path("purpose").asText() + ", signed at " + predicate.path("signedAt").asText());
            out.println("policy    " + predicate.path("policy").path("pipeline").asText() + " "
                    + predicate.path("policy").path("digest").asText());
            out.println("risk      " + predicate.path("risk").path("tier").asText());
            out.println("approvals " + predicate.path("approvals"));
            return 0;
        } catch (IOException | RuntimeException e) {
            out.println("INVALID: " + e.getMessage());
            return 1;
        }
    }
}
