package com.bigledger.auth.oauth;

import com.bigledger.auth.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A PKCE code verifier and its S256 challenge (RFC 7636), which bind an authorization code to the client that
 * asked for it.
 *
 * <p>The client sends {@link #challenge()} with the authorization request and {@link #verifier()} with the code
 * exchange; someone who intercepts the code cannot redeem it without the verifier. The verifier is a
 * {@link Secret}: keep it with the pending request, never in a URL or a log. Only the S256 method is offered,
 * because {@code plain} protects nothing when the authorization request itself is seen.
 *
 * <pre>{@code
 * Pkce pkce = Pkce.create();
 * String challenge = pkce.challenge();      // goes in the authorize URL
 * Secret verifier = pkce.verifier();        // goes in the code exchange
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Pkce {

    /** The shortest verifier RFC 7636 allows. */
    public static final int MIN_VERIFIER_LENGTH = 43;

    /** The longest verifier RFC 7636 allows. */
    public static final int MAX_VERIFIER_LENGTH = 128;

    /** The length of the verifiers {@link #create()} makes: 64 characters, about 384 bits of randomness. */
    public static final int DEFAULT_VERIFIER_LENGTH = 64;

    /** The challenge method, the only one offered. */
    public static final String S256 = "S256";

    private static final char[] UNRESERVED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".toCharArray();

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Secret verifier;
    private final String challenge;

    private Pkce(Secret verifier, String challenge) {
        this.verifier = verifier;
        this.challenge = challenge;
    }

    /**
     * Makes a new verifier of {@link #DEFAULT_VERIFIER_LENGTH} characters from {@link SecureRandom}, and its
     * challenge. May block briefly the first time, while the platform's random source is seeded.
     *
     * @return a new, random PKCE pair
     */
    public static Pkce create() {
        return create(DEFAULT_VERIFIER_LENGTH);
    }

    /**
     * Makes a new verifier of the given length from {@link SecureRandom}, each character drawn uniformly from the
     * 66 unreserved characters, and its challenge.
     *
     * @param verifierLength 43 to 128
     * @return a new, random PKCE pair
     * @throws IllegalArgumentException if the length is outside 43–128
     */
    public static Pkce create(int verifierLength) {
        if (verifierLength < MIN_VERIFIER_LENGTH || verifierLength > MAX_VERIFIER_LENGTH) {
            throw new IllegalArgumentException("A PKCE verifier has " + MIN_VERIFIER_LENGTH + " to "
                    + MAX_VERIFIER_LENGTH + " characters, not " + verifierLength);
        }
        char[] chars = new char[verifierLength];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = UNRESERVED[RANDOM.nextInt(UNRESERVED.length)];
        }
        try {
            Secret verifier = Secret.of(chars);
            return new Pkce(verifier, challengeOf(verifier));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /**
     * Takes an existing verifier, such as one kept in a session between the redirect and the callback, and computes
     * its challenge.
     *
     * @param verifier 43 to 128 characters from {@code A-Z a-z 0-9 - . _ ~}
     * @return the PKCE pair
     * @throws NullPointerException if {@code verifier} is {@code null}
     * @throws IllegalArgumentException if the verifier is not a valid RFC 7636 verifier; the message does not
     *     quote it
     */
    public static Pkce of(Secret verifier) {
        checkVerifier(verifier);
        return new Pkce(verifier, challengeOf(verifier));
    }

    /**
     * Returns the code verifier, to send as {@code code_verifier} when the code is exchanged.
     *
     * @return the verifier
     */
    public Secret verifier() {
        return verifier;
    }

    /**
     * Returns the code challenge, {@code BASE64URL(SHA-256(verifier))} without padding, to send as
     * {@code code_challenge} in the authorization request. It is not secret.
     *
     * @return the challenge, 43 characters
     */
    public String challenge() {
        return challenge;
    }

    /**
     * Returns the challenge method, to send as {@code code_challenge_method}.
     *
     * @return {@code "S256"}
     */
    public String method() {
        return S256;
    }

    /** Shows the method and the challenge, which are public, and never the verifier. */
    @Override
    public String toString() {
        return "Pkce[method=" + S256 + ", challenge=" + challenge + "]";
    }

    /**
     * Checks a verifier against RFC 7636 §4.1 without revealing it in a message.
     *
     * @throws NullPointerException if {@code verifier} is {@code null}
     * @throws IllegalArgumentException if it is not 43–128 unreserved characters
     */
    static void checkVerifier(Secret verifier) {
        Objects.requireNonNull(verifier, "verifier");
        byte[] bytes = verifier.revealBytes();
        try {
            if (bytes.length < MIN_VERIFIER_LENGTH || bytes.length > MAX_VERIFIER_LENGTH) {
                throw new IllegalArgumentException("A PKCE verifier has " + MIN_VERIFIER_LENGTH + " to "
                        + MAX_VERIFIER_LENGTH + " characters; this one has " + bytes.length + " bytes");
            }
            for (byte b : bytes) {
                if (!isUnreserved(b)) {
                    throw new IllegalArgumentException(
                            "A PKCE verifier holds only A-Z a-z 0-9 - . _ ~; this one holds another character");
                }
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static boolean isUnreserved(byte b) {
        return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    private static String challengeOf(Secret verifier) {
        byte[] bytes = verifier.revealBytes();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new String(Base64.getUrlEncoder().withoutPadding().encode(digest), StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
