package com.bigledger.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * A sensitive value: an API key, a client secret, an access or refresh token.
 *
 * <p>A {@code Secret} never shows its value by accident. {@link #toString()} prints only a known, non-secret
 * prefix such as {@code blg_live_sk_} when the value starts with one; {@link #equals(Object)} compares in
 * constant time; {@link #hashCode()} is a keyed hash that changes from one JVM to the next, so it tells nothing
 * about the value. The class is deliberately not {@link java.io.Serializable}. The value is read with
 * {@link #reveal()} at the moment it goes on the wire, and {@link #destroy()} wipes the copy this object holds.
 *
 * <p>The secret inside an {@link AccessToken} is kept as the one {@code String} that goes into every
 * {@code Authorization} header, rather than as bytes beside a string: {@code destroy()} on it stops further reads,
 * but cannot wipe that string.
 *
 * <p>Instances are thread-safe. {@link #destroy()} racing with {@link #reveal()} may let that one reveal see
 * the value or fail; it never sees a partial value.
 */
public final class Secret implements Destroyable {

    /**
     * Prefixes that identify the kind of a credential and are not secret themselves: they may be shown in
     * {@link #toString()} and diagnostics.
     */
    private static final List<String> KNOWN_PREFIXES = List.of(
            "blg_live_sk_", "blg_test_sk_", "blg_oauth_at_", "blg_oauth_rt_");

    /**
     * The per-process key of {@link #hashCode()}'s MAC, made on the first hash: seeding a {@code SecureRandom} reads
     * the system's entropy source and starts the security providers, work a process that never hashes a secret
     * (a command-line run, most services) does not pay for at start-up.
     */
    private static final class HashKey {
        static final byte[] KEY = new byte[32];

        static {
            new SecureRandom().nextBytes(KEY);
        }
    }

    /** The value's bytes; {@code null} when the value is held as {@link #text}. */
    private final byte[] value;
    /** The value as text, for a secret held as text (an access token's); otherwise {@code null}. */
    private final String text;
    private final String prefix;
    private volatile boolean destroyed;

    private Secret(byte[] value) {
        this.value = value;
        this.text = null;
        this.prefix = knownPrefixOf(value);
    }

    private Secret(String text, String prefix) {
        this.value = null;
        this.text = text;
        this.prefix = prefix;
    }

    /**
     * This secret held as text: the same value as one string that {@link #reveal()} returns without a copy. For an
     * access token, whose text goes into a header string on every request anyway, so that it is held once.
     */
    Secret heldAsText() {
        if (text != null) {
            return this;
        }
        String revealed;
        try {
            revealed = reveal();
        } catch (IllegalStateException binaryOrDestroyed) {
            return this;
        }
        return new Secret(revealed, prefix);
    }

    /**
     * Wraps a textual secret, stored as UTF-8.
     *
     * @param value the secret; never {@code null}
     * @return a new secret holding its own copy of the value
     * @throws NullPointerException if {@code value} is {@code null}
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Wraps a textual secret given as characters, so that the caller can wipe its own array afterwards.
     *
     * @param value the secret; never {@code null}; not modified and not retained
     * @return a new secret holding its own copy of the value
     * @throws NullPointerException if {@code value} is {@code null}
     */
    public static Secret of(char[] value) {
        Objects.requireNonNull(value, "value");
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return new Secret(bytes);
    }

    /**
     * Wraps a binary secret.
     *
     * @param value the secret's bytes; never {@code null}; copied, not retained
     * @return a new secret holding its own copy of the bytes
     * @throws NullPointerException if {@code value} is {@code null}
     */
    public static Secret ofBytes(byte[] value) {
        Objects.requireNonNull(value, "value");
        return new Secret(value.clone());
    }

    /**
     * Returns the value as text, decoded from UTF-8.
     *
     * <p>The returned {@code String} cannot be wiped: call this at the moment the value is needed, not earlier.
     *
     * @return the secret value
     * @throws IllegalStateException if this secret was destroyed, or if it holds bytes that are not UTF-8 text
     */
    public String reveal() {
        if (text != null) {
            checkNotDestroyed();
            return text;
        }
        byte[] bytes = copy();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("The secret holds binary data, not UTF-8 text: use revealBytes()");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Returns a copy of the value's bytes (UTF-8 for textual secrets), which the caller should wipe after use.
     *
     * @return a new array holding the value
     * @throws IllegalStateException if this secret was destroyed
     */
    public byte[] revealBytes() {
        return copy();
    }

    /**
     * Returns the known, non-secret prefix of the value, such as {@code blg_live_sk_}, if it has one.
     *
     * @return the prefix, or empty when the value starts with no known prefix
     */
    public Optional<String> knownPrefix() {
        return Optional.ofNullable(prefix);
    }

    /**
     * Tells whether the value starts with the given text, without revealing it.
     *
     * @param start the expected start; never {@code null}
     * @return {@code true} if the value starts with {@code start}
     * @throws IllegalStateException if this secret was destroyed
     */
    public boolean startsWith(String start) {
        byte[] expected = start.getBytes(StandardCharsets.UTF_8);
        byte[] bytes = copy();
        try {
            if (expected.length > bytes.length) {
                return false;
            }
            return MessageDigest.isEqual(Arrays.copyOf(bytes, expected.length), expected);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Tells whether the value is empty or contains a whitespace or control character, without revealing it.
     * Whitespace is Unicode's: a no-break space or an em space pasted with a key counts.
     *
     * @return {@code true} if the value is blank or holds whitespace
     * @throws IllegalStateException if this secret was destroyed
     */
    public boolean isBlankOrHasWhitespace() {
        byte[] bytes = copy();
        // UTF-8 never gives more chars than bytes.
        char[] chars = new char[bytes.length];
        try {
            CharBuffer decoded = CharBuffer.wrap(chars);
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes), decoded, true);
            int length = decoded.position();
            if (length == 0) {
                return true;
            }
            for (int i = 0; i < length; ) {
                int c = Character.codePointAt(chars, i, length);
                if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)) {
                    return true;
                }
                i += Character.charCount(c);
            }
            return false;
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(chars, '\0');
        }
    }

    /** Wipes the value held by this object. Later reads fail with {@link IllegalStateException}. */
    @Override
    public void destroy() {
        destroyed = true;
        if (value != null) {
            Arrays.fill(value, (byte) 0);
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /**
     * Compares the values in time that depends only on their lengths.
     *
     * @return {@code true} if {@code other} is a {@code Secret} with the same value
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Secret)) {
            return false;
        }
        Secret that = (Secret) other;
        if (destroyed || that.destroyed) {
            return false;
        }
        if (value != null && that.value != null) {
            return MessageDigest.isEqual(value, that.value);
        }
        byte[] mine = bytes();
        byte[] theirs = that.bytes();
        try {
            return !destroyed && !that.destroyed && MessageDigest.isEqual(mine, theirs);
        } finally {
            if (mine != value) {
                Arrays.fill(mine, (byte) 0);
            }
            if (theirs != that.value) {
                Arrays.fill(theirs, (byte) 0);
            }
        }
    }

    /** A hash keyed with a random per-JVM key: consistent with {@link #equals}, useless for guessing the value. */
    @Override
    public int hashCode() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(HashKey.KEY, "HmacSHA256"));
            byte[] bytes = bytes();
            byte[] digest = mac.doFinal(bytes);
            if (bytes != value) {
                Arrays.fill(bytes, (byte) 0);
            }
            return ByteBuffer.wrap(digest).getInt();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }

    /** Shows the known prefix at most, never a character of the secret part. */
    @Override
    public String toString() {
        if (destroyed) {
            return "Secret[destroyed]";
        }
        return prefix == null ? "Secret[redacted]" : "Secret[" + prefix + "…redacted]";
    }

    private byte[] copy() {
        checkNotDestroyed();
        byte[] copy = value != null ? value.clone() : text.getBytes(StandardCharsets.UTF_8);
        checkNotDestroyed();
        return copy;
    }

    /** The value's bytes: the array held, or for a secret held as text a new one (UTF-8). */
    private byte[] bytes() {
        return value != null ? value : text.getBytes(StandardCharsets.UTF_8);
    }

    private void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("The secret was destroyed");
        }
    }

    private static String knownPrefixOf(byte[] value) {
        for (String candidate : KNOWN_PREFIXES) {
            byte[] p = candidate.getBytes(StandardCharsets.US_ASCII);
            // A bare prefix is not shown: the whole value would then be on display.
            if (value.length > p.length && Arrays.equals(value, 0, p.length, p, 0, p.length)) {
                return candidate;
            }
        }
        return null;
    }
}
