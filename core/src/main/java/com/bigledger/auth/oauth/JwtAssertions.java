package com.bigledger.auth.oauth;

import com.bigledger.auth.Secret;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * Signs the JWT assertions of {@link JwtBearerGrant} (RFC 7523 §3) with a JDK {@link PrivateKey}: RS256 for an RSA
 * key of 2048 bits or more, ES256 for an EC key on P-256, the signature in the JOSE form (RFC 7518 §3.4: R and S,
 * 32 bytes each, not the DER the JDK's {@code SHA256withECDSA} produces). Each assertion has a new {@code jti}.
 * Immutable and thread-safe; the key is never shown.
 */
final class JwtAssertions {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The length of each of R and S in an ES256 signature. */
    private static final int ES256_PART = 32;

    private final PrivateKey key;
    private final String algorithm;
    private final String keyId;
    private final String issuer;
    private final String subject;
    private final String audience;
    private final Duration lifetime;
    private final Clock clock;

    JwtAssertions(PrivateKey key, String keyId, String issuer, String subject, String audience, Duration lifetime,
            Clock clock) {
        this.key = key;
        this.algorithm = algorithm(key);
        this.keyId = keyId;
        this.issuer = issuer;
        this.subject = subject;
        this.audience = audience;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * The JWS algorithm for a key: RS256 or ES256.
     *
     * @throws IllegalArgumentException for any other key, naming its algorithm and size, never its content
     */
    static String algorithm(PrivateKey key) {
        if (key instanceof RSAPrivateKey) {
            int bits = ((RSAPrivateKey) key).getModulus().bitLength();
            if (bits < 2048) {
                throw new IllegalArgumentException("JwtBearerGrant option 'signingKey': RS256 needs an RSA key of "
                        + "2048 bits or more (RFC 7518 §3.3), not " + bits);
            }
            return "RS256";
        }
        if (key instanceof ECPrivateKey) {
            java.security.spec.ECParameterSpec curve = ((ECPrivateKey) key).getParams();
            int fieldBits = curve.getCurve().getField().getFieldSize();
            if (fieldBits != 256 || curve.getOrder().bitLength() != 256) {
                throw new IllegalArgumentException("JwtBearerGrant option 'signingKey': ES256 needs an EC key on the "
                        + "P-256 curve, not a " + fieldBits + "-bit curve");
            }
            return "ES256";
        }
        throw new IllegalArgumentException("JwtBearerGrant option 'signingKey': an RSA (RS256) or EC P-256 (ES256) "
                + "key is needed, not " + key.getAlgorithm());
    }

    /** The JWS algorithm of the assertions. */
    String algorithm() {
        return algorithm;
    }

    /** A new signed assertion, issued now. */
    Secret next() {
        Instant now = clock.instant();
        byte[] jti = new byte[16];
        RANDOM.nextBytes(jti);
        String header = encode(json(g -> {
            g.writeStringField("alg", algorithm);
            g.writeStringField("typ", "JWT");
            if (keyId != null) {
                g.writeStringField("kid", keyId);
            }
        }));
        String claims = encode(json(g -> {
            g.writeStringField("iss", issuer);
            g.writeStringField("sub", subject);
            g.writeStringField("aud", audience);
            g.writeNumberField("iat", now.getEpochSecond());
            g.writeNumberField("exp", now.plus(lifetime).getEpochSecond());
            g.writeStringField("jti", BASE64URL.encodeToString(jti));
        }));
        String signingInput = header + "." + claims;
        return Secret.of(signingInput + "." + encode(sign(signingInput.getBytes(StandardCharsets.US_ASCII))));
    }

    private byte[] sign(byte[] input) {
        try {
            Signature signature = Signature.getInstance(algorithm.equals("RS256") ? "SHA256withRSA"
                    : "SHA256withECDSA");
            signature.initSign(key);
            signature.update(input);
            byte[] signed = signature.sign();
            return algorithm.equals("RS256") ? signed : joseFromDer(signed, ES256_PART);
        } catch (GeneralSecurityException e) {
            // The exception names the algorithm or provider, never the key.
            throw new IllegalStateException("Signing the JWT assertion with " + algorithm + " failed: "
                    + e.getClass().getName(), e);
        }
    }

    /**
     * Turns an ECDSA signature from its DER form, {@code SEQUENCE { INTEGER r, INTEGER s }}, into the JOSE form:
     * R and S as unsigned big-endian numbers of {@code partLength} bytes each, one after the other.
     *
     * @throws IllegalArgumentException if {@code der} is not such a sequence, or a number is too large
     */
    static byte[] joseFromDer(byte[] der, int partLength) {
        int[] at = {0};
        expect(der, at, 0x30);
        int sequenceLength = length(der, at);
        if (at[0] + sequenceLength != der.length) {
            throw new IllegalArgumentException("An ECDSA signature's DER sequence has the wrong length");
        }
        byte[] out = new byte[2 * partLength];
        for (int part = 0; part < 2; part++) {
            expect(der, at, 0x02);
            int length = length(der, at);
            if (length == 0 || at[0] + length > der.length) {
                throw new IllegalArgumentException("An ECDSA signature's DER integer has the wrong length");
            }
            BigInteger value = new BigInteger(1, Arrays.copyOfRange(der, at[0], at[0] + length));
            at[0] += length;
            byte[] magnitude = value.toByteArray();
            // toByteArray adds a sign byte when the top bit is set: drop it.
            int start = magnitude.length > partLength && magnitude[0] == 0 ? 1 : 0;
            int size = magnitude.length - start;
            if (size > partLength) {
                throw new IllegalArgumentException("An ECDSA signature's integer is longer than " + partLength
                        + " bytes");
            }
            System.arraycopy(magnitude, start, out, (part + 1) * partLength - size, size);
        }
        if (at[0] != der.length) {
            throw new IllegalArgumentException("An ECDSA signature's DER sequence has trailing bytes");
        }
        return out;
    }

    private static void expect(byte[] der, int[] at, int tag) {
        if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) {
            throw new IllegalArgumentException("Not an ECDSA signature in DER");
        }
        at[0]++;
    }

    private static int length(byte[] der, int[] at) {
        if (at[0] >= der.length) {
            throw new IllegalArgumentException("An ECDSA signature's DER is cut short");
        }
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int bytes = first & 0x7f;
        if (bytes == 0 || bytes > 2 || at[0] + bytes > der.length) {
            throw new IllegalArgumentException("An ECDSA signature's DER length is not valid");
        }
        int length = 0;
        for (int i = 0; i < bytes; i++) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }

    private interface Members {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] json(Members members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = TokenBodies.JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            members.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    private static String encode(byte[] bytes) {
        return BASE64URL.encodeToString(bytes);
    }

    /** Shows the algorithm and the claims that are not secret; never the key. */
    @Override
    public String toString() {
        return "JwtAssertions[" + algorithm + ", iss=" + issuer + ", sub=" + subject + ", aud=" + audience
                + ", lifetime=" + lifetime + "]";
    }
}
