package dev.tollgate.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RS256 JWTs signed with the throwaway key pair in src/test/resources/oidc/, standing in for an
 * identity provider's tokens. Test-only; the key protects nothing.
 */
public final class TestJwts {

    public static final String KEY_ID = "tollgate-test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private TestJwts() {
    }

    /** Signs the claims with the test key (or another one). */
    public static String sign(Map<String, Object> claims, PrivateKey key) {
        try {
            String header = JSON.writeValueAsString(Map.of("alg", "RS256", "typ", "JWT", "kid", KEY_ID));
            String signed = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + B64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + B64.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sign(Map<String, Object> claims) {
        return sign(claims, privateKey());
    }

    public static PrivateKey privateKey() {
        try {
            byte[] der = Base64.getDecoder().decode(pem("oidc/test-signing-key.pem"));
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as base64 DER (SubjectPublicKeyInfo), the form quarkus.oidc.public-key takes. */
    public static String publicKeyBase64() {
        return pem("oidc/test-signing-key.pub.pem");
    }

    /** The public key as a JSON Web Key Set. */
    public static String jwks() {
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64())));
            Map<String, Object> jwk = new LinkedHashMap<>();
            jwk.put("kty", "RSA");
            jwk.put("kid", KEY_ID);
            jwk.put("use", "sig");
            jwk.put("alg", "RS256");
            jwk.put("n", B64.encodeToString(unsigned(key.getModulus())));
            jwk.put("e", B64.encodeToString(unsigned(key.getPublicExponent())));
            return JSON.writeValueAsString(Map.of("keys", java.util.List.of(jwk)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String pem(String resource) {
        try (InputStream in = TestJwts.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).replaceAll("-----[A-Z ]+-----", "")
                    .replaceAll("\\s", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
