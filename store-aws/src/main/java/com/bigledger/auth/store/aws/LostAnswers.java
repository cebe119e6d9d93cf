package com.bigledger.auth.store.aws;

import com.bigledger.auth.CredentialRef;
import com.bigledger.auth.Secret;
import com.bigledger.auth.SourceUnavailableException;
import com.bigledger.auth.WriteResult;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Lost-answer recovery: writes whose label move timed out and whose outcome could not be asked at once, keyed by
 * secret and expected version, and the answer to a retry of such a write. The value is kept only as an HMAC under
 * a key made for this source, so that a retry of the same value can be told from a newer one without holding the
 * value; at most {@value #MAX} writes are remembered, the eldest forgotten first.
 *
 * <p>Thread-safe: the memory is guarded by this object's monitor; no request is made while it is held.
 */
final class LostAnswers {

    private static final int MAX = 64;

    private final byte[] key = new byte[32];
    private final Map<String, Lost> lost = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lost> eldest) {
            return size() > MAX;
        }
    };

    LostAnswers() {
        new SecureRandom().nextBytes(key);
    }

    /** Remembers a write of {@code value} as version {@code token} whose answer was lost. */
    synchronized void remember(String secretKey, String expected, String token, Secret value) {
        lost.put(secretKey + "\u0000" + expected, new Lost(token, mac(value)));
    }

    /**
     * Answers a retried write whose earlier attempt lost the answer to its label move: written if that attempt's
     * version is current and held the same value, a conflict if it is current with another value; empty (the
     * write goes ahead) if there was no such attempt or its version did not become current.
     *
     * @throws SourceUnavailableException if AWS could not be asked which version is current
     */
    Optional<WriteResult> resolve(CredentialRef ref, SecretsManagerClient client, String secretKey, Secret value,
            String expected) {
        Optional<Lost> earlier = find(secretKey, expected);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> current = StagedLabelCas.currentVersion(ref, client);
        if (current.isEmpty()) {
            throw new SourceUnavailableException(ref, "AWS Secrets Manager could not be asked whether an earlier"
                    + " write of version " + earlier.get().token + " took effect", null);
        }
        forget(secretKey, expected);
        StagedLabelCas.unstage(ref, client, earlier.get().token);
        if (!current.get().equals(earlier.get().token)) {
            return Optional.empty();
        }
        return Optional.of(sameValue(earlier.get(), value) ? WriteResult.written(current.get())
                : WriteResult.conflict(current.get()));
    }

    private synchronized Optional<Lost> find(String secretKey, String expected) {
        return Optional.ofNullable(lost.get(secretKey + "\u0000" + expected));
    }

    private synchronized void forget(String secretKey, String expected) {
        lost.remove(secretKey + "\u0000" + expected);
    }

    private boolean sameValue(Lost entry, Secret value) {
        return MessageDigest.isEqual(entry.mac, mac(value));
    }

    private byte[] mac(Secret value) {
        byte[] bytes = value.revealBytes();
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            return hmac.doFinal(bytes);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static final class Lost {
        final String token;
        final byte[] mac;

        Lost(String token, byte[] mac) {
            this.token = token;
            this.mac = mac;
        }
    }
}
