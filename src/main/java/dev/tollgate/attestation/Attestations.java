package dev.tollgate.attestation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.shared.Sha256;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Signs in-toto statements about promotions as DSSE envelopes with Tollgate's Ed25519 key, stores them, and keeps
 * every public key it signed with (docs/governance.md, "Attestations"). The key pair comes from two PEM files (a
 * Kubernetes secret mounted as files); to rotate, give the new pair: attestations signed with the old key keep
 * verifying, since its public key stays listed. Without configured keys a key pair is made at start for this run
 * only, with a warning: fine to try Tollgate, not for production.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Attestations {

    private static final Logger LOG = Logger.getLogger(Attestations.class);

    /** A signed envelope, as stored. */
    public record Signed(UUID id, String keyId, String payloadDigest, String envelope) {
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final String keyId;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    Attestations(EntityManager em, ObjectMapper json, Clock clock,
                 @ConfigProperty(name = "tollgate.attestation.private-key-file") Optional<Path> privateKeyFile,
                 @ConfigProperty(name = "tollgate.attestation.public-key-file") Optional<Path> publicKeyFile,
                 @ConfigProperty(name = "tollgate.attestation.key-id") Optional<String> configuredKeyId) {
        this.em = em;
        this.json = json;
        this.clock = clock;
        if (privateKeyFile.isPresent() != publicKeyFile.isPresent()) {
            throw new IllegalStateException("tollgate.attestation.private-key-file and public-key-file go together");
        }
        if (privateKeyFile.isPresent()) {
            this.privateKey = Keys.privateKey(read(privateKeyFile.get()));
            this.publicKey = Keys.publicKey(read(publicKeyFile.get()));
        } else {
            KeyPair pair = generated();
            this.privateKey = pair.getPrivate();
            this.publicKey = pair.getPublic();
        }
        this.keyId = configuredKeyId.filter(id -> !id.isBlank()).orElse(Keys.keyId(publicKey));
        if (privateKeyFile.isEmpty()) {
            LOG.warnf("No attestation key configured (tollgate.attestation.private-key-file): signing with key %s, made "
                    + "for this run only. Configure a key pair to sign attestations that verify after a restart too.",
                    keyId);
        }
    }

    /**
     * Checks that the two key files are one pair, and records the public half once: verification of its attestations
     * needs it for ever. Replicas starting together record it once; a key id already used for another key stops the
     * start, since its old attestations would no longer verify under that id.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    void registerKey(@Observes StartupEvent startup) {
        byte[] probe = "tollgate attestation key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!Dsse.verify(Dsse.sign(json, probe, keyId, privateKey), java.util.Map.of(keyId, publicKey)).valid()) {
            throw new IllegalStateException("tollgate.attestation.private-key-file and public-key-file are not one pair");
        }
        String pem = Keys.pem(publicKey);
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("""
                            insert into attestation_key (key_id, algorithm, public_key, first_used_at)
                            values (:id, :algorithm, :key, :at) on conflict (key_id) do nothing""")
                    .setParameter("id", keyId).setParameter("algorithm", Dsse.ALGORITHM).setParameter("key", pem)
                    .setParameter("at", clock.instant()).executeUpdate();
            AttestationKey stored = em.find(AttestationKey.class, keyId);
            if (!stored.publicKey.equals(pem)) {
                throw new IllegalStateException("Attestation key id " + keyId + " was used for another key: give the "
                        + "new key another id (tollgate.attestation.key-id), so that older attestations keep verifying");
            }
        });
    }

    /** The id of the key this instance signs with. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public String keyId() {
        return keyId;
    }

    /** Signs the statement for the candidate and stores the envelope. */
    public Signed sign(UUID candidateId, Attestation.Purpose purpose, ObjectNode statement) {
        byte[] payload;
        String envelope;
        try {
            payload = json.writeValueAsBytes(statement);
            envelope = json.writeValueAsString(Dsse.sign(json, payload, keyId, privateKey));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An attestation statement is not serializable", e);
        }
        Attestation attestation = new Attestation();
        attestation.id = UUID.randomUUID();
        attestation.candidateId = candidateId;
        attestation.purpose = purpose;
        attestation.keyId = keyId;
        attestation.envelope = envelope;
        attestation.payloadDigest = "sha256:" + Sha256.hex(payload);
        attestation.createdAt = clock.instant();
        em.persist(attestation);
        return new Signed(attestation.id, keyId, attestation.payloadDigest, envelope);
    }

    /** The candidate's newest attestation of this purpose (either purpose when null). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Attestation> latest(UUID candidateId, Attestation.Purpose purpose) {
        String filter = purpose == null ? "" : " and purpose = :purpose";
        var query = em.createQuery("from Attestation where candidateId = :id" + filter
                + " order by createdAt desc, id desc", Attestation.class).setParameter("id", candidateId);
        if (purpose != null) {
            query.setParameter("purpose", purpose);
        }
        return query.setMaxResults(1).getResultStream().findFirst();
    }

    /** Every public key Tollgate signed with, oldest first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AttestationKey> keys() {
        return em.createQuery("from AttestationKey order by firstUsedAt, keyId", AttestationKey.class).getResultList();
    }

    private static KeyPair generated() {
        try {
            return KeyPairGenerator.getInstance(Dsse.ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the attestation key " + file, e);
        }
    }
}
